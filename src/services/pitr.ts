import type { DBInstance, RDSClient, RestoreDBInstanceToPointInTimeMessage } from '@aws-sdk/client-rds';
import { conflictError } from '../core/errors.js';
import { outsideWindow } from '../core/restore-time.js';
import type { WaitSettings } from './instances.js';
import { describeInstance } from './instances.js';
import { waitForInstance } from './wait.js';

/** Point-in-time restore on either target: the restore window, the plan, the call and the wait. Never prints. */

export interface RestoreWindowView {
  DBInstanceIdentifier: string;
  DbiResourceId?: string;
  Status?: string;
  EarliestTime?: Date;
  LatestTime?: Date;
  BackupRetentionPeriod?: number;
}

/** DescribeDBInstanceAutomatedBackups' RestoreWindow of the instance's active automated backups. */
export async function restoreWindow(rds: RDSClient, id: string): Promise<RestoreWindowView> {
  const db = await describeInstance(rds, id);
  if ((db.BackupRetentionPeriod ?? 0) === 0) {
    throw conflictError('PITR_NOT_ENABLED', `${id} has no automated backups (backup retention 0), so it has no restore window.`, {
      hint: `Turn them on with \`rdsctl modify ${id} --backup-retention 7\`; restores are possible from its first backup on.`,
    });
  }
  const { DescribeDBInstanceAutomatedBackupsCommand } = await import('@aws-sdk/client-rds');
  const out = await rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: id }));
  const b = (out.DBInstanceAutomatedBackups ?? []).find((x) => x.DbiResourceId === db.DbiResourceId) ?? out.DBInstanceAutomatedBackups?.[0];
  return {
    DBInstanceIdentifier: id, DbiResourceId: db.DbiResourceId, Status: b?.Status, BackupRetentionPeriod: db.BackupRetentionPeriod,
    EarliestTime: b?.RestoreWindow?.EarliestTime, LatestTime: b?.RestoreWindow?.LatestTime ?? db.LatestRestorableTime,
  };
}

export interface PitrPlan {
  SourceDBInstanceIdentifier: string;
  TargetDBInstanceIdentifier: string;
  RestoreTime?: Date;
  UseLatestRestorableTime?: boolean;
  /** Overrides of the source's class and storage (absent: the source's, as on RDS). */
  DBInstanceClass?: string;
  AllocatedStorage?: number;
  window: RestoreWindowView;
}

/** Checks source, window and target before anything is created; throws the CLI's errors (usage, not found, exists). */
export async function planPointInTime(rds: RDSClient, input: { source: string; target: string; time?: Date; latest?: boolean; DBInstanceClass?: string; AllocatedStorage?: number }): Promise<PitrPlan> {
  const window = await restoreWindow(rds, input.source);
  if (input.time) {
    const problem = outsideWindow(input.time, { earliest: window.EarliestTime, latest: window.LatestTime }, input.source);
    if (problem) throw problem;
  }
  const exists = await describeInstance(rds, input.target).then(() => true, (err) => {
    if ((err as Error).name === 'DBInstanceNotFoundFault' || (err as { code?: string }).code === 'INSTANCE_NOT_FOUND') return false;
    throw err;
  });
  if (exists) {
    throw conflictError('INSTANCE_EXISTS', `DB instance ${input.target} already exists: nothing was restored.`, { hint: `Pick another name, e.g. \`--target ${input.target}-2\`.` });
  }
  return {
    SourceDBInstanceIdentifier: input.source, TargetDBInstanceIdentifier: input.target, window,
    ...(input.time ? { RestoreTime: input.time } : { UseLatestRestorableTime: true }),
    ...(input.DBInstanceClass !== undefined ? { DBInstanceClass: input.DBInstanceClass } : {}),
    ...(input.AllocatedStorage !== undefined ? { AllocatedStorage: input.AllocatedStorage } : {}),
  };
}

/** Sends the restore (a plan, or `restore --before`'s request) and waits, unless told not to, until the new instance is available. */
export async function restoreToPointInTime(rds: RDSClient, plan: PitrPlan | RestoreDBInstanceToPointInTimeMessage, w: WaitSettings): Promise<DBInstance> {
  const { RestoreDBInstanceToPointInTimeCommand } = await import('@aws-sdk/client-rds');
  const { window: _w, ...input } = plan as PitrPlan;
  const res = await rds.send(new RestoreDBInstanceToPointInTimeCommand(input));
  const id = input.TargetDBInstanceIdentifier!;
  const to = input.RestoreTime ? ` to ${input.RestoreTime.toISOString()}` : '';
  w.onProgress(`${id}: point-in-time restore of ${input.SourceDBInstanceIdentifier}${to} requested`);
  if (!w.wait) return res.DBInstance!;
  return (await waitForInstance(rds, id, (d) => d.DBInstanceStatus === 'available', { intervalMs: w.intervalMs, timeoutMs: w.timeoutMs, onProgress: w.onProgress }))!;
}
