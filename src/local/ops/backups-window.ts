import { restoreWindow, type Trx } from '../../core/pitr.js';
import { archiveIndex, archiversOf } from './backups-archive.js';
import { asBase } from './backups-base.js';
import { backupStore, type AutomatedBackupRecord } from './backups-store.js';
import type { InstanceRecord } from '../state/registry.js';
import type { OpsContext } from './context.js';

/**
 * The archive checkpoint (epoch s): the running archiver's, else the persisted one, else the newest
 * base's second. Every commit in a second ≤ it can be restored.
 */
export function latestSecond(ctx: OpsContext, b: AutomatedBackupRecord): number | undefined {
  const live = b.status === 'active' ? archiversOf(ctx).get(b.instanceId) : undefined;
  if (live?.throughSecond !== undefined && live.dbi === b.id) return live.throughSecond;
  if (b.archivedThrough) return Date.parse(b.archivedThrough) / 1000;
  const last = b.bases.at(-1);
  return last ? Math.floor(Date.parse(last.time) / 1000) : undefined;
}

/** LatestRestorableTime of an instance (no archive read: DescribeDBInstances is polled). */
export function latestRestorable(ctx: OpsContext, b: AutomatedBackupRecord | undefined): Date | undefined {
  if (!b || b.bases.length === 0) return undefined;
  const s = latestSecond(ctx, b);
  return s === undefined ? undefined : new Date(s * 1000);
}

/** DescribeDBInstances' LatestRestorableTime: set while the instance has automated backups with a base. */
export function restorableFields(ctx: OpsContext, rec: InstanceRecord): { LatestRestorableTime?: Date } {
  if (rec.backupRetentionPeriod === 0 || rec.source) return {};
  const t = latestRestorable(ctx, backupStore(ctx.home).get(rec.dbiResourceId));
  return t ? { LatestRestorableTime: t } : {};
}

/** Bases older than the last gap the archiver found are of no use (core/pitr.ts restoreWindow). */
export function gapFloorMs(b: AutomatedBackupRecord): number {
  return Math.max(0, ...b.gaps.map((g) => Date.parse(g.found)));
}

export interface Window {
  earliest: Date;
  latest: Date;
  trxs: Trx[];
}

/** The restore window with the archive read (gaps cut it): undefined while no base backup exists. */
export async function windowOf(ctx: OpsContext, b: AutomatedBackupRecord): Promise<Window | undefined> {
  const { trxs } = await archiveIndex(ctx.home, b.id);
  const latest = latestSecond(ctx, b);
  if (latest === undefined) return undefined;
  const w = restoreWindow(b.bases.map(asBase), trxs, latest, gapFloorMs(b));
  return w && { earliest: new Date(w.earliestMs), latest: new Date(w.latestMs), trxs };
}
