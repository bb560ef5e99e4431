import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDBInstanceCommand, DeleteDBInstanceCommand, DescribeDBSnapshotsCommand, DescribeEventsCommand } from '@aws-sdk/client-rds';
import fs from 'node:fs';
import { processesMentioning } from '../../src/local/ops/stragglers.js';
import { snapshotFiles } from '../../src/local/ops/snapshots-store.js';
import { connect, describe1, pidAlive, sleep, startHarness, waitAvailable, type Harness } from './endpoint-harness.js';

// A control plane killed with SIGKILL while mariadb-backup copies: the snapshot is failed (never
// `available` with half a copy), the copy process and files are gone, and a delete that waited for its
// final snapshot is called off — the instance is never deleted without the copy it asked for.
let h: Harness;

async function rows(): Promise<number> {
  const c = await connect(h.home, 'keep', 'app');
  try {
    const [r] = await c.query('SELECT COUNT(*) AS n FROM t');
    return Number((r as { n: number }[])[0].n);
  } finally {
    await c.end();
  }
}

async function killControlPlaneDuringCopy(sid: string): Promise<void> {
  const root = `${snapshotFiles(h.home, sid).root}/`;
  for (let i = 0; i < 400 && processesMentioning(root).length === 0; i++) await sleep(10); // mariadb-backup runs
  expect(processesMentioning(root).length).toBeGreaterThan(0);
  process.kill(h.info.pid, 'SIGKILL');
  while (pidAlive(h.info.pid)) await sleep(50);
  await h.restart();
}

async function snapshotStatus(sid: string): Promise<string | undefined> {
  return (await h.rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: sid }))).DBSnapshots?.[0]?.Status;
}

beforeAll(async () => {
  h = await startHarness('ep-snap-rec');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'keep', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'First-pass-1', DBName: 'app',
  }));
  await waitAvailable(h, 'keep');
  const c = await connect(h.home, 'keep', 'app');
  await c.query('CREATE TABLE t (id INT PRIMARY KEY)');
  await c.query('INSERT INTO t SELECT seq FROM seq_1_to_1000');
  await c.end();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe('snapshots across a control-plane SIGKILL', () => {
  it('a final snapshot interrupted by the kill fails, and the instance is not deleted', async () => {
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'keep', FinalDBSnapshotIdentifier: 'keep-final' }));
    await killControlPlaneDuringCopy('keep-final');
    for (let i = 0; i < 300 && (await snapshotStatus('keep-final')) !== 'failed'; i++) await sleep(100);
    expect(await snapshotStatus('keep-final')).toBe('failed');
    expect(processesMentioning(`${snapshotFiles(h.home, 'keep-final').root}/`)).toEqual([]);
    expect(fs.existsSync(snapshotFiles(h.home, 'keep-final').root)).toBe(false);
    await waitAvailable(h, 'keep');
    expect((await describe1(h, 'keep')).DBInstanceStatus).toBe('available');
    expect(await rows()).toBe(1000);
    const events = await h.rds.send(new DescribeEventsCommand({ SourceIdentifier: 'keep', SourceType: 'db-instance' }));
    expect(events.Events!.map((e) => e.Message).join('\n')).toContain('Deletion called off');
  }, 180_000);
});
