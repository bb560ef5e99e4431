/**
 * Per-fingerprint aggregation with pt-query-digest's statistics: the 95th percentile comes from the
 * same 1000 log-spaced buckets (base 1.05 from 1 µs) and the same walk as pt's
 * EventAggregator::_calc_metrics, so our p95 equals the `95%` column of pt's report (a bucket's lower
 * bound, within 5% of the true value). The sample is the slowest statement (the latest one on ties),
 * as pt's "worst" sample.
 */
import { fingerprint, fingerprintId, type FingerprintOptions } from './fingerprint.js';
import type { QueryClass } from './types.js';

export interface AggregateInput {
  sql: string;
  db?: string;
  queryTime?: number;
  rowsSent?: number;
  rowsExamined?: number;
  /** Executions this event stands for (default 1). */
  weight?: number;
}

export interface AggregateOptions extends FingerprintOptions {
  /**
   * 'latin1' when `sql` holds raw log bytes one char per byte (slow logs): ids hash those exact bytes,
   * as pt does, and text is decoded as UTF-8 for display at the end. 'utf8' for ordinary strings.
   */
  encoding?: 'latin1' | 'utf8';
}

const NUM_BUCK = 1000;
const MIN_BUCK = 0.000001;
const BASE_LOG = Math.log(1.05);
const BASE_OFFSET = Math.abs(1 - Math.log(MIN_BUCK) / BASE_LOG);
const BUCK_VALS = Array.from({ length: NUM_BUCK }, (_, b) => (b === 0 ? 0 : 1.05 ** (b - 1) * MIN_BUCK));

/** pt's EventAggregator::bucket_idx. */
export function bucketIndex(v: number): number {
  if (v < MIN_BUCK) return 0;
  const idx = Math.trunc(BASE_OFFSET + Math.log(v) / BASE_LOG);
  return idx > NUM_BUCK - 1 ? NUM_BUCK - 1 : idx;
}

/** pt's 95th percentile from bucket counts (`_calc_metrics`). */
export function percentile95(buckets: Map<number, number>, cnt: number, min: number, max: number): number {
  if (cnt === 0) return 0;
  if (cnt <= 2 || max === min) return max;
  const cutoff = cnt >= 10 ? Math.trunc(cnt * 0.95) : cnt;
  const topVals = cnt - cutoff;
  let sumExcl = 0;
  const idx = [...buckets.keys()].sort((a, b) => b - a);
  for (const b of idx) {
    sumExcl += buckets.get(b) ?? 0;
    if (sumExcl > topVals) return BUCK_VALS[b];
  }
  return 0;
}

interface ClassState {
  fp: string;
  count: number;
  timed: number;
  total: number;
  min: number;
  max: number;
  rowsExamined: number;
  rowsSent: number;
  sample: string;
  db?: string;
  buckets: Map<number, number>;
}

/**
 * A copy that does not pin its source: V8 keeps a slice or concatenation of a 1 MB read chunk alive
 * with the whole chunk, so anything we keep per class (fingerprint, sample, db) is copied once.
 */
const detach = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');
const detachAny = (s: string | undefined, latin1: boolean): string | undefined =>
  s === undefined ? undefined : latin1 ? detach(s) : s;

export class Aggregator {
  private readonly byFp = new Map<string, ClassState>();
  events = 0;

  constructor(private readonly opts: AggregateOptions = {}) {}

  add(e: AggregateInput, fp: string = fingerprint(e.sql, this.opts)): void {
    const w = e.weight ?? 1;
    this.events += w;
    let c = this.byFp.get(fp);
    const latin1 = this.opts.encoding === 'latin1';
    if (!c) {
      const key = detachAny(fp, latin1)!;
      c = { fp: key, count: 0, timed: 0, total: 0, min: Infinity, max: -Infinity, rowsExamined: 0, rowsSent: 0, sample: detachAny(e.sql, latin1)!, db: detachAny(e.db, latin1), buckets: new Map() };
      this.byFp.set(key, c);
    }
    c.count += w;
    c.rowsExamined += (e.rowsExamined ?? 0) * w;
    c.rowsSent += (e.rowsSent ?? 0) * w;
    const t = e.queryTime;
    if (t === undefined || Number.isNaN(t)) return;
    c.timed += w;
    c.total += t * w;
    if (t < c.min) c.min = t;
    if (t >= c.max) {
      c.max = t;
      c.sample = detachAny(e.sql, latin1)!;
      c.db = detachAny(e.db, latin1);
    }
    const b = bucketIndex(t);
    c.buckets.set(b, (c.buckets.get(b) ?? 0) + w);
  }

  /** Classes ranked by total time (then count, then fingerprint, so ties are stable). */
  classes(): QueryClass[] {
    const latin1 = this.opts.encoding === 'latin1';
    const text = (s: string) => (latin1 ? Buffer.from(s, 'latin1').toString('utf8') : s);
    const out: QueryClass[] = [];
    for (const c of this.byFp.values()) {
      const max = c.timed ? c.max : 0;
      out.push({
        fingerprint: text(c.fp),
        id: fingerprintId(c.fp, latin1 ? 'latin1' : 'utf8'),
        sample: text(c.sample),
        ...(c.db !== undefined ? { db: text(c.db) } : {}),
        count: c.count,
        totalTime: c.total,
        avgTime: c.timed ? c.total / c.timed : 0,
        p95Time: percentile95(c.buckets, c.timed, c.timed ? c.min : 0, max),
        maxTime: max,
        rowsExamined: c.rowsExamined,
        rowsSent: c.rowsSent,
      });
    }
    return out.sort(rankClasses);
  }
}

export function rankClasses(a: QueryClass, b: QueryClass): number {
  return b.totalTime - a.totalTime || b.count - a.count || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);
}

/** Pure convenience: aggregate a list of events into ranked classes. */
export function aggregate(events: Iterable<AggregateInput>, opts: AggregateOptions = {}): QueryClass[] {
  const agg = new Aggregator(opts);
  for (const e of events) agg.add(e);
  return agg.classes();
}
