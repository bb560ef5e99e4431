import * as hdr from 'hdr-histogram-js';

/** Latencies are recorded in microseconds, 1 µs to 1 hour, 3 significant digits (HdrHistogram's usual). */
const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
export type Histogram = ReturnType<typeof newHistogram>;

/** MySQL errnos a DBA reads differently: contention (retry) versus everything else (a bug or an outage). */
export function classifyError(err: unknown): string {
  const e = err as { errno?: number; code?: string };
  if (e?.errno === 1213) return 'deadlock (1213)';
  if (e?.errno === 1205) return 'lock wait timeout (1205)';
  if (typeof e?.errno === 'number') return `${e.code ?? 'error'} (${e.errno})`;
  return e?.code ?? 'client error';
}

export interface TypeStats {
  histogram: Histogram;
  ok: number;
  soldOut: number;
  errors: Map<string, number>;
}

/** Counters of one run: per transaction type, per endpoint, and a 1-second window for the live line. */
export class RunStats {
  readonly types = new Map<string, TypeStats>();
  readonly endpoints = new Map<string, { transactions: number; queries: number }>();
  queries = 0;
  private window = newHistogram();
  private windowTx = 0;
  private windowQueries = 0;
  private windowErrors = 0;

  constructor(typeNames: string[]) {
    for (const n of typeNames) this.types.set(n, { histogram: newHistogram(), ok: 0, soldOut: 0, errors: new Map() });
  }

  record(type: string, latencyUs: number, outcome: 'ok' | 'sold_out' | { error: string }): void {
    const t = this.types.get(type)!;
    const us = Math.max(1, Math.round(latencyUs));
    if (typeof outcome === 'object') {
      t.errors.set(outcome.error, (t.errors.get(outcome.error) ?? 0) + 1);
      this.windowErrors++;
      return;
    }
    t.histogram.recordValue(us);
    this.window.recordValue(us);
    this.windowTx++;
    if (outcome === 'ok') t.ok++;
    else t.soldOut++;
  }

  query(endpoint: string): void {
    this.queries++;
    this.windowQueries++;
    const e = this.endpoints.get(endpoint) ?? { transactions: 0, queries: 0 };
    e.queries++;
    this.endpoints.set(endpoint, e);
  }

  transactionOn(endpoint: string): void {
    const e = this.endpoints.get(endpoint) ?? { transactions: 0, queries: 0 };
    e.transactions++;
    this.endpoints.set(endpoint, e);
  }

  /** What happened since the last call (the live line), then a fresh window. */
  takeWindow(): { transactions: number; queries: number; errors: number; p95Us: number } {
    const w = { transactions: this.windowTx, queries: this.windowQueries, errors: this.windowErrors, p95Us: this.windowTx ? this.window.getValueAtPercentile(95) : 0 };
    this.window.reset();
    this.windowTx = this.windowQueries = this.windowErrors = 0;
    return w;
  }
}

export interface LatencySummary { count: number; p50: number; p95: number; p99: number; p999: number; max: number; mean: number }

/** Milliseconds, 3 decimals. */
export function summarize(h: Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    count: h.totalCount, p50: ms(h.getValueAtPercentile(50)), p95: ms(h.getValueAtPercentile(95)), p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)), max: ms(h.maxValue), mean: ms(h.mean),
  };
}

export function mergedHistogram(hs: Histogram[]): Histogram {
  const all = newHistogram();
  for (const h of hs) all.add(h);
  return all;
}
