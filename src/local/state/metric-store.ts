import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from './atomic-file.js';
import { homeLayout } from './home.js';

export type Dimensions = Record<string, string>;

/** One metric series: namespace + name + dimensions, its unit and datapoints (oldest first). */
export interface Series {
  namespace: string;
  name: string;
  dims: Dimensions;
  unit: string;
  points: { t: number; v: number }[];
}

/** One appended line: several metrics of one namespace+dimensions at one time (a sample of an instance). */
interface Line {
  t: number;
  ns: string;
  d: Dimensions;
  m: Record<string, [number, string]>;
}

export const seriesKey = (ns: string, name: string, dims: Dimensions) =>
  JSON.stringify([ns, name, Object.entries(dims).sort(([a], [b]) => a.localeCompare(b))]);
const groupKey = (ns: string, dims: Dimensions) => seriesKey(ns, '', dims);

/**
 * Metric datapoints, kept in RDSCTL_HOME/state/metrics/: one append-only JSON-lines file per
 * namespace + dimensions (an instance's AWS/RDS sample is one line, one write). Crash safety: a line is
 * appended whole by one write(2); a torn last line (power cut mid-write) is skipped on load, so a
 * crash loses at most the sample being written. Compaction (points older than the retention dropped)
 * rewrites a file atomically (temp + fsync + rename) at load and when it doubled since the last one.
 * Everything retained is also held in memory: queries never read the disk.
 */
export class MetricStore {
  readonly dir: string;
  private readonly series = new Map<string, Series>();
  /** Lines in each file now, and after its last compaction (compact again when it doubled). */
  private readonly lines = new Map<string, number>();
  private readonly compacted = new Map<string, number>();

  constructor(home: string, readonly retentionMs: number, private readonly now = () => Date.now()) {
    this.dir = path.join(homeLayout(home).stateDir, 'metrics');
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (const name of fs.readdirSync(this.dir)) if (name.endsWith('.jsonl') && !name.startsWith('.')) this.load(path.join(this.dir, name));
  }

  private fileFor(ns: string, dims: Dimensions): string {
    return path.join(this.dir, `${createHash('sha256').update(groupKey(ns, dims)).digest('hex').slice(0, 20)}.jsonl`);
  }

  private load(file: string): void {
    const cutoff = this.now() - this.retentionMs;
    const kept: Line[] = [];
    for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!text) continue;
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        continue; // a torn last line from a crash
      }
      if (line.t >= cutoff) kept.push(line);
    }
    kept.sort((a, b) => a.t - b.t).forEach((l) => this.remember(l));
    writeFileAtomic(file, kept.map((l) => JSON.stringify(l) + '\n').join(''));
    this.lines.set(file, kept.length);
    this.compacted.set(file, kept.length);
  }

  private remember(line: Line): void {
    for (const [name, [v, unit]] of Object.entries(line.m)) {
      const key = seriesKey(line.ns, name, line.d);
      let s = this.series.get(key);
      if (!s) {
        s = { namespace: line.ns, name, dims: line.d, unit, points: [] };
        this.series.set(key, s);
      }
      // Out-of-order PutMetricData timestamps are allowed: keep the points sorted.
      const pts = s.points;
      if (pts.length === 0 || pts[pts.length - 1].t <= line.t) pts.push({ t: line.t, v });
      else pts.splice(pts.findIndex((p) => p.t > line.t), 0, { t: line.t, v });
    }
  }

  /** Appends metrics of one namespace + dimensions at time t (ms). */
  append(ns: string, dims: Dimensions, t: number, metrics: Record<string, [number, string]>): void {
    if (Object.keys(metrics).length === 0) return;
    const line: Line = { t, ns, d: dims, m: metrics };
    const file = this.fileFor(ns, dims);
    fs.appendFileSync(file, JSON.stringify(line) + '\n', { mode: 0o600 });
    this.remember(line);
    const n = (this.lines.get(file) ?? 0) + 1;
    this.lines.set(file, n);
    if (n >= 2 * (this.compacted.get(file) ?? 0) + 1000) this.compact(ns, dims, file);
  }

  private compact(ns: string, dims: Dimensions, file: string): void {
    this.prune();
    // Lines per timestamp; a series with two points at one time (PutMetricData allows it) needs a second line.
    const byT = new Map<number, Line[]>();
    for (const s of this.series.values()) {
      if (groupKey(s.namespace, s.dims) !== groupKey(ns, dims)) continue;
      for (const p of s.points) {
        const lines = byT.get(p.t) ?? [];
        let l = lines.find((x) => !(s.name in x.m));
        if (!l) lines.push((l = { t: p.t, ns, d: dims, m: {} }));
        l.m[s.name] = [p.v, s.unit];
        byT.set(p.t, lines);
      }
    }
    const kept = [...byT.values()].flat().sort((a, b) => a.t - b.t);
    writeFileAtomic(file, kept.map((l) => JSON.stringify(l) + '\n').join(''));
    this.lines.set(file, kept.length);
    this.compacted.set(file, kept.length);
  }

  /** Drops points older than the retention from memory. */
  prune(): void {
    const cutoff = this.now() - this.retentionMs;
    for (const s of this.series.values()) {
      const i = s.points.findIndex((p) => p.t >= cutoff);
      if (i > 0) s.points.splice(0, i);
      else if (i < 0) s.points.length = 0;
    }
  }

  /** Every series (ListMetrics), with its points. */
  all(): Series[] {
    return [...this.series.values()];
  }

  get(ns: string, name: string, dims: Dimensions): Series | undefined {
    return this.series.get(seriesKey(ns, name, dims));
  }
}
