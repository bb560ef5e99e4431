import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import { conflictError } from '../core/errors.js';
import { normalizeInstanceId } from '../core/identifiers.js';
import { planReplicas, type ReplicaPlan } from '../core/plans/replica-plan.js';
import { describeInstance, type WaitSettings } from './instances.js';
import { waitForInstance } from './wait.js';

/** A replica's replication as its StatusInfos say (`read replication`): replicating, error, stopped … */
export interface ReplicationState {
  status?: string;
  normal?: boolean;
  message?: string;
}

export function replicationState(db: DBInstance): ReplicationState {
  const info = db.StatusInfos?.find((s) => s.StatusType === 'read replication');
  return info ? { status: info.Status, normal: info.Normal, message: info.Message } : {};
}

/**
 * Available and replicating. A target that reports no `read replication` StatusInfo (moto) is taken at its
 * status alone: there is nothing else to wait for.
 */
export const replicaReady = (db: DBInstance) => {
  const s = replicationState(db).status;
  return db.DBInstanceStatus === 'available' && (s === undefined || s === 'replicating');
};

export interface Fleet {
  primary: DBInstance;
  replicas: DBInstance[];
}

/** The source and each of its read replicas (ReadReplicaDBInstanceIdentifiers, one describe each). */
export async function describeFleet(rds: RDSClient, id: string): Promise<Fleet> {
  const primary = await describeInstance(rds, id);
  const ids = primary.ReadReplicaDBInstanceIdentifiers ?? [];
  const replicas = await Promise.all(ids.map((r) => describeInstance(rds, r)));
  return { primary, replicas };
}

/** The source's own sources, nearest first (a replica of a replica …). */
async function ancestry(rds: RDSClient, db: DBInstance): Promise<string[]> {
  const chain: string[] = [];
  let up = db.ReadReplicaSourceDBInstanceIdentifier;
  while (up && chain.length < 8) {
    chain.push(up);
    up = (await describeInstance(rds, up)).ReadReplicaSourceDBInstanceIdentifier;
  }
  return chain;
}

export interface ScaleResult {
  plan: ReplicaPlan;
  /** Chain of sources above the instance (a replica's), nearest first. */
  chain: string[];
  replicas: DBInstance[];
}

/** The plan for `count` replicas of `id`, against the live description. Pure beyond the describes. */
export async function planScale(rds: RDSClient, id: string, count: number, prefix?: string): Promise<ScaleResult> {
  const { primary, replicas } = await describeFleet(rds, id);
  const chain = await ancestry(rds, primary);
  const existing = replicas.map((r) => ({ id: r.DBInstanceIdentifier!, created: r.InstanceCreateTime, status: r.DBInstanceStatus }));
  const plan = planReplicas(primary.DBInstanceIdentifier!, existing, count, { prefix, chain });
  return { plan, chain, replicas };
}

/**
 * Applies a plan: creations in parallel (CreateDBInstanceReadReplica), deletions with SkipFinalSnapshot
 * (RDS requires it for replicas); then, unless told not to wait, until every new replica is available and
 * replicating and every removed one is gone. Returns the replicas as finally described.
 */
export async function applyScale(rds: RDSClient, plan: ReplicaPlan, opts: { class?: string } & WaitSettings): Promise<DBInstance[]> {
  const sdk = await import('@aws-sdk/client-rds');
  const w = { intervalMs: opts.intervalMs, timeoutMs: opts.timeoutMs, onProgress: opts.onProgress };
  const created = await Promise.all(plan.create.map(async (name) => {
    const res = await rds.send(new sdk.CreateDBInstanceReadReplicaCommand({
      DBInstanceIdentifier: name, SourceDBInstanceIdentifier: plan.source, ...(opts.class ? { DBInstanceClass: opts.class } : {}),
    }));
    opts.onProgress(`${name}: read replica of ${plan.source} requested`);
    return res.DBInstance!;
  }));
  await Promise.all(plan.delete.map(async (name) => {
    await rds.send(new sdk.DeleteDBInstanceCommand({ DBInstanceIdentifier: name, SkipFinalSnapshot: true }));
    opts.onProgress(`${name}: deletion requested`);
  }));
  if (!opts.wait) return created;
  const ready = await Promise.all(plan.create.map((name) => waitForInstance(rds, name, replicaReady, w)));
  await Promise.all(plan.delete.map((name) => waitForInstance(rds, name, () => false, { ...w, goneIsDone: true })));
  return ready.filter((d): d is DBInstance => d !== undefined);
}

/** PromoteReadReplica; waits until the instance is available and no longer names a source. */
export async function promoteReplica(rds: RDSClient, id: string, opts: { backupRetention?: number; source?: string } & WaitSettings): Promise<DBInstance> {
  const { PromoteReadReplicaCommand } = await import('@aws-sdk/client-rds');
  const DBInstanceIdentifier = normalizeInstanceId(id);
  const res = await rds.send(new PromoteReadReplicaCommand({
    DBInstanceIdentifier, ...(opts.backupRetention !== undefined ? { BackupRetentionPeriod: opts.backupRetention } : {}),
  })).catch((err: Error) => {
    // The target decides; its answer to a standalone instance ("not in a valid state") gets the real reason.
    if (err.name !== 'InvalidDBInstanceStateFault' || opts.source) throw err;
    throw conflictError('NOT_A_READ_REPLICA', `${DBInstanceIdentifier} is not a read replica, so there is nothing to promote (the target answered: ${err.message}).`, {
      hint: `It already stands alone (\`rdsctl describe ${DBInstanceIdentifier}\`); to give it read replicas: rdsctl scale-replicas ${DBInstanceIdentifier} --count 1`,
      awsName: err.name, cause: err,
    });
  });
  opts.onProgress(`${DBInstanceIdentifier}: promotion requested`);
  if (!opts.wait) return res.DBInstance!;
  // Right after the call the status can still read `available` with the source set: wait for both.
  const done = (d: DBInstance) => d.DBInstanceStatus === 'available' && !d.ReadReplicaSourceDBInstanceIdentifier;
  const db = await waitForInstance(rds, DBInstanceIdentifier, done, { intervalMs: opts.intervalMs, timeoutMs: opts.timeoutMs, onProgress: opts.onProgress });
  return db!;
}

/** A replica named where a source is expected (scale-replicas prints its chain; verify needs the top). */
export function requireReplicas(fleet: Fleet): void {
  if (fleet.replicas.length) return;
  const id = fleet.primary.DBInstanceIdentifier!;
  throw conflictError('NO_READ_REPLICAS', `${id} has no read replicas to verify.`, { hint: `Add one first: rdsctl scale-replicas ${id} --count 1` });
}
