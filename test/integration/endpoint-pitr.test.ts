import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateDBInstanceCommand, DeleteDBInstanceCommand, DescribeDBInstanceAutomatedBackupsCommand, ModifyDBInstanceCommand, RestoreDBInstanceToPointInTimeCommand,
  waitUntilDBInstanceDeleted, type RestoreDBInstanceToPointInTimeCommandInput,
} from '@aws-sdk/client-rds';
import { connect, describe1, errorName, sleep, startHarness, waitFor, type Harness } from './endpoint-harness.js';

/**
 * The ledger test (issue 8): a writer commits numbered rows at a steady rate; each row stores NOW(),
 * which is its statement's start time — the very second the binlog records for an autocommit
 * transaction (the GTID event's timestamp). A restore to second S must hold exactly the rows with ts ≤ S.
 */
let h: Harness;
const ledger: { n: number; second: number }[] = [];

async function sql<T = Record<string, unknown>[]>(id: string, text: string, values?: unknown[]): Promise<T> {
  const c = await connect(h.home, id, 'app');
  try {
    return (await c.query(text, values))[0] as T;
  } finally {
    await c.end();
  }
}

const window = async (id: string) => (await h.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: id }))).DBInstanceAutomatedBackups![0];

async function restore(input: Omit<RestoreDBInstanceToPointInTimeCommandInput, 'SourceDBInstanceIdentifier'> & { SourceDBInstanceIdentifier?: string }): Promise<number[]> {
  await h.rds.send(new RestoreDBInstanceToPointInTimeCommand(input));
  const id = input.TargetDBInstanceIdentifier!;
  await waitFor(h, id, (d) => d.DBInstanceStatus === 'available' || d.DBInstanceStatus === 'failed', 'restored');
  const db = await describe1(h, id);
  expect(db.DBInstanceStatus, db.StatusInfos?.[0]?.Message).toBe('available');
  const rows = await sql<{ n: number }[]>(id, 'SELECT n FROM ledger ORDER BY n');
  await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
  return rows.map((r) => r.n);
}

const expected = (second: number) => ledger.filter((l) => l.second <= second).map((l) => l.n);

beforeAll(async () => {
  process.env.RDSCTL_SUPERVISE_MS = '500';
  h = await startHarness('ep-pitr');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'src', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20, BackupRetentionPeriod: 1,
    MasterUsername: 'admin', MasterUserPassword: 'First-pass-1', DBName: 'app',
  }));
  await waitFor(h, 'src', (d) => d.DBInstanceStatus === 'available', 'available');
  await sql('src', 'CREATE TABLE ledger (n INT PRIMARY KEY, ts DATETIME NOT NULL)');
  // ~4 s of commits every 40 ms (about 20 in each second); a rotation in the middle.
  const c = await connect(h.home, 'src', 'app');
  const started = Date.now();
  for (let n = 1; Date.now() - started < 4000; n++) {
    await c.query('INSERT INTO ledger VALUES (?, NOW())', [n]);
    if (n === 60) await sql('src', 'FLUSH BINARY LOGS').catch(() => undefined);
    await sleep(40);
  }
  await c.end();
  for (const r of await sql<{ n: number; s: number }[]>('src', 'SELECT n, UNIX_TIMESTAMP(ts) AS s FROM ledger ORDER BY n')) ledger.push({ n: r.n, second: Number(r.s) });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe('point-in-time restore on the local endpoint (real mariadbd, binlog archive)', () => {
  it('LatestRestorableTime follows now, and the window spans the first base backup to it', async () => {
    await sleep(3500);
    const db = await describe1(h, 'src');
    expect(Date.now() - db.LatestRestorableTime!.getTime()).toBeLessThan(5000);
    const b = await window('src');
    expect(b).toMatchObject({ Status: 'active', DBInstanceIdentifier: 'src', DbiResourceId: db.DbiResourceId, BackupRetentionPeriod: 1 });
    expect(b.DBInstanceAutomatedBackupsArn).toMatch(/^arn:aws:rds:.*:auto-backup:ab-/);
    // The window opens with the first base backup, taken while the instance was created (before the ledger began).
    expect(b.RestoreWindow!.EarliestTime!.getTime()).toBeGreaterThanOrEqual(Math.floor(db.InstanceCreateTime!.getTime() / 1000) * 1000);
    expect(b.RestoreWindow!.EarliestTime!.getTime()).toBeLessThanOrEqual(ledger[0].second * 1000);
    expect(b.RestoreWindow!.LatestTime!.getTime()).toBeGreaterThanOrEqual(ledger.at(-1)!.second * 1000);
  });

  it('restores hold exactly the ledger rows committed in a second ≤ the cut: window start, a busy second, the latest', async () => {
    const b = await window('src');
    const busy = ledger[Math.floor(ledger.length / 2)].second;
    const early = Math.floor(b.RestoreWindow!.EarliestTime!.getTime() / 1000);
    expect(expected(busy).length).toBeGreaterThan(10);
    expect(await restore({ SourceDBInstanceIdentifier: 'src', TargetDBInstanceIdentifier: 'busy', RestoreTime: new Date(busy * 1000) })).toEqual(expected(busy));
    expect(await restore({ SourceDBInstanceIdentifier: 'src', TargetDBInstanceIdentifier: 'early', RestoreTime: new Date(early * 1000) })).toEqual(expected(early));
    expect(await restore({ SourceDBInstanceIdentifier: 'src', TargetDBInstanceIdentifier: 'latest', UseLatestRestorableTime: true })).toEqual(ledger.map((l) => l.n));
  }, 120_000);

  it('the rdsctl:restore-before-gtid tag replays every transaction before that GTID and not it', async () => {
    await waitFor(h, 'src', (d) => (d.LatestRestorableTime?.getTime() ?? 0) >= ledger.at(-1)!.second * 1000, 'archive caught up');
    const gtid = (await sql<{ g: string }[]>('src', 'SELECT @@gtid_binlog_pos AS g'))[0].g;
    const [d, s, seq] = gtid.split('-').map(Number);
    const cutGtid = `${d}-${s}-${seq - 5}`;
    const id = 'before';
    await h.rds.send(new RestoreDBInstanceToPointInTimeCommand({ SourceDBInstanceIdentifier: 'src', TargetDBInstanceIdentifier: id, Tags: [{ Key: 'rdsctl:restore-before-gtid', Value: cutGtid }] }));
    await waitFor(h, id, (x) => x.DBInstanceStatus === 'available' || x.DBInstanceStatus === 'failed', 'restored');
    const db = await describe1(h, id);
    expect(db.DBInstanceStatus).toBe('available');
    expect(db.TagList).toContainEqual({ Key: 'rdsctl:restore-before-gtid', Value: cutGtid });
    const rows = await sql<{ n: number }[]>(id, 'SELECT n FROM ledger ORDER BY n');
    // The tagged GTID is the 5th-last ledger row's: the restore holds the rows before it.
    expect(rows.map((r) => r.n)).toEqual(ledger.slice(0, -6).map((l) => l.n));
    // The restored instance has automated backups of its own, from where it was restored to.
    expect(await window(id)).toMatchObject({ Status: 'active', DbiResourceId: db.DbiResourceId });
    for (let i = 0; i < 50 && !(await window(id)).RestoreWindow; i++) await sleep(200);
    expect((await window(id)).RestoreWindow!.EarliestTime!.getTime()).toBeGreaterThan(Date.now() - 30_000);
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
    expect(await errorName(h.rds.send(new RestoreDBInstanceToPointInTimeCommand({ SourceDBInstanceIdentifier: 'src', TargetDBInstanceIdentifier: 'x', Tags: [{ Key: 'rdsctl:restore-before-gtid', Value: '0-1-999999' }] })))).toBe('InvalidRestoreFault');
  }, 60_000);

  it('answers bad requests as AWS does, creating nothing', async () => {
    const req = (x: Partial<RestoreDBInstanceToPointInTimeCommandInput>) => errorName(h.rds.send(new RestoreDBInstanceToPointInTimeCommand({ SourceDBInstanceIdentifier: 'src', TargetDBInstanceIdentifier: 'bad', ...x })));
    expect(await req({ RestoreTime: new Date(Date.now() + 3600_000) })).toBe('InvalidRestoreFault');
    expect(await req({ RestoreTime: new Date('2020-01-01T00:00:00Z') })).toBe('InvalidRestoreFault');
    expect(await req({ RestoreTime: new Date(), UseLatestRestorableTime: true })).toBe('InvalidParameterCombination');
    expect(await req({ TargetDBInstanceIdentifier: 'src', UseLatestRestorableTime: true })).toBe('DBInstanceAlreadyExistsFault');
    expect(await req({ SourceDBInstanceIdentifier: 'nope', UseLatestRestorableTime: true })).toBe('DBInstanceNotFoundFault');
    await h.rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'nobak', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20, BackupRetentionPeriod: 0,
      MasterUsername: 'admin', MasterUserPassword: 'First-pass-1',
    }));
    expect(await req({ SourceDBInstanceIdentifier: 'nobak', UseLatestRestorableTime: true })).toBe('PointInTimeRestoreNotEnabledFault');
    expect(await errorName(describe1(h, 'bad'))).toBe('DBInstanceNotFoundFault');
    expect((await h.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: 'nobak' }))).DBInstanceAutomatedBackups).toEqual([]);
  });

  it('retention 0 → 1 takes a base backup (backing-up) and opens a window; 1 → 0 deletes the automated backups', async () => {
    await waitFor(h, 'nobak', (d) => d.DBInstanceStatus === 'available', 'available');
    expect((await describe1(h, 'nobak')).LatestRestorableTime).toBeUndefined();
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'nobak', BackupRetentionPeriod: 1, ApplyImmediately: true }));
    let sawBackingUp = false;
    for (let i = 0; i < 150; i++) {
      const d = await describe1(h, 'nobak');
      if (d.DBInstanceStatus === 'backing-up') sawBackingUp = true;
      if (d.LatestRestorableTime) break;
      await sleep(100);
    }
    expect(sawBackingUp).toBe(true);
    await waitFor(h, 'nobak', (d) => d.DBInstanceStatus === 'available' && d.LatestRestorableTime !== undefined, 'first backup');
    expect((await window('nobak')).Status).toBe('active');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'nobak', BackupRetentionPeriod: 0, ApplyImmediately: true }));
    for (let i = 0; i < 50 && (await h.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: 'nobak' }))).DBInstanceAutomatedBackups!.length > 0; i++) await sleep(200);
    expect((await h.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: 'nobak' }))).DBInstanceAutomatedBackups).toEqual([]);
    expect((await describe1(h, 'nobak')).LatestRestorableTime).toBeUndefined();
  });

  it('DeleteAutomatedBackups=false keeps them retained, and a restore by DbiResourceId works after the source is gone', async () => {
    const dbi = (await describe1(h, 'src')).DbiResourceId!;
    await sleep(1500);
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'src', SkipFinalSnapshot: true, DeleteAutomatedBackups: false }));
    await waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 120, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: 'src' });
    const [b] = (await h.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DbiResourceId: dbi }))).DBInstanceAutomatedBackups!;
    expect(b.Status).toBe('retained');
    expect(await restore({ SourceDbiResourceId: dbi, TargetDBInstanceIdentifier: 'after', UseLatestRestorableTime: true })).toEqual(ledger.map((l) => l.n));
    expect(await restore({ SourceDBInstanceAutomatedBackupsArn: b.DBInstanceAutomatedBackupsArn, TargetDBInstanceIdentifier: 'byarn', RestoreTime: new Date(ledger[40].second * 1000) })).toEqual(expected(ledger[40].second));
  }, 120_000);
});
