import { createRequire } from 'node:module';
import type { ServiceName } from './types.js';

/**
 * The table of operation shapes, derived from the service models the AWS SDK packages ship (each
 * `@aws-sdk/client-*` exports a static schema `<Operation>$` per operation), not written by hand: list
 * member element names (DBInstance, ReadReplicaDBInstanceIdentifier, EventCategory …) and which members
 * are timestamps come from AWS's own model, for every operation the ops layer answers.
 *
 * The static schema format (@smithy/core schema, "static" tuples):
 *   structure  [3, namespace, name, traits, memberNames[], memberSchemas[]]   (error: -3)
 *   list       [1, namespace, name, traits, valueSchema]
 *   map        [2, namespace, name, traits, keySchema, valueSchema]
 *   operation  [9, namespace, name, traits, () => input, () => output]
 *   simple     [0, namespace, name, traits, schema]
 *   sentinels  0 string · 1 number · 2 boolean · 4–7 timestamps · 21 blob · 64|x list of x · 128|x map
 *   a member   schema, `() => schema`, or [schema, traits] with traits { xmlName, xmlFlattened, … }
 */
export type Shape =
  | { kind: 'structure'; name: string; members: Map<string, Member> }
  | { kind: 'list'; name: string; member: Member; flattened: boolean }
  | { kind: 'timestamp' }
  | { kind: 'scalar' };

export interface Member {
  shape: Shape;
  /** The XML element name when it differs from the member name (list members: DBInstance; default "member"). */
  xmlName?: string;
}

/** The SDK package whose model describes each service the endpoint serves. */
const MODELS: Record<ServiceName, string> = {
  rds: '@aws-sdk/client-rds',
  monitoring: '@aws-sdk/client-cloudwatch',
  iam: '@aws-sdk/client-iam',
  secretsmanager: '@aws-sdk/client-secrets-manager',
  // No @aws-sdk/client-sts in the dependencies: the SDK's own nested STS client carries the same model.
  sts: '@aws-sdk/nested-clients/sts',
};

const require = createRequire(import.meta.url);
const modules = new Map<ServiceName, Record<string, unknown>>();
const outputs = new Map<string, Shape | undefined>();

/** The model module, loaded on first use (the control plane serves RDS; the others load only if asked). */
function model(service: ServiceName): Record<string, unknown> {
  let mod = modules.get(service);
  if (!mod) {
    mod = require(MODELS[service]) as Record<string, unknown>;
    modules.set(service, mod);
  }
  return mod;
}

const TIMESTAMPS = new Set([4, 5, 6, 7]);
const SCALAR: Shape = { kind: 'scalar' };
const TIMESTAMP: Shape = { kind: 'timestamp' };

type Traits = Record<string, unknown> | number | undefined;

function traitsOf(t: Traits): Record<string, unknown> {
  return typeof t === 'object' && t !== null ? t : {};
}

/** A member reference: [schema, traits] (a 2-tuple; every static schema tuple is longer). */
function member(ref: unknown, seen: Map<unknown, Shape>): Member {
  if (Array.isArray(ref) && ref.length === 2) {
    const xmlName = traitsOf(ref[1] as Traits).xmlName;
    return { shape: shapeOf(ref[0], seen), ...(typeof xmlName === 'string' ? { xmlName } : {}) };
  }
  return { shape: shapeOf(ref, seen) };
}

/** The shape of one schema reference; `seen` ties recursive structures into a cycle instead of looping. */
export function shapeOf(ref: unknown, seen = new Map<unknown, Shape>()): Shape {
  const schema = typeof ref === 'function' ? (ref as () => unknown)() : ref;
  if (typeof schema === 'number') {
    if (TIMESTAMPS.has(schema)) return TIMESTAMP;
    if ((schema & 64) === 64 && schema < 128) return { kind: 'list', name: '', member: member(schema & 63, seen), flattened: false };
    return SCALAR;
  }
  if (!Array.isArray(schema)) return SCALAR; // "unit" (no output), documents
  const known = seen.get(schema);
  if (known) return known;
  const [tag, , name, traits] = schema as [number, string, string, Traits];
  if (tag === 3 || tag === -3) {
    const shape: Shape = { kind: 'structure', name, members: new Map() };
    seen.set(schema, shape);
    const [names, refs] = [schema[4] as string[], schema[5] as unknown[]];
    names.forEach((n, i) => shape.members.set(n, member(refs[i], seen)));
    return shape;
  }
  if (tag === 1) return { kind: 'list', name, member: member(schema[4], seen), flattened: traitsOf(traits).xmlFlattened === 1 };
  if (tag === 0) return shapeOf(schema[4], seen);
  return SCALAR; // maps: none in the outputs served so far
}

/** The output shape of (service, action) from the SDK's model; undefined for an action the model lacks. */
export function outputShape(service: ServiceName, action: string): Shape | undefined {
  const key = `${service}:${action}`;
  if (outputs.has(key)) return outputs.get(key);
  const mod = model(service);
  const name = `${action}$`;
  // hasOwn: an action named from the request (e.g. "__proto__") must not reach the prototype.
  const op = Object.hasOwn(mod, name) ? mod[name] : undefined;
  const found = Array.isArray(op) && op[0] === 9 ? shapeOf(op[5]) : undefined;
  const shape = found?.kind === 'structure' ? found : undefined; // "unit": the operation answers nothing
  outputs.set(key, shape);
  return shape;
}

const errorTypes = new Map<string, string | undefined>();

/**
 * The JSON protocol's `__type` for a Query-style wire code (InvalidParameterValue →
 * com.amazonaws.cloudwatch#InvalidParameterValueException), from the error schemas' awsQueryError
 * trait: the SDK names the error after it (err.name InvalidParameterValueException, as against AWS),
 * and the x-amzn-query-error header keeps the Query code for query-compatible clients.
 */
export function jsonErrorType(service: ServiceName, code: string): string | undefined {
  const key = `${service}:${code}`;
  if (errorTypes.has(key)) return errorTypes.get(key);
  const found: [string, string][] = [];
  for (const v of Object.values(model(service))) {
    if (!Array.isArray(v) || v[0] !== -3) continue;
    const [, ns, name, traits] = v as [number, string, string, Traits];
    const q = traitsOf(traits).awsQueryError;
    if (Array.isArray(q) && q[0] === code) found.push([ns, name]);
  }
  const best = found.find(([, name]) => name === code) ?? found[0];
  const type = best ? `${best[0]}#${best[1]}` : undefined;
  errorTypes.set(key, type);
  return type;
}
