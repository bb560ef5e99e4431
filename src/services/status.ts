import type { CloudWatchClient, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import { selectMetrics } from '../core/metrics-view.js';
import { listAlarms } from './alarms.js';
import { describeInstance } from './instances.js';
import { fetchMetrics, type MetricSeries } from './metrics.js';

export interface StatusReport {
  db: DBInstance;
  replicas: { id: string; status?: string; lagSeconds?: number }[];
  metrics: MetricSeries[];
  alarming: MetricAlarm[];
}

const SHOWN = 'CPUUtilization,DatabaseConnections,FreeableMemory,FreeStorageSpace,ReadIOPS,WriteIOPS,ReadLatency,WriteLatency,ReplicaLag';

/** What a DBA looks at first: the instance, its replicas with their lag, the last hour's metrics, alarms in ALARM. */
export async function instanceStatus(rds: RDSClient, cw: CloudWatchClient, id: string): Promise<StatusReport> {
  const db = await describeInstance(rds, id);
  const me = db.DBInstanceIdentifier!;
  const [metrics, alarms] = await Promise.all([
    fetchMetrics(cw, { id: me, sinceMs: 3_600_000, period: 60, metrics: selectMetrics(SHOWN) }),
    listAlarms(cw, me),
  ]);
  const replicas = await Promise.all((db.ReadReplicaDBInstanceIdentifiers ?? []).map(async (r) => {
    const [rep, lag] = await Promise.all([
      describeInstance(rds, r).catch(() => undefined),
      fetchMetrics(cw, { id: r, sinceMs: 600_000, period: 60, metrics: selectMetrics('ReplicaLag') }),
    ]);
    return { id: r, status: rep?.DBInstanceStatus, lagSeconds: lag[0].latest };
  }));
  return { db, replicas, metrics: metrics.filter((m) => m.values.length > 0 || m.name !== 'ReplicaLag'), alarming: alarms.filter((a) => a.StateValue === 'ALARM') };
}
