import { requireInstanceClass } from '../../core/instance-classes.js';
import { servingNode, type InstanceRecord } from '../state/registry.js';
import type { OpsContext } from './context.js';
import { GiB } from './autoscale.js';
import { deriveMetrics, type InstanceFacts } from './metrics-derive.js';
import { readNode, type RawSample } from './metrics-sources.js';
import { BASIC_INTERVAL_MS, sampleEveryMs } from './monitoring.js';

export const RDS_NAMESPACE = 'AWS/RDS';

const SAMPLED = new Set(['available', 'storage-full', 'modifying', 'backing-up']);

/** ReplicaLag: seconds behind the source as the supervisor last read it (SHOW ALL SLAVES STATUS); none while unknown. */
function lagOf(ctx: OpsContext, id: string): number | undefined {
  const lag = ctx.replication.get(id)?.secondsBehind;
  return typeof lag === 'number' ? lag : undefined;
}

function factsOf(ctx: OpsContext, rec: InstanceRecord): InstanceFacts {
  const cls = requireInstanceClass(rec.instanceClass);
  return {
    vcpu: cls.vcpu, memoryBytes: cls.memoryGiB * GiB, allocatedBytes: rec.allocatedStorage * GiB,
    usedBytes: ctx.usage.get(rec.id), replicaLagSeconds: lagOf(ctx, rec.id),
  };
}

export interface Sampler {
  /** One pass over every running instance, due or not (tests call it directly). */
  sampleOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads each running instance's serving mariadbd every MonitoringInterval seconds (0: basic monitoring,
 * every `basicMs`) and stores the AWS/RDS metrics (docs/METRICS.md). A timer ticks every second (or
 * faster when basic monitoring is faster, in tests) and samples the instances that are due, so a
 * ModifyDBInstance of the interval takes effect within a tick. The previous raw sample is kept per
 * instance and pid: after a restart the first sample has only gauges (CPU and rates need two samples).
 */
export function startMetricsSampler(ctx: OpsContext, basicMs: number): Sampler {
  const tickMs = Math.min(basicMs, 1000);
  const prev = new Map<string, { pid: number; raw: RawSample }>();
  /** When each instance was last read (tried: a failing read is retried at its interval, not every tick). */
  const tried = new Map<string, number>();
  let running: Promise<void> | undefined;
  // Half a tick of slack: a 1 s interval on a 1 s tick must not slip to every other tick.
  const due = (rec: InstanceRecord, now: number) => {
    const last = tried.get(rec.id);
    return last === undefined || now - last >= sampleEveryMs(rec, basicMs) - tickMs / 2;
  };
  const pass = async (all: boolean) => {
    const seen = new Set<string>();
    for (const rec of ctx.registry.list()) {
      if (rec.desiredState !== 'running' || !SAMPLED.has(rec.status)) continue;
      const pid = servingNode(rec)?.pid ?? ctx.engine.runningPid(ctx.paths(rec.id));
      if (pid === undefined || ctx.engine.runningPid(ctx.paths(rec.id)) !== pid) continue;
      seen.add(rec.id);
      if (!all && !due(rec, Date.now())) continue;
      tried.set(rec.id, Date.now());
      try {
        const raw = await readNode(ctx.paths(rec.id), pid);
        const before = prev.get(rec.id);
        const values = deriveMetrics(before?.pid === pid ? before.raw : undefined, raw, factsOf(ctx, rec));
        prev.set(rec.id, { pid, raw });
        ctx.metrics.append(RDS_NAMESPACE, { DBInstanceIdentifier: rec.id }, raw.at, values);
      } catch (err) {
        ctx.log.warn(`metrics sample of ${rec.id} failed: ${(err as Error).message}`);
      }
    }
    for (const id of prev.keys()) if (!seen.has(id)) prev.delete(id);
    for (const id of tried.keys()) if (!seen.has(id)) tried.delete(id);
  };
  const timer = setInterval(() => {
    if (running) return;
    running = pass(false).finally(() => { running = undefined; });
  }, tickMs);
  return {
    sampleOnce: () => pass(true),
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Basic monitoring's interval: RDSCTL_METRICS_INTERVAL_MS (tests sample fast), else one minute;
 * `off`: no sampler at all (the anchor of bench/metrics.bench.mjs).
 */
export function samplerIntervalMs(env: NodeJS.ProcessEnv): number | undefined {
  if (env.RDSCTL_METRICS_INTERVAL_MS?.trim() === 'off') return undefined;
  const ms = Number(env.RDSCTL_METRICS_INTERVAL_MS);
  if (Number.isInteger(ms) && ms >= 100) return ms;
  return BASIC_INTERVAL_MS;
}
