import { XMLBuilder } from 'fast-xml-parser';
import { outputShape, type Shape } from './shapes.js';
import type { OpResult, ServiceName } from './types.js';

/** Query-protocol XML namespaces per service version. */
export const NAMESPACES: Record<string, string> = {
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  monitoring: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: true, // escapes & < > " ' in values: identifiers, tags and messages come from users
  suppressEmptyNode: false,
  format: false,
});

/** Dates → ISO 8601, booleans → true/false, drop undefined/null; arrays stay arrays (repeated members). */
export function toXmlValue(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(toXmlValue).filter((v) => v !== undefined);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const x = toXmlValue(v);
      if (x !== undefined) out[k] = x;
    }
    return out;
  }
  return String(value);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * A typed result (SDK shapes: lists are arrays, timestamps Dates) → the Query protocol's XML tree, by
 * the operation's shape: a list becomes its wrapper element holding one element per item, named as the
 * model names the list's member (DBInstances → DBInstance…; "member" when the model names none).
 * Members keep the result's order; a member the model lacks is written as it is.
 */
export function toQueryXml(shape: Shape | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (shape?.kind === 'list' && Array.isArray(value)) {
    const items = value.map((v) => toQueryXml(shape.member.shape, v)).filter((v) => v !== undefined);
    return shape.flattened ? items : { [shape.member.xmlName ?? 'member']: items };
  }
  if (shape?.kind === 'structure' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const m = shape.members.get(k);
      const x = toQueryXml(m?.shape, v);
      if (x !== undefined) out[m?.xmlName ?? k] = x;
    }
    return out;
  }
  return toXmlValue(value);
}

export function successXml(service: ServiceName, action: string, result: OpResult, requestId: string): string {
  const doc = {
    [`${action}Response`]: {
      '@_xmlns': NAMESPACES[service] ?? NAMESPACES.rds,
      [`${action}Result`]: toQueryXml(outputShape(service, action), result),
      ResponseMetadata: { RequestId: requestId },
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc)}`;
}

export function errorXml(service: string, fault: { code: string; message: string; type: string }, requestId: string): string {
  const doc = {
    ErrorResponse: {
      '@_xmlns': NAMESPACES[service] ?? NAMESPACES.rds,
      Error: { Type: fault.type, Code: fault.code, Message: fault.message },
      RequestId: requestId,
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc)}`;
}
