/**
 * CloudWatch statistics over raw datapoints, pure: the local endpoint answers GetMetricData /
 * GetMetricStatistics and evaluates alarms with it, so one rule decides what "Average over 60 s" means.
 */

export interface RawPoint {
  /** epoch milliseconds */
  t: number;
  v: number;
}

export const BASIC_STATS = ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'] as const;
export type BasicStat = (typeof BASIC_STATS)[number];

/** "Average", "p90", "p99.9" … → a statistic we compute; undefined for anything CloudWatch would refuse here. */
export function parseStat(stat: string): { kind: 'basic'; stat: BasicStat } | { kind: 'percentile'; p: number } | undefined {
  if ((BASIC_STATS as readonly string[]).includes(stat)) return { kind: 'basic', stat: stat as BasicStat };
  const m = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/.exec(stat);
  if (!m) return undefined;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? { kind: 'percentile', p } : undefined;
}

/** One statistic of the values of one period (values non-empty). Percentiles: nearest rank, as CloudWatch's raw-data percentiles. */
export function statOf(stat: string, values: number[]): number {
  const s = parseStat(stat);
  if (!s) throw new Error(`unknown statistic ${stat}`);
  if (s.kind === 'percentile') {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((s.p / 100) * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1];
  }
  switch (s.stat) {
    case 'Sum': return values.reduce((a, b) => a + b, 0);
    case 'SampleCount': return values.length;
    case 'Minimum': return Math.min(...values);
    case 'Maximum': return Math.max(...values);
    case 'Average': return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

/** CloudWatch's periods: 1, 5, 10, 30 (high resolution) or any multiple of 60 seconds. */
export function validPeriod(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds > 0 && ([1, 5, 10, 30].includes(seconds) || seconds % 60 === 0);
}

export interface Bucket {
  /** start of the period, epoch ms */
  start: number;
  values: number[];
}

/**
 * Points in [startMs, endMs) grouped into periods aligned to the epoch (as CloudWatch aligns them),
 * oldest first; empty periods are left out (CloudWatch returns no datapoint for them).
 */
export function bucketize(points: RawPoint[], startMs: number, endMs: number, periodSec: number): Bucket[] {
  const p = periodSec * 1000;
  const byStart = new Map<number, number[]>();
  for (const pt of points) {
    if (pt.t < startMs || pt.t >= endMs) continue;
    const start = Math.floor(pt.t / p) * p;
    const list = byStart.get(start);
    if (list) list.push(pt.v);
    else byStart.set(start, [pt.v]);
  }
  return [...byStart.entries()].sort((a, b) => a[0] - b[0]).map(([start, values]) => ({ start, values }));
}
