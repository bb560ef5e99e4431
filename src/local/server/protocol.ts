import type { FlatParams, ServiceName } from './types.js';

/** Which service and protocol a request speaks (aws-wire.md: one port serves them all). */
export interface Classified {
  service: ServiceName;
  protocol: 'query' | 'json';
  action: string;
  flat: FlatParams;
  json?: Record<string, unknown>;
}

const QUERY_VERSIONS: Record<string, ServiceName> = {
  '2014-10-31': 'rds',
  '2010-05-08': 'iam',
  '2010-08-01': 'monitoring',
  '2011-06-15': 'sts',
};

const JSON_TARGET_PREFIX: Record<string, ServiceName> = {
  GraniteServiceVersion20100801: 'monitoring',
  secretsmanager: 'secretsmanager',
  // rdsctl's own local-only operations (InspectDBInstanceSecurity), signed for rds: no AWS client sends it.
  RdsctlLocal_20261201: 'rds',
};

/** The JSON protocol version each JSON service speaks (its responses carry the same content type). */
export const JSON_CONTENT_TYPE: Partial<Record<ServiceName, string>> = {
  monitoring: 'application/x-amz-json-1.0',
  secretsmanager: 'application/x-amz-json-1.1',
};

/**
 * table[key] for the table's own keys only: names come from the request, and `__proto__`,
 * `constructor` or `toString` must not reach Object.prototype.
 */
export function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function parseForm(body: string): FlatParams {
  const out: FlatParams = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/**
 * Classifies a (verified) request. `scopeService` is the SigV4 credential scope's service, used when
 * the Version does not say. Returns an error message for requests that speak no known protocol.
 */
export function classify(contentType: string, target: string | undefined, body: string, scopeService: string): Classified | { problem: string } {
  if (contentType.startsWith('application/x-amz-json-1.0') || contentType.startsWith('application/x-amz-json-1.1')) {
    const [prefix, action] = (target ?? '').split('.');
    const service = own(JSON_TARGET_PREFIX, prefix);
    if (!service || !action) return { problem: `Unknown x-amz-target "${target ?? ''}".` };
    let json: Record<string, unknown>;
    try {
      json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return { problem: 'The request body is not valid JSON.' };
    }
    return { service, protocol: 'json', action, flat: {}, json };
  }
  const flat = parseForm(body);
  const action = flat.Action;
  if (!action) return { problem: 'Missing Action parameter.' };
  const service = own(QUERY_VERSIONS, flat.Version ?? '') ?? asService(scopeService);
  if (!service) return { problem: `Unknown Version "${flat.Version ?? ''}" (Action ${action}).` };
  return { service, protocol: 'query', action, flat };
}

function asService(s: string): ServiceName | undefined {
  return s === 'rds' || s === 'iam' || s === 'monitoring' || s === 'sts' ? s : undefined; // secretsmanager speaks JSON only
}
