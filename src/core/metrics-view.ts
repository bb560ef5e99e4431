import { usageError } from './errors.js';
import { validPeriod } from './metric-stats.js';

/** The AWS/RDS metrics `rdsctl metrics` shows, in a person's units (CloudWatch's own unit → display). */
export interface MetricView {
  name: string;
  /** CloudWatch's unit for the metric. */
  unit: string;
  /** Display unit and the factor from CloudWatch's value to it. */
  show: string;
  factor: number;
  /** Statistic fetched per period (Average; latencies p90 would need percentiles of raw samples). */
  stat: string;
}

const MiB = 1024 * 1024;
export const RDS_METRICS: readonly MetricView[] = [
  { name: 'CPUUtilization', unit: 'Percent', show: '%', factor: 1, stat: 'Average' },
  { name: 'DatabaseConnections', unit: 'Count', show: '', factor: 1, stat: 'Average' },
  { name: 'FreeableMemory', unit: 'Bytes', show: 'MiB', factor: 1 / MiB, stat: 'Average' },
  { name: 'FreeStorageSpace', unit: 'Bytes', show: 'MiB', factor: 1 / MiB, stat: 'Average' },
  { name: 'ReadIOPS', unit: 'Count/Second', show: '/s', factor: 1, stat: 'Average' },
  { name: 'WriteIOPS', unit: 'Count/Second', show: '/s', factor: 1, stat: 'Average' },
  { name: 'ReadThroughput', unit: 'Bytes/Second', show: 'KiB/s', factor: 1 / 1024, stat: 'Average' },
  { name: 'WriteThroughput', unit: 'Bytes/Second', show: 'KiB/s', factor: 1 / 1024, stat: 'Average' },
  { name: 'ReadLatency', unit: 'Seconds', show: 'ms', factor: 1000, stat: 'Average' },
  { name: 'WriteLatency', unit: 'Seconds', show: 'ms', factor: 1000, stat: 'Average' },
  { name: 'DiskQueueDepth', unit: 'Count', show: '', factor: 1, stat: 'Average' },
  { name: 'NetworkReceiveThroughput', unit: 'Bytes/Second', show: 'KiB/s', factor: 1 / 1024, stat: 'Average' },
  { name: 'NetworkTransmitThroughput', unit: 'Bytes/Second', show: 'KiB/s', factor: 1 / 1024, stat: 'Average' },
  { name: 'BinLogDiskUsage', unit: 'Bytes', show: 'MiB', factor: 1 / MiB, stat: 'Average' },
  { name: 'ReplicaLag', unit: 'Seconds', show: 's', factor: 1, stat: 'Average' },
];

/** --metric CPUUtilization,ReadLatency → the views, in the order given; an unknown name is a usage error. */
export function selectMetrics(list: string | undefined): MetricView[] {
  if (!list) return [...RDS_METRICS];
  return list.split(',').map((s) => s.trim()).filter(Boolean).map((name) => {
    const found = RDS_METRICS.find((m) => m.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      throw usageError('UNKNOWN_METRIC', `Unknown metric "${name}" (--metric).`, { hint: `Use one or more of: ${RDS_METRICS.map((m) => m.name).join(', ')}.` });
    }
    return found;
  });
}

/** --since 90m / 3h / 2d / 45s → milliseconds; CloudWatch keeps 1-minute data 15 days. */
export function parseSince(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'] : NaN;
  if (!(ms > 0) || ms > 15 * 86_400_000) {
    throw usageError('INVALID_SINCE', `Invalid --since "${text}".`, { hint: 'Give a duration up to 15 days, e.g. --since 90m, --since 3h or --since 2d.' });
  }
  return ms;
}

/** --period: CloudWatch's 60 s or a multiple (1, 5, 10, 30 for high-resolution data). */
export function parsePeriod(text: string): number {
  const n = Number(text);
  if (!validPeriod(n)) {
    throw usageError('INVALID_PERIOD', `Invalid --period "${text}": CloudWatch periods are 60 seconds or a multiple of 60 (1, 5, 10 or 30 for high-resolution data).`, {
      hint: 'Use e.g. --period 60 or --period 300.',
    });
  }
  return n;
}

export interface MetricSummary {
  name: string;
  show: string;
  latest?: number;
  average?: number;
  max?: number;
  /** Display values, oldest first. */
  values: number[];
}

export function summarize(view: MetricView, valuesOldestFirst: number[]): MetricSummary {
  const values = valuesOldestFirst.map((v) => v * view.factor);
  if (values.length === 0) return { name: view.name, show: view.show, values };
  return {
    name: view.name, show: view.show, values, latest: values[values.length - 1],
    average: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values),
  };
}

const BARS = '▁▂▃▄▅▆▇█';

/** A unicode sparkline of the last `width` values, scaled between their min and max (flat → lowest bar). */
export function sparkline(values: number[], width: number): string {
  const v = values.slice(-Math.max(1, width));
  if (v.length === 0) return '';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return v.map((x) => BARS[hi === lo ? 0 : Math.min(7, Math.floor(((x - lo) / (hi - lo)) * 8))]).join('');
}

/** 12.3, 1,024, 0.42 — a few significant digits, as a person reads them. */
export function humanNumber(v: number | undefined): string {
  if (v === undefined) return '–';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
