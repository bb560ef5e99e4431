import type { DBInstance, DBSnapshot, RDSClient, RestoreDBInstanceFromDBSnapshotMessage } from '@aws-sdk/client-rds';
import { checkFailedError, notFoundError } from '../core/errors.js';
import type { WaitSettings } from './instances.js';
import { waitForInstance } from './wait.js';

/** DB snapshots (manual and automated) on either target: the SDK calls, the waits, the not-found rule. */

const snapshotNotFound = (sid: string) =>
  notFoundError('SNAPSHOT_NOT_FOUND', `DB snapshot ${sid} not found.`, { hint: 'Run `rdsctl snapshot list`.' });

export async function describeSnapshot(rds: RDSClient, sid: string): Promise<DBSnapshot> {
  const { DescribeDBSnapshotsCommand } = await import('@aws-sdk/client-rds');
  try {
    const res = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: sid }));
    const snap = res.DBSnapshots?.[0];
    if (!snap) throw snapshotNotFound(sid);
    return snap;
  } catch (err) {
    if ((err as Error).name === 'DBSnapshotNotFoundFault') throw snapshotNotFound(sid);
    throw err;
  }
}

/** Every snapshot (of one instance when given), following Marker pages. */
export async function listSnapshots(rds: RDSClient, instanceId?: string): Promise<DBSnapshot[]> {
  const { paginateDescribeDBSnapshots } = await import('@aws-sdk/client-rds');
  const all: DBSnapshot[] = [];
  for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { DBInstanceIdentifier: instanceId })) all.push(...(page.DBSnapshots ?? []));
  return all;
}

/** Polls until the snapshot is available (or gone when `gone`), reporting status and progress changes. */
async function waitForSnapshot(rds: RDSClient, sid: string, w: WaitSettings, gone = false): Promise<DBSnapshot | undefined> {
  const started = Date.now();
  let last: string | undefined;
  for (;;) {
    let snap: DBSnapshot | undefined;
    try {
      snap = await describeSnapshot(rds, sid);
    } catch (err) {
      if (gone && (err as { code?: string }).code === 'SNAPSHOT_NOT_FOUND') return undefined;
      throw err;
    }
    const line = `${snap.Status}${snap.PercentProgress !== undefined ? ` ${snap.PercentProgress}%` : ''}`;
    if (line !== last) w.onProgress(`${sid}: ${line}`, { id: sid, status: snap.Status ?? 'unknown' });
    last = line;
    if (!gone && snap.Status === 'available') return snap;
    if (snap.Status === 'failed') throw checkFailedError('SNAPSHOT_FAILED', `DB snapshot ${sid} failed.`, { hint: `Delete it with \`rdsctl snapshot delete ${sid}\` and take another.` });
    if (Date.now() - started > w.timeoutMs) throw checkFailedError('WAIT_TIMEOUT', `DB snapshot ${sid} is still ${snap.Status} after ${Math.round(w.timeoutMs / 1000)} s.`, { hint: `Check it later with \`rdsctl snapshot describe ${sid}\`.` });
    await new Promise((r) => setTimeout(r, w.intervalMs));
  }
}

export async function createSnapshot(rds: RDSClient, instanceId: string, sid: string, w: WaitSettings): Promise<DBSnapshot> {
  const { CreateDBSnapshotCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: instanceId, DBSnapshotIdentifier: sid }));
  if (!w.wait) return res.DBSnapshot!;
  return (await waitForSnapshot(rds, sid, w))!;
}

export async function deleteSnapshot(rds: RDSClient, sid: string, w: WaitSettings): Promise<DBSnapshot | undefined> {
  const { DeleteDBSnapshotCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: sid }));
  if (w.wait) await waitForSnapshot(rds, sid, w, true);
  return res.DBSnapshot;
}

export async function restoreFromSnapshot(rds: RDSClient, input: RestoreDBInstanceFromDBSnapshotMessage, w: WaitSettings): Promise<DBInstance> {
  const { RestoreDBInstanceFromDBSnapshotCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new RestoreDBInstanceFromDBSnapshotCommand(input));
  const id = input.DBInstanceIdentifier!;
  w.onProgress(`${id}: restore from snapshot ${input.DBSnapshotIdentifier} requested`);
  if (!w.wait) return res.DBInstance!;
  return (await waitForInstance(rds, id, (d) => d.DBInstanceStatus === 'available', { intervalMs: w.intervalMs, timeoutMs: w.timeoutMs, onProgress: w.onProgress }))!;
}
