import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateDBInstanceCommand, DeleteDBInstanceCommand, DescribeDBInstanceAutomatedBackupsCommand, DescribeEventsCommand, RestoreDBInstanceToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { processesMentioning } from '../../src/local/ops/stragglers.js';
import { instancePaths } from '../../src/local/engine/paths.js';
import { backupFiles, backupStore } from '../../src/local/ops/backups-store.js';
import { connect, describe1, errorName, instancePid, sleep, startHarness, waitFor, type Harness } from './endpoint-harness.js';

/**
 * PITR of an encrypted instance across a binlog rotation, a scheduled base backup, a mariadbd kill -9
 * and a control-plane SIGKILL; then a gap (binlogs purged while no archiver ran). Short intervals:
 * base backups every 6 s, rotations every 2 s.
 */
const MARKER = 'pitr-plaintext-marker-91c4';
let h: Harness;
let dbi: string;
const rows: { n: number; second: number }[] = [];

async function sql<T = Record<string, unknown>[]>(text: string, values?: unknown[], id = 'enc'): Promise<T> {
  const c = await connect(h.home, id, 'app');
  try {
    return (await c.query(text, values))[0] as T;
  } finally {
    await c.end();
  }
}

async function write(from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) {
    await sql('INSERT INTO t VALUES (?, ?, NOW())', [n, `${MARKER}-${n}`]);
    await sleep(30);
  }
}

async function readRows(): Promise<void> {
  rows.length = 0;
  for (const r of await sql<{ n: number; s: number }[]>('SELECT n, UNIX_TIMESTAMP(ts) AS s FROM t ORDER BY n')) rows.push({ n: r.n, second: Number(r.s) });
}

async function restoreTo(target: string, second?: number): Promise<number[]> {
  await h.rds.send(new RestoreDBInstanceToPointInTimeCommand({
    SourceDBInstanceIdentifier: 'enc', TargetDBInstanceIdentifier: target, ...(second === undefined ? { UseLatestRestorableTime: true } : { RestoreTime: new Date(second * 1000) }),
  }));
  await waitFor(h, target, (d) => d.DBInstanceStatus === 'available' || d.DBInstanceStatus === 'failed', 'restored');
  const db = await describe1(h, target);
  expect(db.DBInstanceStatus, db.StatusInfos?.[0]?.Message).toBe('available');
  expect(db.StorageEncrypted).toBe(true);
  const got = (await sql<{ n: number }[]>('SELECT n FROM t ORDER BY n', [], target)).map((r) => r.n);
  await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: target, SkipFinalSnapshot: true }));
  return got;
}

const upTo = (second: number) => rows.filter((r) => r.second <= second).map((r) => r.n);
const bases = () => backupStore(h.home).get(dbi)?.bases ?? [];

async function events(): Promise<string[]> {
  const out = await h.rds.send(new DescribeEventsCommand({ SourceIdentifier: 'enc', SourceType: 'db-instance', Duration: 60, MaxRecords: 100 }));
  return (out.Events ?? []).map((e) => e.Message ?? '');
}

function rootSql(text: string): string {
  return execFileSync('mariadb', ['--no-defaults', `--socket=${instancePaths(h.home, 'enc').socket}`, '-uroot', '-N', '-B', '-e', text], { encoding: 'utf8' });
}

beforeAll(async () => {
  Object.assign(process.env, { RDSCTL_SUPERVISE_MS: '500', RDSCTL_BINLOG_ROTATE_MS: '2000', RDSCTL_BACKUP_INTERVAL_MS: '6000' });
  h = await startHarness('ep-pitr-rec');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'enc', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20, BackupRetentionPeriod: 1, StorageEncrypted: true,
    MasterUsername: 'admin', MasterUserPassword: 'First-pass-1', DBName: 'app',
  }));
  await waitFor(h, 'enc', (d) => d.DBInstanceStatus === 'available', 'available');
  dbi = (await describe1(h, 'enc')).DbiResourceId!;
  await sql('CREATE TABLE t (n INT PRIMARY KEY, note VARCHAR(64), ts DATETIME NOT NULL)');
}, 180_000);
afterAll(async () => {
  for (const k of ['RDSCTL_BINLOG_ROTATE_MS', 'RDSCTL_BACKUP_INTERVAL_MS']) delete process.env[k];
  await h?.close();
});

describe('PITR across rotations, a scheduled base backup, a mariadbd kill -9 and a control-plane SIGKILL (encrypted)', () => {
  it('is exact at every cut, and the archive holds no plaintext row', async () => {
    await write(1, 20);
    // A scheduled base backup: status backing-up while it runs, a second base after it.
    let sawBackingUp = false;
    for (let i = 0; i < 200 && bases().length < 2; i++) {
      if ((await describe1(h, 'enc')).DBInstanceStatus === 'backing-up') sawBackingUp = true;
      await sleep(100);
    }
    expect(bases().length).toBeGreaterThanOrEqual(2);
    expect(sawBackingUp).toBe(true);
    await write(21, 40);
    // mariadbd kill -9: the supervisor restarts it, the archiver resumes.
    process.kill(instancePid(h.home, 'enc')!, 'SIGKILL');
    await sleep(800);
    await waitFor(h, 'enc', (d) => d.DBInstanceStatus === 'available', 'restarted');
    await write(41, 60);
    // Control plane SIGKILL: its mariadb-binlog child is orphaned; the next control plane ends it and resumes.
    process.kill(h.info.pid, 'SIGKILL');
    await write(61, 70);
    await h.restart();
    await write(71, 80);
    await readRows();
    await waitFor(h, 'enc', (d) => (d.LatestRestorableTime?.getTime() ?? 0) >= rows.at(-1)!.second * 1000, 'archive caught up');
    expect(await restoreTo('r30', rows[29].second)).toEqual(upTo(rows[29].second));
    expect(await restoreTo('r50', rows[49].second)).toEqual(upTo(rows[49].second));
    expect(await restoreTo('r66', rows[65].second)).toEqual(upTo(rows[65].second));
    expect(await restoreTo('rlatest')).toEqual(rows.map((r) => r.n));
    // Every file of the store: no row's text in the clear once the newest segment was rotated and sealed.
    await sleep(4500);
    const grep = spawnSync('grep', ['-rl', '--binary-files=text', MARKER, backupFiles(h.home, dbi).root], { encoding: 'utf8' });
    expect(grep.status).toBe(1); // 1: no match (2 would be an error)
    expect(grep.stdout).toBe('');
    // The archive was sealed (and so the grep above read ciphertext, not nothing).
    expect(fs.readdirSync(backupFiles(h.home, dbi).binlogs).filter((f) => f.endsWith('.sealed')).length).toBeGreaterThan(3);
  }, 150_000);

  it('a gap (binlogs purged while no archiver ran) is an event, and the window starts after it', async () => {
    process.kill(h.info.pid, 'SIGKILL');
    for (const pid of processesMentioning(`${path.dirname(backupFiles(h.home, dbi).root)}/`)) process.kill(pid, 'SIGKILL');
    await write(81, 82);
    rootSql('FLUSH BINARY LOGS');
    await write(83, 83);
    rootSql('FLUSH BINARY LOGS');
    const current = rootSql('SHOW MASTER STATUS').split('\t')[0];
    // The server keeps a file its (dead) archiver's dump thread still holds: wait until that thread is gone.
    for (let i = 0; i < 100 && rootSql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'").trim() !== '0'; i++) await sleep(100);
    // An older file stays until InnoDB's checkpoint no longer needs it for crash recovery: purge until it goes.
    const files = () => rootSql('SHOW BINARY LOGS').trim().split('\n').map((l) => l.split('\t')[0]);
    for (let i = 0; i < 50 && files().length > 1; i++) {
      rootSql(`PURGE BINARY LOGS TO '${current}'`);
      await sleep(100);
    }
    expect(files()).toEqual([current]);
    await readRows();
    const lost = rows.find((r) => r.n === 81)!.second;
    await h.restart();
    await waitFor(h, 'enc', () => true, 'answering');
    for (let i = 0; i < 100 && !(await events()).some((e) => e.startsWith('Binlog archive gap')); i++) await sleep(200);
    expect((await events()).some((e) => e.startsWith('Binlog archive gap'))).toBe(true);
    // A restore to before the gap is refused; the next base backup reopens the window after it.
    expect(await errorName(h.rds.send(new RestoreDBInstanceToPointInTimeCommand({ SourceDBInstanceIdentifier: 'enc', TargetDBInstanceIdentifier: 'x', RestoreTime: new Date((lost - 1) * 1000) })))).toBe('InvalidRestoreFault');
    let earliest = 0;
    for (let i = 0; i < 150 && earliest === 0; i++) {
      const b = (await h.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DbiResourceId: dbi }))).DBInstanceAutomatedBackups![0];
      earliest = b.RestoreWindow?.EarliestTime?.getTime() ?? 0;
      await sleep(200);
    }
    expect(earliest).toBeGreaterThanOrEqual(lost * 1000);
    await write(84, 85);
    await readRows();
    await waitFor(h, 'enc', (d) => (d.LatestRestorableTime?.getTime() ?? 0) >= rows.at(-1)!.second * 1000, 'archive caught up');
    expect(await restoreTo('rgap')).toEqual(rows.map((r) => r.n));
  }, 90_000);
});
