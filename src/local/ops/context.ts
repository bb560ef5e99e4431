import { groupSettings } from './pg-apply.js';
import { auditSettings } from './og-apply.js';
import type { Engine, EngineSpec, InstancePaths } from '../engine/types.js';
import { requireInstanceClass, localSettingsFor } from '../../core/instance-classes.js';
import { EventLog } from '../state/events.js';
import type { Logger } from '../state/log.js';
import { Registry, servingNode, servingNodeId, type InstanceRecord } from '../state/registry.js';
import { instanceArn } from './arns.js';
import { JobQueue } from './job-queue.js';
import type { ReplicationView } from './replicas-status.js';
import { autoscaleSettingsFromEnv, createAutoscaleState, type AutoscaleState } from './autoscale-samples.js';
import { MetricStore } from '../state/metric-store.js';
import { verifierCommand } from './iam-db-auth.js';

/** What the operations need from the outside world (injected by src/local/main.ts). */
export interface OpsDeps {
  home: string;
  engine: Engine;
  instancePaths(home: string, id: string): InstancePaths;
  ca: { caCertFile: string; caKeyFile: string };
  /** Real version of the installed server (`mariadbd --version`), e.g. 10.11.6. */
  engineVersion: string;
  mysqlAvailable: boolean;
  /** Expiry of the home CA (CertificateDetails.ValidTill). */
  caValidTill?: Date;
  log: Logger;
}

export interface OpsContext extends OpsDeps {
  registry: Registry;
  events: EventLog;
  jobs: JobQueue;
  /** Latest measured bytes used per instance (storage checker; CloudWatch FreeStorageSpace). */
  usage: Map<string, number>;
  /** Storage autoscaling: settings (env knobs) and holds already reported; its history is FreeStorageSpace in `metrics`. */
  autoscale: AutoscaleState;
  /** CloudWatch datapoints (AWS/RDS from the sampler, custom namespaces from PutMetricData), kept on disk with retention. */
  metrics: MetricStore;
  /** Read replication per replica instance, as the supervisor last read it (StatusInfos, ReplicaLag). */
  replication: ReplicationView;
  /** The folder of the instance's serving node (the engine's paths for that node id). */
  paths(id: string): InstancePaths;
  /** The node spec of the instance's serving node: all the engine ever sees of an instance. */
  spec(rec: InstanceRecord): EngineSpec;
  event(id: string, message: string, categories?: string[]): void;
  /** Marks the instance failed with a reason (StatusInfos + event); keeps it for DeleteDBInstance. */
  fail(id: string, err: unknown): void;
}

export function createOpsContext(deps: OpsDeps): OpsContext {
  const registry = new Registry(deps.home);
  const events = new EventLog(deps.home);
  // Read here rather than in main.ts so every control plane (and in-process tests) honours the knobs.
  const autoscale = autoscaleSettingsFromEnv(process.env);
  autoscale.problems.forEach((p) => deps.log.warn(p));
  const ctx: OpsContext = {
    ...deps,
    registry,
    events,
    usage: new Map(),
    replication: new Map(),
    autoscale: createAutoscaleState(autoscale.settings),
    metrics: new MetricStore(deps.home, metricRetentionMs(process.env)),
    jobs: new JobQueue((id, err) => ctx.fail(id, err)),
    paths: (id) => {
      const rec = registry.get(id);
      return deps.instancePaths(deps.home, rec ? servingNodeId(rec) : id);
    },
    spec: (rec) => ({
      ...engineSpec(rec, deps.ca), parameters: groupSettings(deps.home, rec), audit: auditSettings(deps.home, rec),
      ...(rec.iamDatabaseAuthenticationEnabled ? { iamAuth: { verifier: verifierCommand(deps.home, rec.id) } } : {}),
    }),
    event(id, message, categories = ['notification']) {
      events.append({ SourceIdentifier: id, Message: message, EventCategories: categories, SourceArn: instanceArn(id) });
      deps.log.info(`event ${id}: ${message}`);
    },
    fail(id, err) {
      const reason = err instanceof Error ? err.message : String(err);
      const rec = registry.update(id, (r) => {
        r.status = 'failed';
        r.statusReason = reason;
      });
      if (rec) ctx.event(id, `DB instance failed: ${reason}`, ['failure']);
      else deps.log.error(`job for ${id} failed after the instance was removed: ${reason}`);
    },
  };
  return ctx;
}

export { instanceArn } from './arns.js';

/** CloudWatch keeps 1-minute datapoints 15 days; RDSCTL_METRICS_RETENTION_HOURS shortens it (tests). */
function metricRetentionMs(env: NodeJS.ProcessEnv): number {
  const h = Number(env.RDSCTL_METRICS_RETENTION_HOURS);
  return (Number.isFinite(h) && h > 0 ? h : 15 * 24) * 3600_000;
}

/** read_only on the node: storage-full, or a read replica (whatever its storage does). */
export function readOnlyFor(rec: Pick<InstanceRecord, 'readOnlyForStorage' | 'source'>): boolean {
  return Boolean(rec.readOnlyForStorage) || rec.source !== undefined;
}

/** The serving node's spec: its own port and server_id; class and encryption come from the instance. */
export function engineSpec(rec: InstanceRecord, ca: { caCertFile: string; caKeyFile: string }): EngineSpec {
  const settings = localSettingsFor(requireInstanceClass(rec.instanceClass));
  const node = servingNode(rec);
  if (!node) throw new Error(`instance ${rec.id} has no serving node`);
  return {
    id: node.id,
    engine: rec.engine,
    port: node.port,
    serverId: node.serverId,
    innodbBufferPoolSize: settings.innodbBufferPoolSize,
    maxConnections: settings.maxConnections,
    storageEncrypted: rec.storageEncrypted,
    requireSecureTransport: true,
    readOnly: readOnlyFor(rec),
    masterUsername: rec.masterUsername,
    caCertFile: ca.caCertFile,
    caKeyFile: ca.caKeyFile,
  };
}
