import type { OpRequest } from '../server/types.js';
import { invalidValue, missingParameter } from './faults.js';

/**
 * CloudWatch's input in one form for both protocols: JSON 1.0 sends the structure as is (timestamps
 * epoch seconds); Query sends it flat (`MetricDataQueries.member.1.MetricStat.Period=60`, values all
 * strings, timestamps ISO 8601). The readers below coerce either.
 */
export type Input = Record<string, unknown>;

export function inputOf(req: OpRequest): Input {
  if (req.json) return req.json;
  const root: Input = {};
  for (const [key, value] of Object.entries(req.flat)) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      let part: string | number = parts[i];
      if (part === 'member' || part === 'entry') continue; // list wrappers; the index follows
      if (/^\d+$/.test(part)) part = Number(part) - 1;
      if (part === '__proto__' || part === 'constructor' || part === 'prototype') break;
      const last = i === parts.length - 1;
      const nextIsIndex = !last && (parts[i + 1] === 'member' || /^\d+$/.test(parts[i + 1]));
      const container = node as Record<string | number, unknown>;
      if (last) container[part] = value;
      else {
        container[part] ??= nextIsIndex ? [] : {};
        node = container[part] as Record<string, unknown>;
      }
    }
  }
  return root;
}

export function optStr(o: Input, name: string): string | undefined {
  const v = o[name];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

export function reqStr(o: Input, name: string): string {
  const v = optStr(o, name);
  if (v === undefined) throw missingParameter(name);
  return v;
}

export function optNum(o: Input, name: string): number | undefined {
  const v = o[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw invalidValue(`The value ${String(v)} for parameter ${name} is not a number.`);
  return n;
}

export function optInt(o: Input, name: string): number | undefined {
  const n = optNum(o, name);
  if (n !== undefined && !Number.isInteger(n)) throw invalidValue(`The value ${n} for parameter ${name} is not an integer.`);
  return n;
}

export function optBool(o: Input, name: string): boolean | undefined {
  const v = o[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalidValue(`The value ${String(v)} for parameter ${name} is not a boolean.`);
}

/** JSON: epoch seconds (number); Query: ISO 8601. → epoch ms. */
export function optTime(o: Input, name: string): number | undefined {
  const v = o[name];
  if (v === undefined || v === null || v === '') return undefined;
  const ms = typeof v === 'number' ? v * 1000 : /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) * 1000 : Date.parse(String(v));
  if (!Number.isFinite(ms)) throw invalidValue(`The value ${String(v)} for parameter ${name} is not a valid timestamp.`);
  return ms;
}

export function reqTime(o: Input, name: string): number {
  const t = optTime(o, name);
  if (t === undefined) throw missingParameter(name);
  return t;
}

export function arr(o: Input, name: string): Input[] {
  const v = o[name];
  if (v === undefined || v === null || v === '') return [];
  if (!Array.isArray(v)) throw invalidValue(`The parameter ${name} must be a list.`);
  return v.filter((x) => x !== undefined) as Input[];
}

export function strs(o: Input, name: string): string[] {
  return arr(o, name).map((x) => String(x));
}

export function obj(o: Input, name: string): Input | undefined {
  const v = o[name];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Input) : undefined;
}

/** Dimensions [{Name, Value}] → { Name: Value }; CloudWatch allows 30 per metric. */
export function dimensionsOf(o: Input, name = 'Dimensions'): Record<string, string> {
  const list = arr(o, name);
  if (list.length > 30) throw invalidValue(`The collection ${name} must not have a size greater than 30.`);
  const out: Record<string, string> = {};
  for (const d of list) out[reqStr(d, 'Name')] = optStr(d, 'Value') ?? '';
  return out;
}

export const dimensionList = (dims: Record<string, string>) => Object.entries(dims).map(([Name, Value]) => ({ Name, Value }));
