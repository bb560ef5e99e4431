import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDBInstanceCommand, DeleteDBInstanceCommand, DescribeEventsCommand, waitUntilDBInstanceDeleted } from '@aws-sdk/client-rds';
import fs from 'node:fs';
import { processesMentioning } from '../../src/local/ops/stragglers.js';
import { localEndpointStatus } from '../../src/local/control/endpoint.js';
import { tailLocalLog } from '../../src/local/control/logs.js';
import { connect, describe1, instancePid, pidAlive, sleep, startHarness, waitAvailable, type Harness } from './endpoint-harness.js';

let h: Harness;
beforeAll(async () => {
  process.env.RDSCTL_SUPERVISE_MS = '300'; // inherited by the control plane the harness starts
  h = await startHarness('ep-rec');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'crashy', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', ManageMasterUserPassword: true, DBName: 'app',
  }));
  await waitAvailable(h, 'crashy');
  const conn = await connect(h.home, 'crashy', 'app');
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY)');
  await conn.query('INSERT INTO t VALUES (1), (2), (3)');
  await conn.end();
});
afterAll(async () => {
  delete process.env.RDSCTL_SUPERVISE_MS;
  await h?.close();
});

async function rows(): Promise<number> {
  const conn = await connect(h.home, 'crashy', 'app');
  try {
    const [r] = await conn.query('SELECT COUNT(*) AS n FROM t');
    return Number((r as { n: number }[])[0].n);
  } finally {
    await conn.end();
  }
}

async function waitNewPid(old: number): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const pid = instancePid(h.home, 'crashy');
    const db = await describe1(h, 'crashy');
    if (pid && pid !== old && pidAlive(pid) && db.DBInstanceStatus === 'available') return pid;
    await sleep(100);
  }
  throw new Error('mariadbd was not restarted');
}

describe('supervision and recovery', () => {
  it('restarts a mariadbd killed with SIGKILL and records an event; committed rows survive', async () => {
    const pid = instancePid(h.home, 'crashy')!;
    h.seenPids.add(pid);
    process.kill(pid, 'SIGKILL');
    const next = await waitNewPid(pid);
    h.seenPids.add(next);
    expect(await rows()).toBe(3);
    const events = await h.rds.send(new DescribeEventsCommand({ SourceIdentifier: 'crashy', SourceType: 'db-instance' }));
    expect(events.Events!.map((e) => e.Message).join('\n')).toMatch(/exited unexpectedly/);
    // `rdsctl local logs --instance crashy` shows that mariadbd's error log, where the restart is visible.
    expect(tailLocalLog(h.home, { instance: 'crashy', lines: 400 }).lines.join('\n')).toContain('ready for connections');
  });

  it('after the control plane is killed with SIGKILL, the next start re-adopts the running mariadbd', async () => {
    const cp = h.info.pid;
    const db = instancePid(h.home, 'crashy')!;
    process.kill(cp, 'SIGKILL');
    while (pidAlive(cp)) await sleep(50);
    await h.restart();
    expect(h.info.pid).not.toBe(cp);
    await waitAvailable(h, 'crashy');
    expect(instancePid(h.home, 'crashy')).toBe(db);
    expect(await rows()).toBe(3);
  });

  it('local stop stops every mariadbd; the next start brings the instance back with its data', async () => {
    const db = instancePid(h.home, 'crashy')!;
    const url = h.info.url;
    const { stopLocalEndpoint } = await import('../../src/local/control/endpoint.js');
    expect(await stopLocalEndpoint(h.home)).toBe(true);
    expect(pidAlive(db)).toBe(false);
    expect((await localEndpointStatus(h.home)).running).toBe(false);
    await h.restart();
    await waitAvailable(h, 'crashy');
    const again = instancePid(h.home, 'crashy')!;
    h.seenPids.add(again);
    expect(again).not.toBe(db);
    expect(await rows()).toBe(3);
    const status = await localEndpointStatus(h.home);
    expect(status).toMatchObject({ running: true, url, // the remembered port keeps the URL stable
      instances: [{ id: 'crashy', status: 'available' }] });
    expect(status.caFile).toMatch(/ca-cert\.pem$/);
  });

  it('an instance caught mid-creation by a control-plane kill is failed with a reason, and can be deleted', async () => {
    await h.rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'halfway', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
      MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!',
    }));
    const dir = `${h.home}/instances/halfway`;
    while (processesMentioning(dir).length === 0) await sleep(20); // mariadb-install-db is running
    process.kill(h.info.pid, 'SIGKILL');
    while (pidAlive(h.info.pid)) await sleep(50);
    await h.restart();
    for (let i = 0; i < 300 && (await describe1(h, 'halfway')).DBInstanceStatus !== 'failed'; i++) await sleep(100);
    expect((await describe1(h, 'halfway')).DBInstanceStatus).toBe('failed');
    expect(processesMentioning(dir)).toEqual([]);
    const events = await h.rds.send(new DescribeEventsCommand({ SourceIdentifier: 'halfway', SourceType: 'db-instance' }));
    expect(events.Events!.map((e) => e.Message).join('\n')).toContain('while the instance was being created');
    expect((await describe1(h, 'crashy')).DBInstanceStatus).toBe('available'); // the other instance is unharmed
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'halfway', SkipFinalSnapshot: true }));
    await waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: 'halfway' });
    expect(fs.existsSync(dir)).toBe(false);
  });
});
