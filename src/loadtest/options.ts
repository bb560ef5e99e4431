import { usageError } from '../core/errors.js';
import { BUILTIN_WORKLOADS } from './workloads.js';

/** "60s", "2m", "500ms", "1h" or bare seconds → milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!Number.isFinite(ms)) throw usageError('INVALID_DURATION', `${flag} expects a duration like 60s, 2m or 500ms (got "${value}").`, { hint: `e.g. ${flag} 60s` });
  return ms;
}

export interface RunOptionsInput { duration: string; concurrency: string; rate?: string; ramp?: string; workload: string; profile?: string }
export interface RunOptions { durationMs: number; concurrency: number; rate?: number; rampMs: number; workload: string; profile?: 'flash-sale' }

/** Checks every run flag before anything connects: a bad flag changes nothing and costs nothing. */
export function parseRunOptions(o: RunOptionsInput): RunOptions {
  const durationMs = parseDuration(o.duration, '--duration');
  if (durationMs <= 0) throw usageError('INVALID_DURATION', `--duration must be longer than zero (got "${o.duration}").`, { hint: 'e.g. --duration 60s' });
  const concurrency = Number(o.concurrency);
  if (!/^-?\d+$/.test(o.concurrency.trim()) || concurrency < 1 || concurrency > 4096) {
    throw usageError('INVALID_CONCURRENCY', `--concurrency must be a whole number from 1 to 4096 (got "${o.concurrency}").`, { hint: 'e.g. --concurrency 32 (connections, like sysbench --threads)' });
  }
  let rate: number | undefined;
  if (o.rate !== undefined) {
    rate = Number(o.rate);
    if (!Number.isFinite(rate) || rate <= 0) throw usageError('INVALID_RATE', `--rate must be a positive number of transactions per second (got "${o.rate}").`, { hint: 'e.g. --rate 500; omit it for a closed loop' });
  }
  const rampMs = o.ramp === undefined ? 0 : parseDuration(o.ramp, '--ramp');
  if (rampMs >= durationMs) throw usageError('INVALID_RAMP', `--ramp (${o.ramp}) must be shorter than --duration (${o.duration}).`, { hint: 'e.g. --duration 60s --ramp 10s' });
  if (o.profile !== undefined && o.profile !== 'flash-sale') {
    throw usageError('UNKNOWN_PROFILE', `Unknown --profile "${o.profile}".`, { hint: 'The load profile is --profile flash-sale (the AWS profile is the global --profile before the command).' });
  }
  const builtin = (BUILTIN_WORKLOADS as readonly string[]).includes(o.workload);
  if (!builtin && !/\.sql$/i.test(o.workload)) {
    throw usageError('UNKNOWN_WORKLOAD', `Unknown --workload "${o.workload}".`, { hint: `Use one of ${BUILTIN_WORKLOADS.join(', ')}, or a file ending in .sql.` });
  }
  return { durationMs, concurrency, rate, rampMs, workload: o.workload, profile: o.profile as RunOptions['profile'] };
}

export function parseScale(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 100_000) {
    throw usageError('INVALID_SCALE', `--scale must be a whole number from 1 to 100000 (got "${value}").`, { hint: 'e.g. --scale 10 (1,000 products and 2,000 orders per unit)' });
  }
  return n;
}
