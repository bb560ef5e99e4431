import fs from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { basesToPrune, parseGtid, seqInPosition, type Base } from '../../core/pitr.js';
import { preparedBackup } from '../engine/backup.js';
import { writeJsonAtomic } from '../state/atomic-file.js';
import { readSecret } from '../state/secrets.js';
import type { InstanceRecord } from '../state/registry.js';
import { archiveIndex } from './backups-archive.js';
import { backupFiles, backupStore, ensureBackupFiles, type AutomatedBackupRecord, type BaseBackup } from './backups-store.js';
import type { OpsContext } from './context.js';
import { lockKey } from './job-queue.js';

/** The lock of one instance's backup store: base backups, pruning and restores from it take it. */
export const backupLock = (dbi: string) => lockKey('automated-backup', dbi);

/** A retention day; RDSCTL_BACKUP_DAY_MS shortens it for tests (pruning), RDSCTL_BACKUP_INTERVAL_MS spaces base backups. */
export function backupTiming(env: NodeJS.ProcessEnv = process.env): { dayMs: number; intervalMs?: number } {
  const day = Number(env.RDSCTL_BACKUP_DAY_MS);
  const interval = Number(env.RDSCTL_BACKUP_INTERVAL_MS);
  return { dayMs: Number.isFinite(day) && day > 0 ? day : 86_400_000, intervalMs: Number.isFinite(interval) && interval > 0 ? interval : undefined };
}

/** The record for an instance's backups (created active with its settings), or the stored one. */
export function ensureBackupRecord(ctx: OpsContext, rec: InstanceRecord): AutomatedBackupRecord {
  const store = backupStore(ctx.home);
  const found = store.get(rec.dbiResourceId);
  if (found) return found;
  ensureBackupFiles(ctx.home, rec.dbiResourceId);
  const b: AutomatedBackupRecord = {
    id: rec.dbiResourceId, instanceId: rec.id, status: 'active', createTime: new Date().toISOString(), bases: [], gaps: [], instance: structuredClone(rec),
  };
  store.save(b);
  return b;
}

export const asBase = (b: BaseBackup): Base => ({ id: b.id, timeMs: Date.parse(b.time), gtid: b.gtid });

/**
 * A base backup: prepared mariadb-backup of the serving node into base/<id>.partial, renamed when
 * complete (a crash leaves only a .partial, removed at the next start), keys and master user beside it.
 * Status backing-up meanwhile (the instance serves). Then pruning past retention.
 */
export async function runBaseBackup(ctx: OpsContext, id: string, why: string): Promise<void> {
  const rec = ctx.registry.get(id);
  if (!rec || rec.backupRetentionPeriod === 0) return;
  const before = rec.status;
  ctx.registry.update(id, (r) => { r.status = 'backing-up'; });
  try {
    ensureBackupRecord(ctx, rec);
    const files = ensureBackupFiles(ctx.home, rec.dbiResourceId);
    const baseId = new Date().toISOString().replace(/[-:.]/g, '').toLowerCase();
    const partial = path.join(files.base, `${baseId}.partial`);
    const paths = ctx.paths(id);
    if (rec.storageEncrypted) {
      await rm(files.keys, { recursive: true, force: true });
      await cp(paths.keysDir, files.keys, { recursive: true, preserveTimestamps: true });
    }
    const gtid = await preparedBackup(paths, partial);
    const time = new Date().toISOString();
    await rename(partial, path.join(files.base, baseId));
    const master = readSecret(ctx.home, id);
    if (master) writeJsonAtomic(files.master, master, 0o600);
    const store = backupStore(ctx.home);
    const b = store.get(rec.dbiResourceId)!;
    store.save({ ...b, instanceId: rec.id, instance: structuredClone({ ...rec, status: before }), bases: [...b.bases, { id: baseId, time, gtid }] });
    ctx.event(id, `Automated backup (${why}) complete, consistent at GTID ${gtid || '(none)'}`, ['backup']);
    await prune(ctx, rec.dbiResourceId, rec.backupRetentionPeriod);
  } catch (err) {
    // A failed backup is an event, not a failed instance (the instance still serves); the next tick tries again.
    ctx.event(id, `Automated backup (${why}) failed: ${(err as Error).message}`, ['backup', 'failure']);
    removePartialBases(ctx.home, rec.dbiResourceId);
  } finally {
    ctx.registry.update(id, (r) => { if (r.status === 'backing-up') r.status = before === 'backing-up' ? 'available' : before; });
  }
}

/** Removes bases older than the newest one the window needs, and archived files wholly before the oldest base kept. */
export async function prune(ctx: OpsContext, dbi: string, retentionDays: number): Promise<void> {
  const store = backupStore(ctx.home);
  const b = store.get(dbi);
  if (!b) return;
  const drop = new Set(basesToPrune(b.bases.map(asBase), Date.now(), retentionDays * backupTiming().dayMs).map((x) => x.id));
  if (drop.size === 0) return;
  const files = backupFiles(ctx.home, dbi);
  const kept = b.bases.filter((x) => !drop.has(x.id));
  store.save({ ...b, bases: kept });
  for (const id of drop) await rm(path.join(files.base, id), { recursive: true, force: true });
  const oldest = kept[0];
  const { files: archived } = await archiveIndex(ctx.home, dbi);
  // A file goes when the file after it already starts at or before the oldest base: nothing in it is replayed.
  for (let i = 0; i + 1 < archived.length; i++) {
    const nextFirst = archived[i + 1].trxs[0]?.gtid;
    if (!nextFirst || !oldest || !startsBefore(oldest.gtid, nextFirst)) break;
    for (const suffix of ['', '.sealed', '.trx.json']) fs.rmSync(path.join(files.binlogs, archived[i].name + suffix), { force: true });
  }
}

function startsBefore(basePosition: string, gtid: string): boolean {
  const g = parseGtid(gtid);
  return g !== undefined && g.seq <= seqInPosition(basePosition, g.domain) + 1;
}

/** The copy a restore uses. */
export function baseDir(home: string, dbi: string, baseId: string): string {
  return path.join(backupFiles(home, dbi).base, baseId);
}

/** After a crash: half-written bases are removed (their record was never written). */
export function removePartialBases(home: string, dbi: string): void {
  const dir = backupFiles(home, dbi).base;
  for (const n of fs.existsSync(dir) ? fs.readdirSync(dir) : []) if (n.endsWith('.partial')) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
}

/** Queues a base backup on the instance and its backup store. */
export function queueBaseBackup(ctx: OpsContext, rec: InstanceRecord, why: string): Promise<void> {
  return ctx.jobs.run([rec.id, backupLock(rec.dbiResourceId)], () => runBaseBackup(ctx, rec.id, why));
}

/** A new instance's first base backup (creation, restores), inside its creation job, before it is available. */
export async function firstBaseBackup(ctx: OpsContext, id: string): Promise<void> {
  const rec = ctx.registry.get(id);
  if (!rec || rec.backupRetentionPeriod === 0 || rec.source) return;
  await runBaseBackup(ctx, id, 'first');
}
