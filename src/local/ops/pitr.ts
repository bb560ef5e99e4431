import { cutIndex, chooseBase, parseGtid } from '../../core/pitr.js';
import type { FlatParams, OpHandler } from '../server/types.js';
import { readJson } from '../state/atomic-file.js';
import { writeSecret, type InstanceSecret } from '../state/secrets.js';
import type { InstanceRecord } from '../state/registry.js';
import { asBase, backupLock } from './backups-base.js';
import { automatedBackupArn, automatedBackupNotFound, backupFiles, backupStore, pitrNotEnabled, restoreFault, type AutomatedBackupRecord } from './backups-store.js';
import { gapFloorMs, windowOf, type Window } from './backups-window.js';
import type { OpsContext } from './context.js';
import { instanceExists, instanceNotFound, instanceQuota, invalidCombination, invalidValue } from './faults.js';
import { renderInstance, type InstanceResult } from './instances-render.js';
import { checkIdentifier, checkPort, checkRetention, INSTANCE_QUOTA } from './instances-validate.js';
import { bool, int, required, str, tags } from './params.js';
import { releaseReservation } from './ports.js';
import { choosePort, refusePlacement } from './placement.js';
import { runPointInTimeRestore, type Cut } from './pitr-run.js';
import { RESTORE_BEFORE_GTID_TAG } from '../../core/restore-cut.js';
import { restoredRecord } from './snapshots-restore.js';
import { newSnapshot } from './snapshots-store.js';

/** The tag `rdsctl restore --before` sends: replay every archived transaction before this GTID, not it. */
const BEFORE_GTID_TAG = RESTORE_BEFORE_GTID_TAG;

const HONOURED = new Set([
  'Action', 'Version', 'SourceDBInstanceIdentifier', 'TargetDBInstanceIdentifier', 'RestoreTime', 'UseLatestRestorableTime',
  'SourceDbiResourceId', 'SourceDBInstanceAutomatedBackupsArn', 'DBInstanceClass', 'AllocatedStorage', 'Port',
  'DeletionProtection', 'CopyTagsToSnapshot', 'MultiAZ', 'PubliclyAccessible', 'AvailabilityZone', 'AutoMinorVersionUpgrade',
  'BackupRetentionPeriod',
]);

function refuseUnhonoured(flat: FlatParams): void {
  for (const [k, v] of Object.entries(flat)) {
    if (HONOURED.has(k) || k.startsWith('Tags.') || v === '') continue;
    throw invalidCombination(`The local endpoint does not support ${k} on a point-in-time restore; omit it (the new instance takes the source's settings).`);
  }
  refusePlacement(flat, 'a restored DB instance');
}

/** The automated backups a request names: by instance (active only), DbiResourceId or automated backup ARN (active or retained). */
function sourceBackups(ctx: OpsContext, flat: FlatParams): AutomatedBackupRecord {
  const store = backupStore(ctx.home);
  const instance = str(flat, 'SourceDBInstanceIdentifier');
  const dbi = str(flat, 'SourceDbiResourceId');
  const arn = str(flat, 'SourceDBInstanceAutomatedBackupsArn');
  if ([instance, dbi, arn].filter((x) => x !== undefined).length !== 1) {
    throw invalidCombination('Specify exactly one of SourceDBInstanceIdentifier, SourceDbiResourceId and SourceDBInstanceAutomatedBackupsArn.');
  }
  if (instance !== undefined) {
    const rec = ctx.registry.get(instance.toLowerCase());
    if (!rec) throw instanceNotFound(instance);
    const b = store.get(rec.dbiResourceId);
    if (rec.backupRetentionPeriod === 0 || !b) throw pitrNotEnabled(`Point-in-time restore is not enabled for DB instance ${rec.id}: its backup retention period is 0.`);
    return b;
  }
  const b = dbi !== undefined ? store.get(dbi) : store.list().find((x) => automatedBackupArn(x.id) === arn);
  if (!b) throw automatedBackupNotFound(dbi ?? arn!);
  return b;
}

/** RestoreTime / UseLatestRestorableTime → the second to restore to (epoch s), checked against the window. */
function restoreSecond(flat: FlatParams, w: Window | undefined, b: AutomatedBackupRecord): number {
  const text = str(flat, 'RestoreTime');
  const latest = bool(flat, 'UseLatestRestorableTime') ?? false;
  if (text !== undefined && latest) throw invalidCombination('Cannot specify both RestoreTime and UseLatestRestorableTime.');
  if (text === undefined && !latest) throw invalidCombination('Specify RestoreTime or UseLatestRestorableTime.');
  if (!w) throw restoreFault(`DB instance ${b.instanceId} has no restorable time yet: its first automated backup is not complete.`);
  if (latest) return w.latest.getTime() / 1000;
  const ms = Date.parse(text!);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text!) || Number.isNaN(ms)) throw invalidValue(`Invalid RestoreTime: ${text}. Use ISO 8601 with a zone, e.g. 2026-11-26T10:15:06Z.`);
  const second = Math.floor(ms / 1000);
  if (second * 1000 < w.earliest.getTime() || second * 1000 > w.latest.getTime()) {
    throw restoreFault(`RestoreTime ${new Date(second * 1000).toISOString()} is outside the restore window of ${b.instanceId} (${w.earliest.toISOString()} – ${w.latest.toISOString()}).`);
  }
  return second;
}

/** The cut: by time, or (tag rdsctl:restore-before-gtid) just before a GTID that must be archived inside the window. */
function planCut(flat: FlatParams, w: Window | undefined, b: AutomatedBackupRecord): Cut {
  const before = tags(flat).find((t) => t.Key === BEFORE_GTID_TAG)?.Value;
  if (before === undefined) {
    const second = restoreSecond(flat, w, b);
    return { second, index: cutIndex(w!.trxs, second) };
  }
  if (!parseGtid(before)) throw invalidValue(`Tag ${BEFORE_GTID_TAG} must be a GTID <domain>-<server>-<seq>, not ${before}.`);
  const at = w ? w.trxs.findIndex((t) => t.gtid === before) : -1;
  if (!w || at < 0 || w.trxs[at].second * 1000 < w.earliest.getTime() || w.trxs[at].second * 1000 > w.latest.getTime() + 999) {
    throw restoreFault(`GTID ${before} is not in the binlog archive of ${b.instanceId} inside its restore window.`);
  }
  // A RestoreTime (or UseLatestRestorableTime) may come with the tag, as `rdsctl restore --before` sends the
  // match's second: the tag then cuts inside that bound, so the bound must not be before the GTID's commit.
  if (str(flat, 'RestoreTime') !== undefined || bool(flat, 'UseLatestRestorableTime')) {
    const bound = restoreSecond(flat, w, b);
    if (bound < w.trxs[at].second) throw invalidCombination(`RestoreTime ${new Date(bound * 1000).toISOString()} is before GTID ${before} (committed ${new Date(w.trxs[at].second * 1000).toISOString()}) that tag ${BEFORE_GTID_TAG} cuts at.`);
  }
  return { second: w.trxs[at].second, index: at - 1, beforeGtid: before };
}

/** RestoreDBInstanceToPointInTime: validates, records `creating`, answers; the restore runs in a job on the new instance and the backups. */
export function restoreDBInstanceToPointInTime(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const id = checkIdentifier(required(req.flat, 'TargetDBInstanceIdentifier'), 'TargetDBInstanceIdentifier');
    refuseUnhonoured(req.flat);
    const wantedPort = checkPort(int(req.flat, 'Port'));
    const b = sourceBackups(ctx, req.flat);
    const w = await windowOf(ctx, b);
    const cut = planCut(req.flat, w, b);
    if (!chooseBase(b.bases.map(asBase), w!.trxs, cut.index, gapFloorMs(b))) throw restoreFault(`No base backup of ${b.instanceId} precedes the restore point.`);
    if (ctx.registry.get(id)) throw instanceExists(id);
    if (ctx.registry.list().length >= INSTANCE_QUOTA) throw instanceQuota(`You have reached the DB instance quota (${INSTANCE_QUOTA}) of this endpoint.`);
    const retentionParam = int(req.flat, 'BackupRetentionPeriod');
    const retention = retentionParam === undefined ? undefined : checkRetention(retentionParam);
    const settings = { ...newSnapshot(id, sourceSettings(ctx, b), []), tags: sourceSettings(ctx, b).tags };
    restoredRecord(ctx, req.flat, id, settings, 0); // validates class and storage before a port is claimed
    const port = await choosePort(ctx, wantedPort);
    let rec: InstanceRecord;
    try {
      if (ctx.registry.get(id)) throw instanceExists(id);
      rec = { ...restoredRecord(ctx, req.flat, id, settings, port), backupRetentionPeriod: retention ?? settings.instance.backupRetentionPeriod };
      const master = readJson<InstanceSecret>(backupFiles(ctx.home, b.id).master);
      if (master) writeSecret(ctx.home, id, { username: master.username, password: master.password, managed: master.managed });
      ctx.registry.save(rec);
    } finally {
      releaseReservation(port);
    }
    const what = cut.beforeGtid ? `just before GTID ${cut.beforeGtid}` : new Date(cut.second * 1000).toISOString();
    ctx.event(id, `DB instance created by a point-in-time restore of ${b.instanceId} to ${what}`, ['creation', 'restoration']);
    void ctx.jobs.run([id, backupLock(b.id)], () => runPointInTimeRestore(ctx, id, b.id, cut));
    return { DBInstance: renderInstance(rec, ctx.caValidTill) };
  };
}

/** The source's settings now (it may have been modified since the last base backup), or as kept when it is gone. */
function sourceSettings(ctx: OpsContext, b: AutomatedBackupRecord): InstanceRecord {
  const live = ctx.registry.get(b.instanceId);
  return live && live.dbiResourceId === b.id ? live : b.instance;
}
