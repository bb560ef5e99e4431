import { readFile } from 'node:fs/promises';
import { conflictError, usageError } from '../core/errors.js';
import { runCheck, type CheckResult } from '../loadtest/check.js';
import { sizes } from '../loadtest/data.js';
import { fileWorkload } from '../loadtest/file-workload.js';
import { schedulingFor, type RunOptions, type Scheduling } from '../loadtest/options.js';
import { runLoad, type Endpoint, type LiveLine, type RunResult, type Session } from '../loadtest/runner.js';
import { ident } from '../loadtest/schema.js';
import { builtinWorkload, withFlashSale, type Workload } from '../loadtest/workloads.js';
import { replicaStatus } from '../db/replication.js';
import type { DbTarget } from '../db/session.js';
import { preparedScale } from './loadtest-prepare.js';
import { sessionOpener } from './loadtest-session.js';
import { DEFAULT_DATABASE, type LoadTargets } from './loadtest-target.js';
import { setPolicy } from '../system/scheduling.js';

export interface LoadRunReport extends RunResult {
  database: string;
  scale?: number;
  /** null when the store schema is not there (a file workload on other tables), or the run was interrupted: nothing checked. */
  check: CheckResult | null;
  /** The generator's scheduling policy during the run, and why (options.ts schedulingFor). */
  scheduling: Scheduling;
}

/** flash-sale's hot products: a handful, so the checkouts pile onto the same inventory rows. */
const HOT_PRODUCTS = [1, 2, 3, 4, 5];

async function endpoint(targets: LoadTargets, t: DbTarget, role: Endpoint['role']): Promise<Endpoint> {
  const database = targets.database;
  const open = await sessionOpener(t);
  return { label: t.label, role, async open() {
    const s = await open();
    await s.exec(`USE ${ident(database)}`).catch(async (err: unknown) => { await s.close(); throw notPrepared(targets, t.label, err); });
    return s;
  } };
}

/** The hint names the real command: the instance's id, or the same --dsn. */
const notPrepared = (t: LoadTargets, label: string, cause?: unknown) => conflictError('LOADTEST_NOT_PREPARED',
  `The load-test store is not prepared in ${t.database} on ${label}.`, {
    hint: `Prepare it first: \`rdsctl loadtest prepare ${t.instanceId ?? '--dsn'}${t.database === DEFAULT_DATABASE ? '' : ` --database ${t.database}`} --scale 1\`${t.instanceId ? '' : ' with the same DSN'}, or pass the --database it was prepared in.`, cause });

async function loadWorkload(o: RunOptions): Promise<{ w: Workload; needsStore: boolean }> {
  if (!o.workload.toLowerCase().endsWith('.sql')) {
    const base = builtinWorkload(o.workload as Parameters<typeof builtinWorkload>[0]);
    return { w: o.profile === 'flash-sale' ? withFlashSale(base, HOT_PRODUCTS) : base, needsStore: true };
  }
  if (o.profile) throw usageError('PROFILE_NEEDS_STORE', '--profile flash-sale shapes the store workloads, not a .sql file.', { hint: 'Drop --profile, or use --workload ecommerce.' });
  const text = await readFile(o.workload, 'utf8').catch((err: Error) => {
    throw usageError('WORKLOAD_FILE_UNREADABLE', `Cannot read --workload ${o.workload}: ${err.message}.`, { hint: 'Give a readable .sql file, one statement per line.' });
  });
  const w = fileWorkload(text, o.workload);
  return { w, needsStore: w.usesPlaceholders };
}

/** Each replica's Seconds_Behind_Master, read by the one replication reader (src/db/replication.ts); null = unknown or not replicating. */
async function lagSampler(replicas: Endpoint[]): Promise<{ sample(): Promise<Record<string, number | null>>; close(): Promise<void> }> {
  const sessions = await Promise.all(replicas.map(async (r) => ({ label: r.label, s: await r.open() })));
  return {
    async sample() {
      const out: Record<string, number | null> = {};
      await Promise.all(sessions.map(async ({ label, s }) => {
        const status = await replicaStatus({ query: async <T>(sql: string) => (await s.exec(sql)) as T[] }).catch(() => undefined);
        out[label] = status?.secondsBehind ?? null;
      }));
      return out;
    },
    close: async () => { await Promise.all(sessions.map(({ s }) => s.close())); },
  };
}

/** `stop` (Ctrl-C) ends the run early: the report covers what completed, and the check is skipped (the user asked to stop). */
export async function runLoadTest(targets: LoadTargets, o: RunOptions, onTick: (l: LiveLine) => void, stop?: AbortSignal): Promise<LoadRunReport> {
  const { w, needsStore } = await loadWorkload(o);
  const primary = await endpoint(targets, targets.primary, 'primary');
  const replicas = await Promise.all(targets.replicas.map((t) => endpoint(targets, t, 'replica')));
  const probe: Session = await primary.open();
  let scale: number | undefined;
  try {
    scale = await preparedScale(probe, targets.database);
  } finally {
    await probe.close();
  }
  if (needsStore && scale === undefined) throw notPrepared(targets, targets.primary.label);
  const s = sizes(scale ?? 1);
  const scheduling = await applyScheduling(o, targets);
  let result: RunResult;
  try {
    const lag = await lagSampler(replicas);
    try {
      result = await runLoad(
        { workload: w, durationMs: o.durationMs, concurrency: o.concurrency, rate: o.rate, rampMs: o.rampMs, warmupMs: o.warmupMs,
          size: { products: s.products, customers: s.customers, categories: s.categories }, seed: (Date.now() & 0x7fffffff) >>> 0 },
        { primary, replicas, onTick, sampleLag: replicas.length ? () => lag.sample() : undefined, stop },
      );
    } finally {
      await lag.close();
    }
  } finally {
    if (scheduling.policy === 'batch') await setPolicy('normal');
  }
  let check: CheckResult | null = null;
  if (scale !== undefined && !result.interrupted) {
    const c = await primary.open();
    try { check = await runCheck(c); } finally { await c.close(); }
  }
  return { ...result, database: targets.database, scale, check, scheduling };
}

/** The policy for this run, set on the process; auto falls back to normal (saying why) where it cannot be set. */
async function applyScheduling(o: RunOptions, targets: LoadTargets): Promise<Scheduling> {
  const want = schedulingFor(o.scheduler, [targets.primary, ...targets.replicas]);
  if (want.policy === 'normal') return want;
  const failed = await setPolicy('batch');
  if (!failed) return want;
  if (o.scheduler === 'batch') throw usageError('SCHEDULER_UNAVAILABLE', `--scheduler batch cannot be set here: ${failed}.`, { hint: 'Use --scheduler normal (or auto).' });
  return { policy: 'normal', why: `${failed}, so the default policy` };
}
