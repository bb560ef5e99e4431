import { rng } from './data.js';
import { arrivals, workerStartMs } from './schedule.js';
import { classifyError, mergedHistogram, RunStats, summarize, type LatencySummary } from './stats.js';
import { pick, type Conn, type TxContext, type Workload } from './workloads.js';

/** One server the load goes to. `open` gives a fresh session (one per worker, like sysbench threads). */
export interface Endpoint {
  label: string;
  role: 'primary' | 'replica';
  open(): Promise<Session>;
}
export interface Session extends Conn { close(): Promise<void> }

export interface RunPlan {
  workload: Workload;
  durationMs: number;
  concurrency: number;
  /** Open loop: arrivals per second. Undefined = closed loop. */
  rate?: number;
  rampMs: number;
  size: TxContext['size'];
  seed: number;
}

export interface LiveLine { elapsedS: number; tps: number; qps: number; p95Ms: number; errors: number }
export interface RunIo {
  primary: Endpoint;
  replicas: Endpoint[];
  /** Once a second while running: the live line. */
  onTick?(line: LiveLine): void;
  /** Once a second while running: each replica's lag in seconds (null = unknown). */
  sampleLag?(): Promise<Record<string, number | null>>;
}

export interface TypeReport { type: string; access: 'read' | 'write'; ok: number; soldOut: number; errors: number; latencyMs: LatencySummary }
export interface RunResult {
  workload: string; mode: 'open' | 'closed'; rate?: number; concurrency: number; seed: number;
  elapsedS: number; transactions: number; tps: number; queries: number; qps: number;
  /** Latency is measured from each transaction's intended start (open loop) or its actual start (closed loop). */
  latencyFrom: 'intended start' | 'actual start';
  total: LatencySummary; byType: TypeReport[]; errors: Record<string, number>;
  endpoints: Array<{ endpoint: string; role: string; transactions: number; queries: number }>;
  replicaLag: Array<{ endpoint: string; maxSeconds: number | null; samples: number }>;
  /** Open loop: arrivals still queued when the time was up (the server fell behind by this many). */
  backlog: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => performance.now();

/** A session that counts its statements per endpoint, for the QPS and the per-endpoint split. */
function counted(s: Session, label: string, stats: RunStats): Session {
  return { exec: (sql, p) => { stats.query(label); return s.exec(sql, p); }, close: () => s.close() };
}

export async function runLoad(plan: RunPlan, io: RunIo): Promise<RunResult> {
  const stats = new RunStats(plan.workload.types.map((t) => t.name));
  // Every session opens before the clock starts: an unreachable server fails here, not as errors mid-run.
  const sessions = await Promise.all(Array.from({ length: plan.concurrency }, async (_v, i) => {
    const replica = io.replicas.length ? io.replicas[i % io.replicas.length] : undefined;
    const primary = await io.primary.open();
    return { primary, replica: replica ? await replica.open() : undefined, replicaEp: replica };
  }));
  const t0 = now();
  const deadline = t0 + plan.durationMs;
  const queue: number[] = [];
  const waiting: Array<() => void> = [];
  let dispatching = plan.rate !== undefined;
  const lag = new Map<string, { max: number | null; samples: number }>();

  async function worker(i: number): Promise<void> {
    const s = sessions[i];
    const r = rng(plan.seed + i * 7919);
    const readEp = s.replicaEp ?? io.primary;
    const ctx: TxContext = { primary: counted(s.primary, io.primary.label, stats), read: counted(s.replica ?? s.primary, readEp.label, stats), r, size: plan.size };
    if (plan.rate === undefined) await sleep(workerStartMs(i, plan.concurrency, plan.rampMs));
    for (;;) {
      let start: number;
      if (plan.rate === undefined) {
        start = now();
        if (start >= deadline) return;
      } else {
        while (!queue.length && dispatching) await new Promise<void>((w) => waiting.push(w));
        if (!queue.length || now() >= deadline) return;
        start = t0 + queue.shift()!;
      }
      const progress = (start - t0) / plan.durationMs;
      const type = pick(plan.workload.mixAt(progress), r);
      ctx.hot = plan.workload.hotAt?.(progress);
      stats.transactionOn(type.access === 'read' ? readEp.label : io.primary.label);
      try {
        const outcome = await type.run(ctx);
        stats.record(type.name, (now() - start) * 1000, outcome);
      } catch (err) {
        stats.record(type.name, (now() - start) * 1000, { error: classifyError(err) });
        if ((err as { fatal?: boolean }).fatal) await reconnect(s, ctx, readEp);
      }
    }
  }

  /** A session the server dropped is replaced, so one lost connection does not end a worker's run. */
  async function reconnect(s: (typeof sessions)[number], ctx: TxContext, readEp: Endpoint): Promise<void> {
    while (now() < deadline) {
      try {
        await Promise.all([s.primary.close(), s.replica?.close()]);
        s.primary = await io.primary.open();
        if (s.replicaEp) s.replica = await s.replicaEp.open();
        ctx.primary = counted(s.primary, io.primary.label, stats);
        ctx.read = counted(s.replica ?? s.primary, readEp.label, stats);
        return;
      } catch {
        await sleep(200);
      }
    }
  }

  async function dispatch(): Promise<void> {
    for (const at of arrivals(plan.rate!, plan.durationMs, plan.rampMs, rng(plan.seed ^ 0x5eed))) {
      const delay = t0 + at - now();
      if (delay > 1) await sleep(delay);
      queue.push(at);
      waiting.shift()?.();
    }
    dispatching = false;
    for (const w of waiting.splice(0)) w();
  }

  let ticking = true;
  async function ticker(): Promise<void> {
    let last = t0;
    while (ticking) {
      await sleep(Math.min(1000, Math.max(1, deadline - now())));
      if (!ticking) break;
      const t = now();
      // A sliver of a window (the run's last milliseconds) would print a meaningless rate.
      if (t - last < 200) break;
      const w = stats.takeWindow();
      const dt = (t - last) / 1000;
      last = t;
      io.onTick?.({ elapsedS: (t - t0) / 1000, tps: w.transactions / dt, qps: w.queries / dt, p95Ms: w.p95Us / 1000, errors: w.errors });
      const sample = await io.sampleLag?.().catch(() => undefined);
      for (const [ep, secs] of Object.entries(sample ?? {})) {
        const l = lag.get(ep) ?? { max: null, samples: 0 };
        l.samples++;
        if (secs !== null) l.max = Math.max(l.max ?? 0, secs);
        lag.set(ep, l);
      }
      if (t >= deadline - 200) break;
    }
  }

  const tick = ticker();
  try {
    await Promise.all([plan.rate !== undefined ? dispatch() : undefined, ...sessions.map((_s, i) => worker(i))]);
  } finally {
    ticking = false;
    await Promise.all(sessions.flatMap((s) => [s.primary.close(), s.replica?.close()]));
  }
  await tick;
  const elapsedS = (now() - t0) / 1000;
  return report(plan, io, stats, elapsedS, queue.length, lag);
}

function report(plan: RunPlan, io: RunIo, stats: RunStats, elapsedS: number, backlog: number, lag: Map<string, { max: number | null; samples: number }>): RunResult {
  const byType: TypeReport[] = plan.workload.types.map((t) => {
    const s = stats.types.get(t.name)!;
    return { type: t.name, access: t.access, ok: s.ok, soldOut: s.soldOut, errors: [...s.errors.values()].reduce((a, b) => a + b, 0), latencyMs: summarize(s.histogram) };
  });
  const errors: Record<string, number> = {};
  for (const s of stats.types.values()) for (const [code, n] of s.errors) errors[code] = (errors[code] ?? 0) + n;
  const transactions = byType.reduce((a, t) => a + t.ok + t.soldOut, 0);
  const roles = new Map([[io.primary.label, 'primary'], ...io.replicas.map((r) => [r.label, 'replica'] as [string, string])]);
  return {
    workload: plan.workload.name, mode: plan.rate === undefined ? 'closed' : 'open', rate: plan.rate, concurrency: plan.concurrency, seed: plan.seed,
    elapsedS: round(elapsedS, 3), transactions, tps: round(transactions / elapsedS, 1), queries: stats.queries, qps: round(stats.queries / elapsedS, 1),
    latencyFrom: plan.rate === undefined ? 'actual start' : 'intended start',
    total: summarize(mergedHistogram([...stats.types.values()].map((s) => s.histogram))), byType, errors,
    endpoints: [...roles].map(([endpoint, role]) => ({ endpoint, role, ...(stats.endpoints.get(endpoint) ?? { transactions: 0, queries: 0 }) })),
    replicaLag: io.replicas.map((r) => ({ endpoint: r.label, maxSeconds: lag.get(r.label)?.max ?? null, samples: lag.get(r.label)?.samples ?? 0 })),
    backlog,
  };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
