import type { FlatParams } from '../server/types.js';
import { invalidValue, missingParameter } from './faults.js';

/** Typed readers over flat Query params (aws-wire.md: lists are Name.Member.N, 1-based). */
/** An empty value counts as absent: Terraform's AWS provider sends e.g. `DBName=` for "not set". */
export function str(flat: FlatParams, name: string): string | undefined {
  const v = flat[name];
  return v === undefined || v === '' ? undefined : v;
}

export function required(flat: FlatParams, name: string): string {
  const v = flat[name];
  if (v === undefined || v === '') throw missingParameter(name);
  return v;
}

export function int(flat: FlatParams, name: string): number | undefined {
  const v = flat[name];
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw invalidValue(`Invalid value for parameter ${name}: "${v}" is not an integer.`);
  return Number(v);
}

export function bool(flat: FlatParams, name: string): boolean | undefined {
  const v = flat[name];
  if (v === undefined || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidValue(`Invalid value for parameter ${name}: "${v}" is not a boolean (true or false).`);
}

/** Name.Member.1, Name.Member.2, … in order. */
export function list(flat: FlatParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; flat[`${prefix}.${i}`] !== undefined; i++) out.push(flat[`${prefix}.${i}`]);
  return out;
}

export interface Filter {
  Name: string;
  Values: string[];
}

export function filters(flat: FlatParams): Filter[] {
  const out: Filter[] = [];
  for (let i = 1; flat[`Filters.Filter.${i}.Name`] !== undefined; i++) {
    out.push({ Name: flat[`Filters.Filter.${i}.Name`], Values: list(flat, `Filters.Filter.${i}.Values.Value`) });
  }
  return out;
}

/** Tags.Tag.N.Key/Value; the `aws:` prefix is AWS's own and refused as RDS refuses it. */
export function tags(flat: FlatParams): { Key: string; Value: string }[] {
  const out: { Key: string; Value: string }[] = [];
  for (let i = 1; flat[`Tags.Tag.${i}.Key`] !== undefined; i++) {
    const key = flat[`Tags.Tag.${i}.Key`];
    if (key.toLowerCase().startsWith('aws:')) throw invalidValue(`Invalid tag key: ${key}. Tag keys can't start with "aws:", which is reserved for AWS use.`);
    out.push({ Key: key, Value: flat[`Tags.Tag.${i}.Value`] ?? '' });
  }
  return out;
}
