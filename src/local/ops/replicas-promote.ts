import { detachReplica, dropReplicationUser } from '../engine/replication.js';
import { firstBaseBackup } from './backups-base.js';
import type { OpHandler } from '../server/types.js';
import type { InstanceRecord } from '../state/registry.js';
import { readReplicationSecret, removeReplicationSecret } from '../state/replication-secrets.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidCombination, invalidState } from './faults.js';
import { renderInstance, type InstanceResult } from './instances-render.js';
import { checkIdentifier, checkRetention } from './instances-validate.js';
import { restartWithConfig, runningStatus, setStatus } from './instances-work.js';
import { int, required, str } from './params.js';
import { replicaFields, replicasOf } from './replicas-status.js';
import { listUserSecrets } from '../state/user-secrets.js';
import { adoptUserSecrets } from './user-secrets-keep.js';

const HONOURED = new Set(['Action', 'Version', 'DBInstanceIdentifier', 'BackupRetentionPeriod', 'PreferredBackupWindow']);

export interface PromoteSettings {
  backupRetentionPeriod: number;
  preferredBackupWindow?: string;
}

/** PromoteReadReplica: replication stopped and cleared, writable, data kept; RDS reboots the instance. */
export function promoteReadReplica(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const id = checkIdentifier(required(req.flat, 'DBInstanceIdentifier'));
    for (const k of Object.keys(req.flat)) {
      if (!HONOURED.has(k) && req.flat[k] !== '') throw invalidCombination(`The local endpoint does not support ${k} on PromoteReadReplica; omit it.`);
    }
    const settings: PromoteSettings = {
      backupRetentionPeriod: checkRetention(int(req.flat, 'BackupRetentionPeriod') ?? 1),
      preferredBackupWindow: str(req.flat, 'PreferredBackupWindow'),
    };
    const rec = ctx.registry.get(id);
    if (!rec) throw instanceNotFound(id);
    if (!rec.source) throw invalidState(`DB Instance ${id} is not a read replica.`);
    if (rec.status !== 'available') throw invalidState(`DB Instance ${id} is not in available state (it is ${rec.status}).`);
    const updated = setStatus(ctx, id, 'modifying', (r) => {
      r.promoting = settings;
    })!;
    queuePromotion(ctx, rec, settings);
    return { DBInstance: { ...renderInstance(updated, ctx.caValidTill), ...replicaFields(ctx, updated) } };
  };
}

/** The job locks the replica and (while it exists) its source: the replication user is dropped there. */
export function queuePromotion(ctx: OpsContext, rec: InstanceRecord, settings: PromoteSettings): Promise<void> {
  const keys = rec.source && ctx.registry.get(rec.source) ? [rec.id, rec.source] : [rec.id];
  return ctx.jobs.run(keys, () => runPromote(ctx, rec.id, settings));
}

/**
 * Deleting a source promotes its replicas first, as RDS does: each promotion is queued on
 * [replica, source] before the delete job, which locks the source and so waits for them.
 */
export function promoteReplicasOf(ctx: OpsContext, sourceId: string): void {
  for (const r of replicasOf(ctx, sourceId)) {
    if (r.status === 'deleting') continue;
    ctx.event(r.id, `The source ${sourceId} is being deleted: promoting this read replica to a standalone instance`, ['read replica']);
    ctx.registry.update(r.id, (x) => {
      x.promoting = { backupRetentionPeriod: 1 };
    });
    void queuePromotion(ctx, r, { backupRetentionPeriod: 1 });
  }
}

export async function runPromote(ctx: OpsContext, id: string, settings: PromoteSettings): Promise<void> {
  const rec = ctx.registry.get(id);
  if (!rec?.source) return;
  const sourceId = rec.source;
  const paths = ctx.paths(id);
  const running = ctx.engine.runningPid(paths) !== undefined;
  if (running) await detachReplica(paths);
  await forgetReplicationUser(ctx, rec);
  const wasFailed = rec.status === 'failed';
  ctx.registry.update(id, (r) => {
    r.source = undefined;
    r.promoting = undefined;
    for (const n of r.nodes) if (n.role === 'replica') n.role = 'primary';
    r.backupRetentionPeriod = settings.backupRetentionPeriod;
    if (settings.preferredBackupWindow) r.preferredBackupWindow = settings.preferredBackupWindow;
    if (!wasFailed) r.status = 'rebooting';
  });
  ctx.replication.delete(id);
  if (wasFailed) return ctx.event(id, `Detached from ${sourceId}; the instance stays failed`, ['read replica']);
  // The reboot RDS does: my.cnf without read_only, and a server that never saw CHANGE MASTER again.
  if (running || rec.desiredState === 'running') {
    await restartWithConfig(ctx, id);
    await detachReplica(paths); // idempotent: a node that was down kept its replication settings until now
  }
  if (ctx.engine.runningPid(paths) !== undefined) {
    // The users `rdsctl users` made on the source came with replication: their kept passwords serve this
    // instance too, each checked against the account's hash here (a rotation may not have replicated yet).
    await adoptUserSecrets(ctx, id, paths, listUserSecrets(ctx.home, 'local', sourceId), 'promotion')
      .catch((err: Error) => ctx.event(id, `Could not check the kept passwords of the former source's database users: ${err.message}`, ['read replica']));
    // A standalone instance with retention > 0 has automated backups: the first one before it is available.
    await firstBaseBackup(ctx, id);
  }
  const now = ctx.registry.get(id);
  if (now) setStatus(ctx, id, runningStatus(now));
  ctx.event(id, `Promoted the read replica to a standalone DB instance (it replicated from ${sourceId})`, ['read replica', 'configuration change']);
}

/** The source's replication user for this replica goes with the link (best effort: the source may be down or gone). */
export async function forgetReplicationUser(ctx: OpsContext, rec: InstanceRecord): Promise<void> {
  const user = readReplicationSecret(ctx.home, rec.id);
  const source = rec.source ? ctx.registry.get(rec.source) : undefined;
  if (user && source && ctx.engine.runningPid(ctx.paths(source.id)) !== undefined) {
    await dropReplicationUser(ctx.paths(source.id), user.username).catch((err) => ctx.log.warn(`could not drop ${user.username} on ${source.id}: ${(err as Error).message}`));
  }
  removeReplicationSecret(ctx.home, rec.id);
}

