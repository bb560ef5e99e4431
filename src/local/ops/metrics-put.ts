import type { StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { OpHandler } from '../server/types.js';
import type { OpsContext } from './context.js';
import { invalidValue, missingParameter } from './faults.js';
import { arr, dimensionsOf, inputOf, optNum, optStr, optTime, reqStr, type Input } from './metrics-input.js';

const UNITS = new Set<string>(['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second',
  'Count/Second', 'None'] satisfies StandardUnit[]);

const TWO_WEEKS = 14 * 86400_000;
const TWO_HOURS = 2 * 3600_000;

/** The values one MetricDatum carries: Value, Values × Counts, or a StatisticSet (kept as its mean, SampleCount times). */
function valuesOf(d: Input, where: string): number[] {
  const value = optNum(d, 'Value');
  const values = arr(d, 'Values').map((v) => Number(v));
  const counts = arr(d, 'Counts').map((v) => Number(v));
  const set = d.StatisticValues as Input | undefined;
  const given = [value !== undefined, values.length > 0, set !== undefined].filter(Boolean).length;
  if (given !== 1) throw invalidValue(`${where} must contain exactly one of Value, Values or StatisticValues.`);
  if (value !== undefined) return [value];
  if (set) {
    const n = optNum(set, 'SampleCount') ?? 0;
    const sum = optNum(set, 'Sum') ?? 0;
    if (!(n > 0)) throw invalidValue(`${where}.StatisticValues.SampleCount must be greater than 0.`);
    return Array.from({ length: Math.min(Math.round(n), 1000) }, () => sum / n);
  }
  if (counts.length > 0 && counts.length !== values.length) throw invalidValue(`${where}: Values and Counts must have the same length.`);
  if (values.length > 150) throw invalidValue(`${where}.Values must not have more than 150 values.`);
  return values.flatMap((v, i) => Array.from({ length: Math.max(1, Math.min(Math.round(counts[i] ?? 1), 1000)) }, () => v));
}

/** PutMetricData: custom namespaces only (AWS/ is AWS's own), timestamps within two weeks back and two hours ahead. */
export function putMetricData(ctx: OpsContext): OpHandler<object> {
  return async (req) => {
    const input = inputOf(req);
    const ns = reqStr(input, 'Namespace');
    if (ns.startsWith('AWS/')) throw invalidValue(`The value ${ns} for parameter Namespace is invalid: namespaces starting with AWS/ are reserved.`);
    const data = arr(input, 'MetricData');
    if (data.length === 0) throw missingParameter('MetricData');
    if (data.length > 1000) throw invalidValue('The collection MetricData must not have a size greater than 1000.');
    const now = Date.now();
    const parsed = data.map((d, i) => {
      const where = `MetricData.member.${i + 1}`;
      const unit = optStr(d, 'Unit') ?? 'None';
      if (!UNITS.has(unit)) throw invalidValue(`The value ${unit} for parameter ${where}.Unit is not a valid unit.`);
      const t = optTime(d, 'Timestamp') ?? now;
      if (t < now - TWO_WEEKS || t > now + TWO_HOURS) throw invalidValue(`The parameter ${where}.Timestamp must specify a time no more than two weeks in the past and two hours in the future.`);
      return { name: reqStr(d, 'MetricName'), dims: dimensionsOf(d), t, unit, values: valuesOf(d, where) };
    });
    for (const p of parsed) {
      // Several values at one timestamp: consecutive milliseconds, so each stays a sample of its own.
      p.values.forEach((v, k) => ctx.metrics.append(ns, p.dims, p.t + k, { [p.name]: [v, p.unit] }));
    }
    return {};
  };
}
