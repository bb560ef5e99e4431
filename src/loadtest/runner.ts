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
  /** Run first, unmeasured: the generator's own start (V8 compiling its code, each connection's first prepares) is not the server's latency. */
  warmupMs: number;
  size: TxContext['size'];
  seed: number;
}

export interface LiveLine { elapsedS: number; tps: number; qps: number; p95Ms: number; errors: number; warmup?: boolean }
export interface RunIo {
  primary: Endpoint;
  replicas: Endpoint[];
  /** Once a second while running: the live line. */
  onTick?(line: LiveLine): void;
  /** Once a second while running: each replica's lag in seconds (null = unknown). */
  sampleLag?(): Promise<Record<string, number | null>>;
  /** Ctrl-C: the run ends early; transactions under way finish, and the report covers what completed. */
  stop?: AbortSignal;
}

export interface TypeReport { type: string; access: 'read' | 'write'; ok: number; soldOut: number; errors: number; latencyMs: LatencySummary }
export interface RunResult {
  workload: string; mode: 'open' | 'closed'; rate?: number; concurrency: number; seed: number;
  elapsedS: number; transactions: number; tps: number; queries: number; qps: number;
  /** The load before the measured window (none of the other figures count it); its writes are in the check. */
  warmup: { seconds: number; transactions: number; queries: number; byType: Array<{ type: string; ok: number; soldOut: number; errors: number }> };
  /** Latency is measured from each transaction's intended start (open loop) or its actual start (closed loop). */
  latencyFrom: 'intended start' | 'actual start';
  total: LatencySummary; byType: TypeReport[]; errors: Record<string, number>;
  endpoints: Array<{ endpoint: string; role: string; transactions: number; queries: number }>;
  replicaLag: Array<{ endpoint: string; maxSeconds: number | null; samples: number }>;
  /** Open loop: arrivals still queued when the time was up (the server fell behind by this many). */
  backlog: number;
  /** Stopped early (Ctrl-C): the figures cover the elapsed time only. */
  interrupted: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const now = () => performance.now();

/** A session that counts its statements per endpoint, for the QPS and the per-endpoint split. */
function counted(s: Session, label: string, stats: RunStats): Session {
  return {
    exec: (sql, p) => { stats.query(label); return s.exec(sql, p); },
    drain: (sql, p) => { stats.query(label); return s.drain(sql, p); },
    close: () => s.close(),
  };
}

export async function runLoad(plan: RunPlan, io: RunIo): Promise<RunResult> {
  const slots = await openSessions(plan, io);
  try {
    // The same load on the same connections, at the start mix; only its totals are kept, for the accounting.
    let warmup: RunResult['warmup'] = { seconds: 0, transactions: 0, queries: 0, byType: [] };
    if (plan.warmupMs > 0) {
      const w = new LoadRun({ ...plan, durationMs: plan.warmupMs, rampMs: 0 }, io, slots, true);
      await w.execute();
      const byType = [...w.stats.types].map(([type, t]) => ({ type, ok: t.ok, soldOut: t.soldOut, errors: errorCount(t) }));
      warmup = { seconds: plan.warmupMs / 1000, transactions: byType.reduce((a, t) => a + t.ok + t.soldOut + t.errors, 0), queries: w.stats.queries, byType };
    }
    const run = new LoadRun(plan, io, slots, false);
    const { elapsedS, backlog } = await run.execute();
    return { ...report(plan, io, run.stats, elapsedS, backlog, run.lag), warmup, interrupted: io.stop?.aborted === true };
  } finally {
    await Promise.all(slots.flatMap((s) => [s.primary.close(), s.replica?.close()]));
  }
}

interface Slot { primary: Session; replica?: Session; replicaEp?: Endpoint }

/** Every session opens before the clock starts: an unreachable server fails here, not as errors mid-run. */
function openSessions(plan: RunPlan, io: RunIo): Promise<Slot[]> {
  return Promise.all(Array.from({ length: plan.concurrency }, async (_v, i) => {
    const replicaEp = io.replicas.length ? io.replicas[i % io.replicas.length] : undefined;
    const primary = await io.primary.open();
    return { primary, replica: replicaEp ? await replicaEp.open() : undefined, replicaEp };
  }));
}

/** One run: the workers, the open-loop dispatcher and the once-a-second ticker share its clock and queue. */
class LoadRun {
  readonly stats: RunStats;
  readonly lag = new Map<string, { max: number | null; samples: number }>();
  private t0 = 0;
  private deadline = 0;
  /** Open loop: intended start times (ms from t0) waiting for a free connection. */
  private readonly queue: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private dispatching: boolean;
  private ticking = true;
  private wakeTicker?: () => void;

  constructor(private readonly plan: RunPlan, private readonly io: RunIo, private readonly slots: Slot[], private readonly warmup: boolean) {
    this.stats = new RunStats(plan.workload.types.map((t) => t.name));
    this.dispatching = plan.rate !== undefined;
  }

  async execute(): Promise<{ elapsedS: number; backlog: number }> {
    this.t0 = now();
    this.deadline = this.t0 + this.plan.durationMs;
    // Stopping is the deadline coming now: every loop already ends on it.
    const stop = () => { this.deadline = Math.min(this.deadline, now()); this.wakeTicker?.(); };
    if (this.io.stop?.aborted) stop();
    this.io.stop?.addEventListener('abort', stop, { once: true });
    const tick = this.ticker();
    let elapsedS: number;
    try {
      await Promise.all([this.plan.rate !== undefined ? this.dispatch() : undefined, ...this.slots.map((_s, i) => this.worker(i))]);
      elapsedS = (now() - this.t0) / 1000;
    } finally {
      this.io.stop?.removeEventListener('abort', stop);
      this.ticking = false;
    }
    await tick;
    return { elapsedS, backlog: this.queue.length };
  }

  /** The next transaction's start: now (closed loop) or its arrival time (open loop); undefined = done. */
  private async nextStart(): Promise<number | undefined> {
    if (this.plan.rate === undefined) {
      const t = now();
      return t < this.deadline ? t : undefined;
    }
    while (!this.queue.length && this.dispatching) await new Promise<void>((w) => this.waiting.push(w));
    if (!this.queue.length || now() >= this.deadline) return undefined;
    return this.t0 + this.queue.shift()!;
  }

  private async worker(i: number): Promise<void> {
    const { plan, io, stats } = this;
    const s = this.slots[i];
    const r = rng(plan.seed + i * 7919);
    const readEp = s.replicaEp ?? io.primary;
    const ctx: TxContext = { primary: counted(s.primary, io.primary.label, stats), read: counted(s.replica ?? s.primary, readEp.label, stats), r, size: plan.size };
    if (plan.rate === undefined) await sleep(workerStartMs(i, plan.concurrency, plan.rampMs));
    for (let start = await this.nextStart(); start !== undefined; start = await this.nextStart()) {
      const progress = this.warmup ? 0 : (start - this.t0) / plan.durationMs;
      const type = pick(plan.workload.mixAt(progress), r);
      ctx.hot = plan.workload.hotAt?.(progress);
      stats.transactionOn(type.access === 'read' ? readEp.label : io.primary.label);
      try {
        const outcome = await type.run(ctx); // before now(): arguments are evaluated left to right
        stats.record(type.name, (now() - start) * 1000, outcome);
      } catch (err) {
        stats.record(type.name, (now() - start) * 1000, { error: classifyError(err) });
        if ((err as { fatal?: boolean }).fatal) await this.reconnect(s, ctx, readEp);
      }
    }
  }

  /** A session the server dropped is replaced, so one lost connection does not end a worker's run. */
  private async reconnect(s: Slot, ctx: TxContext, readEp: Endpoint): Promise<void> {
    while (now() < this.deadline) {
      try {
        await Promise.all([s.primary.close(), s.replica?.close()]);
        s.primary = await this.io.primary.open();
        if (s.replicaEp) s.replica = await s.replicaEp.open();
        ctx.primary = counted(s.primary, this.io.primary.label, this.stats);
        ctx.read = counted(s.replica ?? s.primary, readEp.label, this.stats);
        return;
      } catch {
        await sleep(200);
      }
    }
  }

  private async dispatch(): Promise<void> {
    for (const at of arrivals(this.plan.rate!, this.plan.durationMs, this.plan.rampMs, rng(this.plan.seed ^ 0x5eed))) {
      if (this.t0 + at >= this.deadline) break;
      const delay = this.t0 + at - now();
      if (delay > 1) await sleep(delay);
      this.queue.push(at);
      this.waiting.shift()?.();
    }
    this.dispatching = false;
    for (const w of this.waiting.splice(0)) w();
  }

  private async ticker(): Promise<void> {
    let last = this.t0;
    while (this.ticking) {
      await new Promise<void>((r) => { const t = setTimeout(r, Math.min(1000, Math.max(1, this.deadline - now()))); this.wakeTicker = () => { clearTimeout(t); r(); }; });
      const t = now();
      // A sliver of a window (the run's last milliseconds) would print a meaningless rate.
      if (!this.ticking || t - last < 200) break;
      const w = this.stats.takeWindow();
      const dt = (t - last) / 1000;
      last = t;
      this.io.onTick?.({ elapsedS: (t - this.t0) / 1000, tps: w.transactions / dt, qps: w.queries / dt, p95Ms: w.p95Us / 1000, errors: w.errors, ...(this.warmup ? { warmup: true } : {}) });
      if (!this.warmup) this.recordLag(await this.io.sampleLag?.().catch(() => undefined));
      if (t >= this.deadline - 200) break;
    }
  }

  private recordLag(sample: Record<string, number | null> | undefined): void {
    for (const [ep, secs] of Object.entries(sample ?? {})) {
      const l = this.lag.get(ep) ?? { max: null, samples: 0 };
      l.samples++;
      if (secs !== null) l.max = Math.max(l.max ?? 0, secs);
      this.lag.set(ep, l);
    }
  }
}

const errorCount = (t: { errors: Map<string, number> }) => [...t.errors.values()].reduce((a, b) => a + b, 0);

function report(plan: RunPlan, io: RunIo, stats: RunStats, elapsedS: number, backlog: number, lag: Map<string, { max: number | null; samples: number }>): Omit<RunResult, 'interrupted' | 'warmup'> {
  const byType: TypeReport[] = plan.workload.types.map((t) => {
    const s = stats.types.get(t.name)!;
    return { type: t.name, access: t.access, ok: s.ok, soldOut: s.soldOut, errors: errorCount(s), latencyMs: summarize(s.histogram) };
  });
  const errors: Record<string, number> = {};
  for (const s of stats.types.values()) for (const [code, n] of s.errors) errors[code] = (errors[code] ?? 0) + n;
  const transactions = byType.reduce((a, t) => a + t.ok + t.soldOut, 0);
  const roles = new Map([[io.primary.label, 'primary'], ...io.replicas.map((r) => [r.label, 'replica'] as [string, string])]);
  return {
    workload: plan.workload.name, mode: plan.rate === undefined ? 'closed' : 'open', rate: plan.rate, concurrency: plan.concurrency, seed: plan.seed,
    // A Ctrl-C during the warm-up leaves a measured window of about nothing: rates of 0, not of 0/0.
    elapsedS: round(elapsedS, 3), transactions, tps: elapsedS > 0 ? round(transactions / elapsedS, 1) : 0, queries: stats.queries, qps: elapsedS > 0 ? round(stats.queries / elapsedS, 1) : 0,
    latencyFrom: plan.rate === undefined ? 'actual start' : 'intended start',
    total: summarize(mergedHistogram([...stats.types.values()].map((s) => s.histogram))), byType, errors,
    endpoints: [...roles].map(([endpoint, role]) => ({ endpoint, role, ...(stats.endpoints.get(endpoint) ?? { transactions: 0, queries: 0 }) })),
    replicaLag: io.replicas.map((r) => ({ endpoint: r.label, maxSeconds: lag.get(r.label)?.max ?? null, samples: lag.get(r.label)?.samples ?? 0 })),
    backlog,
  };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
