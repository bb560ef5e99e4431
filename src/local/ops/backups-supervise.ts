import { rm } from 'node:fs/promises';
import path from 'node:path';
import { nextBaseDueMs } from '../../core/pitr.js';
import type { InstanceRecord } from '../state/registry.js';
import { archiversOf, checkpoint, closeSegments, sealAll, startArchiver, stopArchiver } from './backups-archive.js';
import { backupLock, backupTiming, ensureBackupRecord, queueBaseBackup, removePartialBases } from './backups-base.js';
import { backupFiles, backupStore } from './backups-store.js';
import type { OpsContext } from './context.js';

/** Where automated backups run: a primary (not a replica) meant to run, serving. */
const SERVING = new Set(['available', 'backing-up', 'storage-full', 'modifying']);

function wantsArchive(rec: InstanceRecord): boolean {
  return rec.backupRetentionPeriod > 0 && !rec.source && rec.desiredState === 'running' && SERVING.has(rec.status);
}

const started = new WeakSet<OpsContext>();

/**
 * One pass (every RDSCTL_ARCHIVE_CHECK_MS, default 1 s): archivers started/stopped, checkpoints,
 * closed segments indexed and sealed, base backups queued when due, backups dropped when retention
 * went to 0 (as RDS does).
 */
export async function superviseBackups(ctx: OpsContext): Promise<void> {
  if (!started.has(ctx)) {
    started.add(ctx);
    // A killed control plane leaves its mariadb-binlog children (and a base backup's mariadb-backup)
    // running: end them before starting new ones. This first pass runs before any base backup of ours.
    const { stopStragglers } = await import('./stragglers.js');
    const top = path.dirname(backupFiles(ctx.home, 'x').root);
    await stopStragglers(`--result-file=${top}/`, 3000);
    await stopStragglers(`--target-dir=${top}/`, 3000);
    for (const b of backupStore(ctx.home).list()) removePartialBases(ctx.home, b.id);
    for (const rec of ctx.registry.list()) {
      // A base backup the control plane was taking when it stopped: the instance serves again.
      if (rec.status === 'backing-up') ctx.registry.update(rec.id, (r) => { r.status = 'available'; });
    }
  }
  const archivers = archiversOf(ctx);
  const all = ctx.registry.list();
  for (const [id] of archivers) {
    const rec = all.find((r) => r.id === id);
    if (!rec || !wantsArchive(rec)) await stopArchiver(ctx, id);
  }
  for (const rec of all) {
    try {
      await superviseOne(ctx, rec);
    } catch (err) {
      ctx.log.error(`automated backups of ${rec.id}: ${(err as Error).message}`);
    }
  }
}

async function superviseOne(ctx: OpsContext, rec: InstanceRecord): Promise<void> {
  const store = backupStore(ctx.home);
  if (rec.backupRetentionPeriod === 0 && !rec.source && store.get(rec.dbiResourceId)?.status === 'active' && !ctx.jobs.busy(rec.id)) {
    await stopArchiver(ctx, rec.id);
    await ctx.jobs.run(backupLock(rec.dbiResourceId), () => deleteBackups(ctx, rec.dbiResourceId));
    ctx.event(rec.id, 'Automated backups deleted: the backup retention period is 0', ['backup']);
    return;
  }
  if (!wantsArchive(rec) || ctx.engine.runningPid(ctx.paths(rec.id)) === undefined) return;
  const b = ensureBackupRecord(ctx, rec);
  const archivers = archiversOf(ctx);
  let a = archivers.get(rec.id);
  if (!a) archivers.set(rec.id, (a = { dbi: rec.dbiResourceId, persistedAt: 0, rotatedAt: Date.now() }));
  if (!a.child) await startArchiver(ctx, rec, a);
  else await checkpoint(ctx, rec, a);
  await closeSegments(ctx, rec, a);
  const last = b.bases.at(-1);
  const due = !last || Date.now() >= nextBaseDueMs(Date.parse(last.time), rec.preferredBackupWindow, backupTiming().intervalMs);
  if (due && !ctx.jobs.busy(rec.id) && rec.status === 'available') void queueBaseBackup(ctx, rec, last ? 'scheduled' : 'first');
}

/** Removes an instance's automated backups: files first, the record last. */
export async function deleteBackups(ctx: OpsContext, dbi: string): Promise<void> {
  await rm(backupFiles(ctx.home, dbi).root, { recursive: true, force: true });
  backupStore(ctx.home).remove(dbi);
}

/**
 * Before an instance's nodes are destroyed: the archiver's last checkpoint, then either `retained`
 * (DeleteAutomatedBackups=false) or removal.
 */
export async function backupsOnDelete(ctx: OpsContext, rec: InstanceRecord): Promise<void> {
  const a = archiversOf(ctx).get(rec.id);
  if (a?.child) await checkpoint(ctx, rec, { ...a, persistedAt: 0 }).catch(() => undefined);
  await stopArchiver(ctx, rec.id);
  const store = backupStore(ctx.home);
  const b = store.get(rec.dbiResourceId);
  if (!b) return;
  // Not in a job of the backup lock: this runs inside the delete job, and a base backup queued behind
  // it holds that lock while it waits for the instance (a nested job would wait for it: a deadlock).
  if (!b.retainOnDelete || b.bases.length === 0) return deleteBackups(ctx, rec.dbiResourceId);
  await sealAll(ctx.home, rec);
  store.save({ ...store.get(rec.dbiResourceId)!, status: 'retained' });
  ctx.event(rec.id, `Automated backups retained (DbiResourceId ${rec.dbiResourceId})`, ['backup', 'deletion']);
}

/** DeleteDBInstance's DeleteAutomatedBackups (default true), kept on the backup record so a crash half-way honours it. */
export function keepAutomatedBackups(ctx: OpsContext, rec: InstanceRecord, keep: boolean): void {
  const store = backupStore(ctx.home);
  const b = store.get(rec.dbiResourceId);
  if (b && b.status === 'active') store.save({ ...b, retainOnDelete: keep });
}

/** RDSCTL_ARCHIVE_CHECK_MS: the archive pass interval. */
export function archiveCheckMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.RDSCTL_ARCHIVE_CHECK_MS);
  return Number.isFinite(v) && v > 0 ? v : 1000;
}
