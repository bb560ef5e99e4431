import { usageError } from '../core/errors.js';
import { isLoopbackHost } from '../core/loopback.js';
import { BUILTIN_WORKLOADS } from './workloads.js';

/** "60s", "2m", "500ms", "1h" or bare seconds → milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!Number.isFinite(ms)) throw usageError('INVALID_DURATION', `${flag} expects a duration like 60s, 2m or 500ms (got "${value}").`, { hint: `e.g. ${flag} 60s` });
  return ms;
}

export interface RunOptionsInput { duration: string; concurrency: string; rate?: string; ramp?: string; warmup?: string; workload: string; profile?: string; scheduler?: string }
export const SCHEDULERS = ['auto', 'batch', 'normal'] as const;
export type Scheduler = (typeof SCHEDULERS)[number];
export interface RunOptions { durationMs: number; concurrency: number; rate?: number; rampMs: number; warmupMs: number; workload: string; profile?: 'flash-sale'; scheduler: Scheduler }

/**
 * Unmeasured load before the window: the generator's first two seconds ran at 75 % and 94 % of its
 * steady rate (V8 compiling its code; each connection preparing its statements), which a report would
 * show as server latency. sysbench 1.1's --warmup-time is the same idea (1.0.20, Debian's, has none).
 */
export const DEFAULT_WARMUP = '2s';

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
  // A ramp starts the load gradually and measures it: a full load before it would defeat it.
  const warmupMs = parseDuration(o.warmup ?? (rampMs > 0 ? '0' : DEFAULT_WARMUP), '--warmup');
  if (warmupMs > 0 && rampMs > 0) throw usageError('INVALID_WARMUP', `--warmup and --ramp do not go together: the ramp already starts the load gradually (and is measured).`, { hint: 'Drop --warmup, or drop --ramp.' });
  if (o.profile !== undefined && o.profile !== 'flash-sale') {
    throw usageError('UNKNOWN_PROFILE', `Unknown --profile "${o.profile}".`, { hint: 'The load profile is --profile flash-sale (the AWS profile is the global --profile before the command).' });
  }
  const builtin = (BUILTIN_WORKLOADS as readonly string[]).includes(o.workload);
  if (!builtin && !/\.sql$/i.test(o.workload)) {
    throw usageError('UNKNOWN_WORKLOAD', `Unknown --workload "${o.workload}".`, { hint: `Use one of ${BUILTIN_WORKLOADS.join(', ')}, or a file ending in .sql.` });
  }
  const scheduler = (o.scheduler ?? 'auto') as Scheduler;
  if (!SCHEDULERS.includes(scheduler)) throw usageError('UNKNOWN_SCHEDULER', `Unknown --scheduler "${o.scheduler}".`, { hint: `Use one of ${SCHEDULERS.join(', ')} (auto: batch when the server runs on this host).` });
  return { durationMs, concurrency, rate, rampMs, warmupMs, workload: o.workload, profile: o.profile as RunOptions['profile'], scheduler };
}

export function parseScale(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 100_000) {
    throw usageError('INVALID_SCALE', `--scale must be a whole number from 1 to 100000 (got "${value}").`, { hint: 'e.g. --scale 10 (1,000 products and 2,000 orders per unit)' });
  }
  return n;
}

/** A server on this host: a Unix socket, or a loopback address (the local target's endpoints are 127.0.0.1). */
export const onThisHost = (t: { host?: string; socketPath?: string }): boolean => Boolean(t.socketPath) || isLoopbackHost(t.host);

/** The generator's scheduling policy for a run, and why it was chosen. */
export interface Scheduling { policy: 'batch' | 'normal'; why: string }

/**
 * The generator's scheduling policy for a run. One Node.js thread drives every connection and wakes for
 * every reply; under the default policy each wakeup may preempt a mariadbd thread in the middle of a
 * query when the server shares this host's CPUs, so the generator's own presence costs the server it
 * measures throughput (docs/BENCHMARKS.md: on 2 cores, read-only 33.5 k vs 42.2 k QPS). SCHED_BATCH keeps
 * the generator's CPU share (same nice) but lets the server's threads finish their time slice first.
 * A remote server (RDS) shares nothing with the client, so there the policy stays normal.
 */
export function schedulingFor(choice: Scheduler, servers: Array<{ host?: string; socketPath?: string }>): Scheduling {
  if (choice === 'batch') return { policy: 'batch', why: '--scheduler batch' };
  if (choice === 'normal') return { policy: 'normal', why: '--scheduler normal' };
  return servers.some(onThisHost)
    ? { policy: 'batch', why: 'the server runs on this host' }
    : { policy: 'normal', why: 'the server runs on another host' };
}

