import type { OpHandler, OpRequest } from '../server/types.js';
import { nodeIds, setServingPid, type InstanceRecord } from '../state/registry.js';
import { removeSecret } from '../state/secrets.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidCombination, invalidState } from './faults.js';
import { renderInstance, type InstanceResult } from './instances-render.js';
import { checkIdentifier } from './instances-validate.js';
import { restartWithConfig, runningStatus, setStatus, startProcess, takePending } from './instances-work.js';
import { bool, required, str } from './params.js';
import { forgetReplicationUser, promoteReplicasOf } from './replicas-promote.js';
import { replicasOf } from './replicas-status.js';
import { snapshotId, startSnapshot } from './snapshots.js';
import { snapshotFiles, snapshotStore } from './snapshots-store.js';
import { listUserSecretsIn } from '../state/user-secrets.js';
import { backupsOnDelete, keepAutomatedBackups } from './backups-supervise.js';
import { backupFiles, backupStore } from './backups-store.js';
import { forgetUserSecrets, keepUserSecrets, keptUsersDir } from './user-secrets-keep.js';

function load(ctx: OpsContext, req: OpRequest): InstanceRecord {
  const id = checkIdentifier(required(req.flat, 'DBInstanceIdentifier'));
  const rec = ctx.registry.get(id);
  if (!rec) throw instanceNotFound(id);
  return rec;
}

/** Sets the transitional status now, answers with it, and queues the work. */
function begin(ctx: OpsContext, rec: InstanceRecord, status: string, work: () => Promise<void>, change?: (r: InstanceRecord) => void): InstanceResult {
  const updated = setStatus(ctx, rec.id, status, change)!;
  void ctx.jobs.run(rec.id, work);
  return { DBInstance: renderInstance(updated, ctx.caValidTill) };
}

/** RebootDBInstance: restarts mariadbd; also the "maintenance window" that applies PendingModifiedValues. */
export function rebootDBInstance(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const rec = load(ctx, req);
    if (bool(req.flat, 'ForceFailover')) throw invalidCombination('ForceFailover needs a Multi-AZ DB instance; this one is Single-AZ.');
    if (rec.status !== 'available' && rec.status !== 'storage-full') throw invalidState(`DBInstance ${rec.id} is not in available state (it is ${rec.status}).`);
    return begin(ctx, rec, 'rebooting', () => runReboot(ctx, rec.id));
  };
}

export async function runReboot(ctx: OpsContext, id: string): Promise<void> {
  const { changed } = takePending(ctx, id);
  await restartWithConfig(ctx, id);
  if (changed.length > 0) ctx.event(id, `Applied the pending modifications ${changed.join(', ')}`, ['configuration change']);
  ctx.event(id, 'DB instance restarted', ['availability']);
  const rec = ctx.registry.get(id);
  if (rec) setStatus(ctx, id, runningStatus(rec));
}

export function stopDBInstance(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const rec = load(ctx, req);
    if (str(req.flat, 'DBSnapshotIdentifier')) throw invalidCombination('Snapshots are not supported by the local endpoint yet: stop without DBSnapshotIdentifier.');
    if (rec.status !== 'available') throw invalidState(`Instance ${rec.id} is not in available state (it is ${rec.status}).`);
    // As on RDS for MySQL/MariaDB: neither a source of read replicas nor a read replica can be stopped.
    if (replicasOf(ctx, rec.id).length > 0) throw invalidState(`Cannot stop DB instance ${rec.id} because it has read replicas (${replicasOf(ctx, rec.id).map((r) => r.id).join(', ')}).`);
    if (rec.source) throw invalidState(`Cannot stop DB instance ${rec.id} because it is a read replica of ${rec.source}.`);
    return begin(ctx, rec, 'stopping', () => runStop(ctx, rec.id), (r) => {
      r.desiredState = 'stopped';
    });
  };
}

export async function runStop(ctx: OpsContext, id: string): Promise<void> {
  await ctx.engine.stop(ctx.paths(id));
  setStatus(ctx, id, 'stopped', (r) => setServingPid(r, undefined));
  ctx.event(id, 'DB instance stopped', ['notification']);
}

export function startDBInstance(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const rec = load(ctx, req);
    if (rec.status !== 'stopped') throw invalidState(`Instance ${rec.id} is not stopped, it is ${rec.status}.`);
    return begin(ctx, rec, 'starting', () => runStart(ctx, rec.id), (r) => {
      r.desiredState = 'running';
    });
  };
}

export async function runStart(ctx: OpsContext, id: string): Promise<void> {
  await startProcess(ctx, id);
  ctx.event(id, 'DB instance started', ['notification']);
  const rec = ctx.registry.get(id);
  if (rec) setStatus(ctx, id, runningStatus(rec));
}

/** The final snapshot's identifier, or undefined when the instance is deleted without one. */
function checkFinalSnapshot(req: OpRequest, rec: InstanceRecord): string | undefined {
  // A read replica has no final snapshot on RDS: it is deleted without one.
  if (rec.source) {
    if (str(req.flat, 'FinalDBSnapshotIdentifier')) throw invalidCombination(`DB instance ${rec.id} is a read replica: it cannot have a final snapshot; omit FinalDBSnapshotIdentifier.`);
    return undefined;
  }
  const skip = bool(req.flat, 'SkipFinalSnapshot') ?? false;
  const finalId = str(req.flat, 'FinalDBSnapshotIdentifier');
  if (skip && finalId) throw invalidCombination('Cannot specify both SkipFinalSnapshot=true and a FinalDBSnapshotIdentifier.');
  if (!skip && !finalId) throw invalidCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is true.');
  return finalId === undefined ? undefined : snapshotId(finalId, 'FinalDBSnapshotIdentifier');
}

export function deleteDBInstance(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const rec = load(ctx, req);
    if (rec.deletionProtection) {
      throw invalidCombination(`Cannot delete protected DB Instance ${rec.id}, please disable deletion protection and try again.`);
    }
    const finalId = checkFinalSnapshot(req, rec);
    if (rec.status === 'deleting') throw invalidState(`Instance ${rec.id} is already being deleted.`);
    // Queued before the delete job, which waits for it on the instance's lock (snapshots.ts).
    if (finalId) startSnapshot(ctx, finalId, rec);
    keepAutomatedBackups(ctx, rec, bool(req.flat, 'DeleteAutomatedBackups') === false);
    promoteReplicasOf(ctx, rec.id); // queued before the delete job, which waits for them (RDS promotes them too)
    return begin(ctx, rec, 'deleting', () => (finalId ? runDeleteAfterSnapshot(ctx, rec.id, finalId) : runDelete(ctx, rec.id)), (r) => {
      r.desiredState = 'deleted';
    });
  };
}

/** As RDS: a final snapshot that failed leaves the instance in place (failed, with the reason), never deleted without its copy. */
async function runDeleteAfterSnapshot(ctx: OpsContext, id: string, finalId: string): Promise<void> {
  const snap = snapshotStore(ctx.home).get(finalId);
  if (snap?.status !== 'available') {
    const rec = ctx.registry.get(id);
    if (rec) setStatus(ctx, id, runningStatus(rec), (r) => { r.desiredState = 'running'; });
    ctx.event(id, `Deletion called off: the final snapshot ${finalId} failed (${snap?.statusReason ?? 'no record'})`, ['deletion', 'failure']);
    return;
  }
  await runDelete(ctx, id);
}

/** What still holds the users' passwords once the instance is gone: retained backups (given a copy now) and its snapshots. */
function usersKeptWith(ctx: OpsContext, rec: InstanceRecord): string[] {
  const where: string[] = [];
  if (backupStore(ctx.home).get(rec.dbiResourceId)?.status === 'retained' && keepUserSecrets(ctx, rec.id, backupFiles(ctx.home, rec.dbiResourceId).root).length > 0) {
    where.push('the retained automated backups');
  }
  const snaps = snapshotStore(ctx.home).list()
    .filter((s) => s.instanceId === rec.id && s.status === 'available' && listUserSecretsIn(keptUsersDir(snapshotFiles(ctx.home, s.id).root)).length > 0)
    .map((s) => s.id);
  if (snaps.length > 0) where.push(`snapshot${snaps.length > 1 ? 's' : ''} ${snaps.join(', ')} (the passwords each was taken with)`);
  return where;
}

/**
 * Stops every node of the instance and removes its folder (data, config, keys, socket), then the
 * secret, then the record. The record lives outside the node folders (state/instances/): it goes last,
 * so DescribeDBInstances says `deleting` until everything else is gone (a waiter that sees
 * DBInstanceNotFound may trust it, and a crash half-way leaves a record whose desired state `deleted`
 * recovery finishes).
 */
export async function runDelete(ctx: OpsContext, id: string): Promise<void> {
  const rec = ctx.registry.get(id);
  if (rec?.source) await forgetReplicationUser(ctx, rec);
  ctx.replication.delete(id);
  if (rec) await backupsOnDelete(ctx, rec);
  for (const node of rec ? nodeIds(rec) : [id]) await ctx.engine.destroy(ctx.instancePaths(ctx.home, node));
  removeSecret(ctx.home, id);
  forgetUserSecrets(ctx, id, rec ? usersKeptWith(ctx, rec) : []);
  ctx.registry.remove(id);
  ctx.usage.delete(id);
  ctx.event(id, 'DB instance deleted', ['deletion']);
}
