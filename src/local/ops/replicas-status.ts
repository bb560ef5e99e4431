import type { DBInstance, DBInstanceStatusInfo } from '@aws-sdk/client-rds';
import { gtidDistance } from '../../core/gtid.js';
import { binlogPosition, replicaStatus, startReplication, type ReplicaStatus } from '../engine/replication.js';
import type { InstanceRecord } from '../state/registry.js';
import { writeSecret, type InstanceSecret } from '../state/secrets.js';
import type { OpsContext } from './context.js';

/**
 * Read replication as the supervisor last read it (SHOW ALL SLAVES STATUS on each replica node,
 * @@gtid_binlog_pos on its source): Describe's StatusInfos and the ReplicaLag metric read this cache,
 * never the servers.
 */
export interface ReplicationState {
  /** RDS's read-replication statuses: replicating | error | stopped. */
  status: 'replicating' | 'error' | 'stopped';
  normal: boolean;
  /** The server's Last_IO_Error / Last_SQL_Error, or why replication is stopped. */
  message?: string;
  /** Seconds_Behind_Master (null while the IO thread reconnects). */
  secondsBehind: number | null;
  /** Transactions the source has binlogged that the replica has not applied (null: source unreadable). */
  gtidDistance: number | null;
  sampledAt: Date;
}

export type ReplicationView = Map<string, ReplicationState>;

/** RDS's limits: 15 replicas per source, a chain of at most 4 instances (source + 3 levels). */
export const MAX_REPLICAS = 15;
export const MAX_CHAIN_DEPTH = 3;

/** `all`: the records already read (Describe lists them once, not once per instance). */
export function replicasOf(ctx: OpsContext, id: string, all: InstanceRecord[] = ctx.registry.list()): InstanceRecord[] {
  return all.filter((r) => r.source === id);
}

/** 0 for a standalone instance, 1 for a replica of one, … */
export function chainDepth(ctx: OpsContext, rec: InstanceRecord): number {
  let depth = 0;
  for (let r: InstanceRecord | undefined = rec; r?.source && depth <= MAX_CHAIN_DEPTH + 1; r = ctx.registry.get(r.source)) depth++;
  return depth;
}

/** The replication fields of <DBInstance> (source: its replicas; replica: its source and StatusInfos). */
export function replicaFields(ctx: OpsContext, rec: InstanceRecord, all?: InstanceRecord[]): Partial<DBInstance> {
  const fields: Partial<DBInstance> = { ReadReplicaDBInstanceIdentifiers: replicasOf(ctx, rec.id, all).map((r) => r.id) };
  if (!rec.source) return fields;
  fields.ReadReplicaSourceDBInstanceIdentifier = rec.source;
  const state = ctx.replication.get(rec.id);
  if (state && rec.initCompleted) {
    const info: DBInstanceStatusInfo = { StatusType: 'read replication', Normal: state.normal, Status: state.status, Message: state.message };
    fields.StatusInfos = [info];
  }
  return fields;
}

/** What one SHOW ALL SLAVES STATUS row means for RDS. */
export function classify(st: ReplicaStatus): Pick<ReplicationState, 'status' | 'normal' | 'message'> {
  if (!st.configured) return { status: 'error', normal: false, message: 'Replication is not configured on this replica.' };
  // Both threads running wins over an error text the server keeps after a successful reconnect.
  if (st.ioRunning === 'Yes' && st.sqlRunning === 'Yes') return { status: 'replicating', normal: true };
  if (st.sqlRunning !== 'Yes' && st.lastSqlError) return { status: 'error', normal: false, message: st.lastSqlError };
  if (st.ioRunning !== 'Yes' && st.lastIoError) return { status: 'error', normal: false, message: st.lastIoError };
  if (st.ioRunning === 'Connecting' && st.sqlRunning === 'Yes') return { status: 'replicating', normal: true };
  return { status: 'stopped', normal: false, message: 'Replication is stopped.' };
}

const RETRY_MS = 10_000;
/** When each replica was last sent START SLAVE, per control plane (context). */
const lastStarts = new WeakMap<OpsContext, Map<string, number>>();

/**
 * One pass over every replica: read its state, record events on changes, and START SLAVE where
 * replication should run but does not (after any start: skip_slave_start; after an error, every
 * RETRY_MS, so it resumes by itself once the cause is gone).
 */
export async function checkReplication(ctx: OpsContext): Promise<void> {
  for (const rec of ctx.registry.list()) {
    if (!rec.source || !rec.initCompleted || rec.desiredState !== 'running' || ctx.jobs.busy(rec.id)) continue;
    if (!['available', 'storage-full', 'rebooting', 'modifying'].includes(rec.status)) continue;
    await checkOne(ctx, rec).catch((err) => ctx.log.warn(`replication check of ${rec.id} failed: ${(err as Error).message}`));
  }
  for (const id of ctx.replication.keys()) if (!ctx.registry.get(id)?.source) ctx.replication.delete(id);
}

async function checkOne(ctx: OpsContext, rec: InstanceRecord): Promise<void> {
  const paths = ctx.paths(rec.id);
  const lastStart = lastStarts.get(ctx) ?? new Map<string, number>();
  lastStarts.set(ctx, lastStart);
  if (ctx.engine.runningPid(paths) === undefined) {
    return record(ctx, rec.id, { status: 'stopped', normal: false, message: 'The replica\'s mariadbd is not running.', secondsBehind: null, gtidDistance: null });
  }
  let st = await replicaStatus(paths);
  const stoppedOrFailed = st.configured && (st.ioRunning === 'No' || st.sqlRunning === 'No');
  const quiet = !st.lastIoError && !st.lastSqlError;
  if (stoppedOrFailed && (quiet || Date.now() - (lastStart.get(rec.id) ?? 0) > RETRY_MS)) {
    lastStart.set(rec.id, Date.now());
    await startReplication(paths);
    st = await replicaStatus(paths);
  }
  const source = rec.source ? ctx.registry.get(rec.source) : undefined;
  const sourcePaths = source ? ctx.paths(source.id) : undefined;
  const sourcePos = sourcePaths && ctx.engine.runningPid(sourcePaths) !== undefined ? await binlogPosition(sourcePaths).catch(() => undefined) : undefined;
  record(ctx, rec.id, {
    ...classify(st),
    secondsBehind: st.secondsBehind,
    gtidDistance: gtidDistance(sourcePos, st.gtidSlavePos) ?? null,
  });
}

function record(ctx: OpsContext, id: string, next: Omit<ReplicationState, 'sampledAt'>): void {
  const before = ctx.replication.get(id);
  ctx.replication.set(id, { ...next, sampledAt: new Date() });
  if (before?.status === next.status && before.message === next.message) return;
  if (next.status === 'replicating') {
    if (before) ctx.event(id, 'Replication for the Read Replica resumed.', ['read replica']);
  } else {
    ctx.event(id, `Replication for the Read Replica is ${next.status}: ${next.message ?? ''}`.trim(), ['read replica', 'failure']);
  }
}

/**
 * The master password set on a source reaches its replicas through replication (mysql.global_priv is
 * replicated), so their secret records follow it, down the whole chain.
 */
export function followMasterSecret(ctx: OpsContext, sourceId: string, secret: Omit<InstanceSecret, 'updatedAt'>): void {
  for (const r of replicasOf(ctx, sourceId)) {
    writeSecret(ctx.home, r.id, secret);
    followMasterSecret(ctx, r.id, secret);
  }
}
