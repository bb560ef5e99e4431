import { cp, mkdir } from 'node:fs/promises';
import { copyBack } from '../engine/backup.js';
import type { FlatParams, OpHandler } from '../server/types.js';
import { storageKeyArn } from './arns.js';
import { readJson } from '../state/atomic-file.js';
import { randomFrom } from '../state/credentials.js';
import { setServingPid, type InstanceRecord } from '../state/registry.js';
import { writeSecret, type InstanceSecret } from '../state/secrets.js';
import type { OpsContext } from './context.js';
import { instanceExists, instanceQuota, invalidCombination, invalidValue, storageQuota } from './faults.js';
import { nextServerId } from './instances-create.js';
import { renderInstance, type InstanceResult } from './instances-render.js';
import { checkIdentifier, checkInstanceClass, checkPort, INSTANCE_QUOTA } from './instances-validate.js';
import { lockKey } from './job-queue.js';
import { bool, int, required, str, tags } from './params.js';
import { releaseReservation } from './ports.js';
import { choosePort, refusePlacement } from './placement.js';
import { snapshotId } from './snapshots.js';
import { firstBaseBackup } from './backups-base.js';
import { adoptUserSecrets, userSecretsFrom } from './user-secrets-keep.js';
import { snapshotFiles, snapshotNotFound, snapshotState, snapshotStore, type SnapshotRecord } from './snapshots-store.js';

/** Parameters the local endpoint honours on a restore; any other is refused rather than silently ignored. */
const HONOURED = new Set([
  'Action', 'Version', 'DBInstanceIdentifier', 'DBSnapshotIdentifier', 'DBInstanceClass', 'AllocatedStorage', 'Port',
  'DeletionProtection', 'CopyTagsToSnapshot', 'MultiAZ', 'PubliclyAccessible', 'AvailabilityZone', 'AutoMinorVersionUpgrade',
]);

function refuseUnhonoured(flat: FlatParams): void {
  for (const [k, v] of Object.entries(flat)) {
    if (HONOURED.has(k) || k.startsWith('Tags.') || v === '') continue;
    throw invalidCombination(`The local endpoint does not support ${k} on a restore; omit it (the new instance takes the snapshot's settings).`);
  }
  refusePlacement(flat, 'a restored DB instance');
}

/** RDS: a restored instance may get more storage than the snapshot's, never less. */
function checkStorage(wanted: number | undefined, snap: SnapshotRecord): number {
  if (wanted === undefined) return snap.allocatedStorage;
  if (wanted < snap.allocatedStorage) throw invalidValue(`AllocatedStorage ${wanted} is smaller than the snapshot's ${snap.allocatedStorage} GiB; a restore can only keep or grow the storage.`);
  if (wanted > 65536) throw storageQuota(`AllocatedStorage ${wanted} exceeds the 65536 GiB maximum.`);
  return wanted;
}

/** The new instance: the snapshot's settings (encryption and its key included), its own identity, node and port. */
export function restoredRecord(ctx: OpsContext, flat: FlatParams, id: string, snap: SnapshotRecord, port: number): InstanceRecord {
  const base = structuredClone(snap.instance);
  const tagList = tags(flat);
  return {
    ...base,
    id, dbiResourceId: `db-${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 26)}`,
    instanceClass: checkInstanceClass(str(flat, 'DBInstanceClass') ?? snap.instanceClass, snap.engine),
    allocatedStorage: checkStorage(int(flat, 'AllocatedStorage'), snap),
    port, nodes: [{ id, role: 'primary', port, serverId: nextServerId(ctx) }], source: undefined, promoting: undefined,
    storageEncrypted: snap.storageEncrypted, kmsKeyId: snap.storageEncrypted ? storageKeyArn(snap.kmsKeyId) : undefined,
    // A restored mariadb instance keeps the snapshot's password, unmanaged (RDS offers management on restore for Oracle only).
    manageMasterUserPassword: false, masterUserSecretArn: undefined,
    deletionProtection: bool(flat, 'DeletionProtection') ?? false,
    copyTagsToSnapshot: bool(flat, 'CopyTagsToSnapshot') ?? base.copyTagsToSnapshot,
    autoMinorVersionUpgrade: bool(flat, 'AutoMinorVersionUpgrade') ?? base.autoMinorVersionUpgrade,
    tags: tagList.length > 0 ? tagList : snap.tags,
    createTime: new Date().toISOString(), status: 'creating', statusReason: undefined, desiredState: 'running',
    initCompleted: false, pending: {}, pendingOptionGroupName: undefined, readOnlyForStorage: undefined, lastStorageChange: undefined,
  };
}

function loadSnapshot(ctx: OpsContext, param: string): SnapshotRecord {
  const snap = snapshotStore(ctx.home).get(snapshotId(param));
  if (!snap) throw snapshotNotFound(param);
  if (snap.status !== 'available') throw snapshotState(`DB snapshot ${snap.id} is not available (it is ${snap.status}), so it cannot be restored.`);
  return snap;
}

/** RestoreDBInstanceFromDBSnapshot: validates, records `creating`, answers; the copy-back runs in a job on the instance + snapshot. */
export function restoreDBInstanceFromDBSnapshot(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const id = checkIdentifier(required(req.flat, 'DBInstanceIdentifier'));
    const sidParam = required(req.flat, 'DBSnapshotIdentifier');
    refuseUnhonoured(req.flat);
    const wantedPort = checkPort(int(req.flat, 'Port'));
    const snap = loadSnapshot(ctx, sidParam);
    if (ctx.registry.get(id)) throw instanceExists(id);
    if (ctx.registry.list().length >= INSTANCE_QUOTA) throw instanceQuota(`You have reached the DB instance quota (${INSTANCE_QUOTA}) of this endpoint.`);
    restoredRecord(ctx, req.flat, id, snap, 0); // validates class and storage before a port is claimed
    const port = await choosePort(ctx, wantedPort);
    let rec: InstanceRecord;
    try {
      if (ctx.registry.get(id)) throw instanceExists(id);
      rec = restoredRecord(ctx, req.flat, id, loadSnapshot(ctx, sidParam), port);
      const master = readJson<InstanceSecret>(snapshotFiles(ctx.home, snap.id).master);
      if (master) writeSecret(ctx.home, id, { username: master.username, password: master.password, managed: master.managed });
      ctx.registry.save(rec);
    } finally {
      releaseReservation(port);
    }
    ctx.event(id, `DB instance created by restoring snapshot ${snap.id}`, ['creation', 'restoration']);
    // The instance first: a failure marks it failed (JobQueue's subject); the snapshot lock keeps a delete of the snapshot waiting.
    void ctx.jobs.run([id, lockKey('db-snapshot', snap.id)], () => runRestoreFromSnapshot(ctx, id, snap.id));
    return { DBInstance: renderInstance(rec, ctx.caValidTill) };
  };
}

/** Keys (encrypted copies stay encrypted), copy-back of the prepared copy (the snapshot is kept), config, start. */
export async function runRestoreFromSnapshot(ctx: OpsContext, id: string, sid: string): Promise<void> {
  const rec = ctx.registry.get(id);
  if (!rec) return;
  const files = snapshotFiles(ctx.home, sid);
  const paths = ctx.paths(id);
  try {
    await mkdir(paths.serverRoot, { recursive: true, mode: 0o700 });
    if (rec.storageEncrypted) await cp(files.keys, paths.keysDir, { recursive: true, preserveTimestamps: true });
    await copyBack(files.backup, paths);
    await ctx.engine.writeConfig(paths, ctx.spec(rec));
    const { pid } = await ctx.engine.start(paths, ctx.spec(rec));
    ctx.registry.update(id, (r) => { setServingPid(r, pid); });
    await adoptUserSecrets(ctx, id, paths, userSecretsFrom(ctx, files.root));
    await firstBaseBackup(ctx, id);
    ctx.registry.update(id, (r) => {
      r.initCompleted = true;
      if (r.status === 'creating') r.status = 'available';
    });
    ctx.event(id, `DB instance restored from snapshot ${sid} is available (mariadbd pid ${pid}, port ${rec.port})`, ['availability', 'restoration']);
  } catch (err) {
    await ctx.engine.stop(paths).catch(() => undefined);
    throw err;
  }
}
