import type { DBSnapshot, DBSnapshotMessage } from '@aws-sdk/client-rds';
import { cp, rm } from 'node:fs/promises';
import { preparedBackup } from '../engine/backup.js';
import type { OpHandler } from '../server/types.js';
import { writeJsonAtomic } from '../state/atomic-file.js';
import { readSecret } from '../state/secrets.js';
import { keepUserSecrets } from './user-secrets-keep.js';
import type { InstanceRecord } from '../state/registry.js';
import { localRdsArnName } from './arns.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidState, invalidValue } from './faults.js';
import { checkMaxRecords, page } from './instances-describe.js';
import { checkIdentifier } from './instances-validate.js';
import { lockKey } from './job-queue.js';
import { filters, int, required, str, tags, type Filter } from './params.js';
import {
  freshSnapshotDir, newSnapshot, renderSnapshot, snapshotExists, snapshotFiles, snapshotNotFound, snapshotQuota,
  snapshotState, snapshotStore, SNAPSHOT_QUOTA, type SnapshotRecord,
} from './snapshots-store.js';

type SnapshotResult = { DBSnapshot: DBSnapshot };

/** A snapshot identifier given by the caller: the instance identifier rule (rds-semantics.md), or a local snapshot ARN. */
export function snapshotId(text: string, param = 'DBSnapshotIdentifier'): string {
  return checkIdentifier(localRdsArnName(text.toLowerCase(), 'snapshot') ?? text, param, 255);
}

/**
 * Records a manual snapshot of `rec` (creating) and queues the copy, locking the snapshot and the
 * instance (a delete, reboot or modify of the instance waits for it). Shared by CreateDBSnapshot and
 * DeleteDBInstance's final snapshot, so both refuse the same way.
 */
export function startSnapshot(ctx: OpsContext, id: string, rec: InstanceRecord, tagList = rec.copyTagsToSnapshot ? rec.tags : []): SnapshotRecord {
  const store = snapshotStore(ctx.home);
  if (store.get(id)) throw snapshotExists(id);
  if (store.list().length >= SNAPSHOT_QUOTA) throw snapshotQuota();
  if (rec.source) throw invalidState(`Cannot create a snapshot of DB instance ${rec.id}: it is a read replica (the local endpoint snapshots source instances only).`);
  if (rec.status !== 'available') throw invalidState(`DB instance ${rec.id} is not in available state (it is ${rec.status}), so it cannot be snapshotted.`);
  const snap = newSnapshot(id, rec, tagList);
  store.save(snap);
  ctx.event(rec.id, `Creating manual snapshot ${id}`, ['backup']);
  void ctx.jobs.run([lockKey('db-snapshot', id), rec.id], () => runSnapshot(ctx, id));
  return snap;
}

/** The copy: a prepared mariadb-backup of the serving node, plus its key files when encrypted. */
export async function runSnapshot(ctx: OpsContext, id: string): Promise<void> {
  const store = snapshotStore(ctx.home);
  const snap = store.get(id);
  if (!snap || snap.status !== 'creating') return;
  const files = snapshotFiles(ctx.home, id);
  try {
    freshSnapshotDir(ctx.home, id);
    const paths = ctx.paths(snap.instanceId);
    if (snap.storageEncrypted) await cp(paths.keysDir, files.keys, { recursive: true, preserveTimestamps: true });
    const gtid = await preparedBackup(paths, files.backup);
    // The password the copy's mysql.global_priv holds (RDS: a restored instance keeps its master user).
    const master = readSecret(ctx.home, snap.instanceId);
    // Only that password: not the Secrets Manager versions (an AWSPREVIOUS password has no business in a copy).
    if (master) writeJsonAtomic(files.master, { username: master.username, password: master.password, managed: master.managed, updatedAt: master.updatedAt }, 0o600);
    keepUserSecrets(ctx, snap.instanceId, files.root); // the users' passwords the copy's hashes open
    store.save({ ...snap, status: 'available', gtid });
    ctx.event(snap.instanceId, `Manual snapshot ${id} is available (consistent at GTID ${gtid || '(none)'})`, ['backup']);
  } catch (err) {
    await rm(files.root, { recursive: true, force: true }).catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    store.save({ ...snap, status: 'failed', statusReason: reason });
    ctx.event(snap.instanceId, `Manual snapshot ${id} failed: ${reason}`, ['backup', 'failure']);
  }
}

export function createDBSnapshot(ctx: OpsContext): OpHandler<SnapshotResult> {
  return async (req) => {
    const id = snapshotId(required(req.flat, 'DBSnapshotIdentifier'));
    const instance = required(req.flat, 'DBInstanceIdentifier');
    const rec = ctx.registry.get(instance.toLowerCase());
    if (!rec) throw instanceNotFound(instance);
    const tagList = tags(req.flat);
    const snap = startSnapshot(ctx, id, rec, tagList.length > 0 || !rec.copyTagsToSnapshot ? tagList : rec.tags);
    return { DBSnapshot: renderSnapshot(snap) };
  };
}

const FILTERS: Record<string, (s: SnapshotRecord, v: string) => boolean> = {
  'db-instance-id': (s, v) => s.instanceId === v.toLowerCase() || localRdsArnName(v, 'db') === s.instanceId,
  'db-snapshot-id': (s, v) => s.id === v.toLowerCase(),
  'dbi-resource-id': (s, v) => s.dbiResourceId === v,
  'snapshot-type': (s, v) => s.snapshotType === v,
  engine: (s, v) => s.engine === v,
};

function checkFilters(fs: Filter[]): void {
  for (const f of fs) {
    if (!FILTERS[f.Name]) throw invalidValue(`Unrecognized filter name: ${f.Name}. Supported: ${Object.keys(FILTERS).join(', ')}.`);
    if (f.Values.length === 0) throw invalidValue(`Filter ${f.Name} needs at least one value.`);
  }
}

/** DescribeDBSnapshots: by snapshot (DBSnapshotNotFound when absent), by instance, SnapshotType, filters, paging. */
export function describeDBSnapshots(ctx: OpsContext): OpHandler<DBSnapshotMessage> {
  return async (req) => {
    const fs = filters(req.flat);
    checkFilters(fs);
    const maxRecords = checkMaxRecords(int(req.flat, 'MaxRecords'));
    const sidParam = str(req.flat, 'DBSnapshotIdentifier');
    const instance = str(req.flat, 'DBInstanceIdentifier');
    const type = str(req.flat, 'SnapshotType');
    if (type !== undefined && !['manual', 'automated', 'shared', 'public', 'awsbackup'].includes(type)) {
      throw invalidValue(`Invalid value for SnapshotType: ${type}. Valid values: automated, manual, shared, public, awsbackup.`);
    }
    let snaps = snapshotStore(ctx.home).list();
    if (sidParam !== undefined) {
      const sid = localRdsArnName(sidParam.toLowerCase(), 'snapshot') ?? sidParam.toLowerCase();
      snaps = snaps.filter((s) => s.id === sid);
      if (snaps.length === 0) throw snapshotNotFound(sidParam);
    }
    if (instance !== undefined) snaps = snaps.filter((s) => FILTERS['db-instance-id'](s, instance));
    if (type !== undefined) snaps = snaps.filter((s) => s.snapshotType === type);
    snaps = snaps.filter((s) => fs.every((f) => f.Values.some((v) => FILTERS[f.Name](s, v))));
    const result = page(snaps, maxRecords, str(req.flat, 'Marker'));
    return { DBSnapshots: result.items.map(renderSnapshot), Marker: result.marker };
  };
}

/** DeleteDBSnapshot: available or failed snapshots only; files first, the record last (a crash leaves `deleting`). */
export function deleteDBSnapshot(ctx: OpsContext): OpHandler<SnapshotResult> {
  return async (req) => {
    const param = required(req.flat, 'DBSnapshotIdentifier');
    const store = snapshotStore(ctx.home);
    const snap = store.get(localRdsArnName(param.toLowerCase(), 'snapshot') ?? param.toLowerCase());
    if (!snap) throw snapshotNotFound(param);
    if (snap.status !== 'available' && snap.status !== 'failed') {
      throw snapshotState(`Cannot delete the snapshot ${snap.id} because it is ${snap.status}; wait until it is available.`);
    }
    store.save({ ...snap, status: 'deleting' });
    void ctx.jobs.run(lockKey('db-snapshot', snap.id), async () => {
      await rm(snapshotFiles(ctx.home, snap.id).root, { recursive: true, force: true });
      store.remove(snap.id);
      ctx.event(snap.instanceId, `Manual snapshot ${snap.id} deleted`, ['deletion']);
    });
    return { DBSnapshot: { ...renderSnapshot(snap), Status: 'deleted' } };
  };
}

/**
 * After a control-plane start: a snapshot still `creating` was interrupted (its mariadb-backup may
 * still run): stop it, remove the partial copy, mark the snapshot failed. Returns the instances whose
 * snapshot was interrupted, so a delete that waited for its final snapshot is not finished without it.
 */
export function recoverSnapshots(ctx: OpsContext): Set<string> {
  const store = snapshotStore(ctx.home);
  const interrupted = new Set<string>();
  for (const snap of store.list()) {
    if (snap.status === 'deleting') {
      void ctx.jobs.run(lockKey('db-snapshot', snap.id), async () => {
        await rm(snapshotFiles(ctx.home, snap.id).root, { recursive: true, force: true });
        store.remove(snap.id);
      });
    }
    if (snap.status !== 'creating') continue;
    interrupted.add(snap.instanceId);
    void ctx.jobs.run(lockKey('db-snapshot', snap.id), async () => {
      const { stopStragglers } = await import('./stragglers.js');
      await stopStragglers(`${snapshotFiles(ctx.home, snap.id).root}/`);
      await rm(snapshotFiles(ctx.home, snap.id).root, { recursive: true, force: true });
      const reason = 'the control plane stopped while the snapshot was being taken; delete it and take another';
      store.save({ ...snap, status: 'failed', statusReason: reason });
      ctx.event(snap.instanceId, `Manual snapshot ${snap.id} failed: ${reason}`, ['backup', 'failure']);
    });
  }
  return interrupted;
}
