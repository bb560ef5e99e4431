import { requireInstanceClass } from '../../core/instance-classes.js';
import { servingNode, type InstanceRecord } from '../state/registry.js';
import type { OpsContext } from './context.js';
import { GiB } from './autoscale.js';
import { deriveMetrics, type InstanceFacts } from './metrics-derive.js';
import { readNode, type RawSample } from './metrics-sources.js';

export const RDS_NAMESPACE = 'AWS/RDS';
/** RDS Enhanced Monitoring's intervals (MonitoringInterval, seconds); basic CloudWatch metrics are per minute. */
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

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
  /** One pass over every running instance (tests call it directly). */
  sampleOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads every running instance's serving mariadbd each `intervalMs` and stores the AWS/RDS metrics
 * (docs/METRICS.md). The previous raw sample is kept per instance and pid: after a restart the first
 * sample has only gauges (CPU and rates need two samples of the same process).
 */
export function startMetricsSampler(ctx: OpsContext, intervalMs: number): Sampler {
  const prev = new Map<string, { pid: number; raw: RawSample }>();
  let running: Promise<void> | undefined;
  const sampleOnce = async () => {
    const seen = new Set<string>();
    for (const rec of ctx.registry.list()) {
      if (rec.desiredState !== 'running' || !SAMPLED.has(rec.status)) continue;
      const pid = servingNode(rec)?.pid ?? ctx.engine.runningPid(ctx.paths(rec.id));
      if (pid === undefined || ctx.engine.runningPid(ctx.paths(rec.id)) !== pid) continue;
      seen.add(rec.id);
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
  };
  const timer = setInterval(() => {
    if (running) return;
    running = sampleOnce().finally(() => { running = undefined; });
  }, intervalMs);
  return {
    sampleOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** RDSCTL_METRICS_INTERVAL_MS (tests sample fast) or MonitoringInterval-style seconds; default one minute. */
export function samplerIntervalMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.RDSCTL_METRICS_INTERVAL_MS);
  if (Number.isInteger(ms) && ms >= 100) return ms;
  return 60_000;
}
