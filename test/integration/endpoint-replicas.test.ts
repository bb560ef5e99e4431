import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, DeleteDBInstanceCommand, DescribeEventsCommand,
  ModifyDBInstanceCommand, PromoteReadReplicaCommand, RebootDBInstanceCommand, StopDBInstanceCommand, waitUntilDBInstanceDeleted,
} from '@aws-sdk/client-rds';
import fs from 'node:fs';
import type { Connection } from 'mysql2/promise';
import { withAdmin } from '../../src/local/engine/admin.js';
import { instancePaths } from '../../src/local/engine/paths.js';
import { replicationSecretFile } from '../../src/local/state/replication-secrets.js';
import { connect, describe1, instancePid, pidAlive, sleep, errorName, startHarness, waitAvailable, waitFor, type Harness } from './endpoint-harness.js';

let h: Harness;
beforeAll(async () => {
  process.env.RDSCTL_SUPERVISE_MS = '300'; // inherited by the control plane the harness starts
  h = await startHarness('ep-repl');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'src', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'First-pass-1', DBName: 'app',
  }));
  await waitAvailable(h, 'src');
  const c = await connect(h.home, 'src', 'app');
  await c.query('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64))');
  await c.query("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
  await c.end();
}, 120_000);
afterAll(async () => {
  delete process.env.RDSCTL_SUPERVISE_MS;
  await h?.close();
});

/** Inserts on the source until stopped; returns how many it committed. */
function writeLoad(id: string) {
  let stop = false;
  let committed = 0;
  const done = (async () => {
    const c = await connect(h.home, id, 'app');
    try {
      while (!stop) {
        await c.query("INSERT INTO t (v) VALUES ('load')");
        committed++;
      }
    } finally {
      await c.end();
    }
  })();
  return { stop: async () => { stop = true; await done; return committed; } };
}

async function one<T>(id: string, sql: string): Promise<T> {
  const c = await connect(h.home, id, 'app');
  try {
    const [rows] = await c.query(sql);
    return Object.values((rows as Record<string, unknown>[])[0])[0] as T;
  } finally {
    await c.end();
  }
}

async function waitCaughtUp(source: string, replica: string): Promise<void> {
  const pos = await one<string>(source, 'SELECT @@GLOBAL.gtid_binlog_pos');
  for (let i = 0; i < 200; i++) {
    if ((await one<string>(replica, 'SELECT @@GLOBAL.gtid_slave_pos')) === pos) return;
    await sleep(100);
  }
  throw new Error(`${replica} did not reach ${source}'s position ${pos}`);
}

async function createReplica(id: string, source: string): Promise<void> {
  await h.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: id, SourceDBInstanceIdentifier: source }));
  await waitAvailable(h, id);
  const pid = instancePid(h.home, id);
  if (pid) h.seenPids.add(pid);
}

describe('read replicas on the local endpoint', () => {
  it('a replica created under a write load converges, follows, and refuses the master user\'s writes', async () => {
    const load = writeLoad('src');
    await sleep(300);
    await createReplica('r1', 'src');
    const committed = await load.stop();
    expect(committed).toBeGreaterThan(0);
    await waitCaughtUp('src', 'r1');
    expect(await one<number>('r1', 'SELECT COUNT(*) FROM t')).toBe(await one<number>('src', 'SELECT COUNT(*) FROM t'));

    const c = await connect(h.home, 'src', 'app');
    await c.query("INSERT INTO t (v) VALUES ('fresh')");
    await c.end();
    let seen = 0;
    for (let i = 0; i < 50 && seen === 0; i++, await sleep(100)) seen = Number(await one('r1', "SELECT COUNT(*) FROM t WHERE v = 'fresh'"));
    expect(seen).toBe(1);

    const r = await connect(h.home, 'r1', 'app');
    await expect(r.query("INSERT INTO t (v) VALUES ('nope')")).rejects.toThrow(/read-only|--read-only/);
    await r.end();

    const src = await describe1(h, 'src');
    const rep = await describe1(h, 'r1');
    expect(src.ReadReplicaDBInstanceIdentifiers).toEqual(['r1']);
    expect(rep.ReadReplicaSourceDBInstanceIdentifier).toBe('src');
    expect(rep.DBInstanceClass).toBe(src.DBInstanceClass);
    expect(rep.Endpoint?.Port).not.toBe(src.Endpoint?.Port);
    expect(rep.StatusInfos).toEqual([{ StatusType: 'read replication', Normal: true, Status: 'replicating' }]);

    // The replication account: REPLICATION SLAVE only, TLS only; its password 0600 outside the node folders.
    const grants = await withAdmin(instancePaths(h.home, 'src'), async (a) => (await a.query('SHOW GRANTS FOR rdsrepl_r1@127.0.0.1'))[0] as Record<string, string>[]);
    expect(grants.map((g) => Object.values(g)[0]).join('\n')).toMatch(/^GRANT REPLICATION SLAVE ON \*\.\* TO `rdsrepl_r1`@`127\.0\.0\.1` .*REQUIRE SSL/m);
    expect(fs.statSync(replicationSecretFile(h.home, 'r1')).mode & 0o777).toBe(0o600);
    const channel = await withAdmin(instancePaths(h.home, 'r1'), async (a) => ((await a.query('SHOW ALL SLAVES STATUS'))[0] as Record<string, unknown>[])[0]);
    expect(channel).toMatchObject({ Master_SSL_Allowed: 'Yes', Master_SSL_Verify_Server_Cert: 'Yes', Using_Gtid: 'Slave_Pos' });
  }, 180_000);

  it('refusals carry AWS\'s codes and create nothing', async () => {
    const before = (await h.rds.send(new DescribeEventsCommand({}))).Events!.length;
    expect(await errorName(h.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'x1', SourceDBInstanceIdentifier: 'nosuch' })))).toBe('DBInstanceNotFoundFault');
    expect(await errorName(h.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'r1', SourceDBInstanceIdentifier: 'src' })))).toBe('DBInstanceAlreadyExistsFault');
    expect(await errorName(h.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'x1', SourceDBInstanceIdentifier: 'src', StorageType: 'io1' })))).toBe('InvalidParameterCombination');
    expect(await errorName(h.rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'src' })))).toBe('InvalidDBInstanceStateFault');
    expect(await errorName(h.rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'r1' })))).toBe('InvalidDBInstanceStateFault');
    expect(await errorName(h.rds.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'src' })))).toBe('InvalidDBInstanceStateFault');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'src', BackupRetentionPeriod: 0, ApplyImmediately: true }));
    await waitAvailable(h, 'src');
    expect(await errorName(h.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'x1', SourceDBInstanceIdentifier: 'src' })))).toBe('InvalidDBInstanceStateFault');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'src', BackupRetentionPeriod: 1, ApplyImmediately: true }));
    await waitAvailable(h, 'src');
    expect(fs.existsSync(`${h.home}/instances/x1`)).toBe(false);
    expect(await errorName(describe1(h, 'x1'))).toBe('DBInstanceNotFoundFault');
    const events = (await h.rds.send(new DescribeEventsCommand({}))).Events!;
    expect(events.slice(before).map((e) => e.SourceIdentifier)).not.toContain('x1');
  }, 60_000);

  it('a broken GTID sequence shows in StatusInfos and events with the server\'s message; replication resumes once it is fixed', async () => {
    const next = Number(await one('src', 'SELECT MAX(id) FROM t')) + 1;
    // A row written on the replica behind replication's back: the source's next insert collides.
    const unlogged = async (sql: string) => withAdmin(instancePaths(h.home, 'r1'), async (a: Connection) => {
      await a.query('SET SESSION sql_log_bin=0');
      await a.query(sql);
    });
    await unlogged(`INSERT INTO app.t (id, v) VALUES (${next}, 'diverged')`);
    const c = await connect(h.home, 'src', 'app');
    await c.query(`INSERT INTO t (id, v) VALUES (${next}, 'source')`);
    await c.end();
    await waitFor(h, 'r1', (db) => db.StatusInfos?.[0]?.Status === 'error', 'replication error');
    const broken = await describe1(h, 'r1');
    expect(broken.StatusInfos![0]).toMatchObject({ StatusType: 'read replication', Normal: false });
    expect(broken.StatusInfos![0].Message).toMatch(/Duplicate entry/);
    await unlogged(`DELETE FROM app.t WHERE id = ${next}`);
    await waitFor(h, 'r1', (db) => db.StatusInfos?.[0]?.Status === 'replicating', 'replication resumed');
    expect(await one('r1', `SELECT v FROM t WHERE id = ${next}`)).toBe('source');
    const events = (await h.rds.send(new DescribeEventsCommand({ SourceIdentifier: 'r1', SourceType: 'db-instance' }))).Events!.map((e) => e.Message).join('\n');
    expect(events).toMatch(/Replication for the Read Replica is error: .*Duplicate entry/);
    expect(events).toMatch(/Replication for the Read Replica resumed/);
  }, 90_000);

  it('a killed source shows as a replication error and replication resumes by itself', async () => {
    const pid = instancePid(h.home, 'src')!;
    process.kill(pid, 'SIGKILL');
    await waitFor(h, 'src', (db) => db.DBInstanceStatus === 'available' && instancePid(h.home, 'src') !== pid, 'source restarted');
    h.seenPids.add(instancePid(h.home, 'src')!);
    const c = await connect(h.home, 'src', 'app');
    await c.query("INSERT INTO t (v) VALUES ('after-crash')");
    await c.end();
    await waitCaughtUp('src', 'r1');
    await waitFor(h, 'r1', (db) => db.StatusInfos?.[0]?.Status === 'replicating', 'replicating again');
    const events = (await h.rds.send(new DescribeEventsCommand({ SourceIdentifier: 'r1', SourceType: 'db-instance' }))).Events!.map((e) => e.Message!);
    const since = events.lastIndexOf(events.filter((m) => /Duplicate entry/.test(m)).pop()!);
    // The outage itself was recorded (the IO thread's error while the source was down), then the recovery.
    expect(events.slice(since + 1).join('\n')).toMatch(/Replication for the Read Replica is error: .*(connect|Lost|lost|reconnect)/);
    expect(events.slice(since + 1).join('\n')).toMatch(/resumed/);
  }, 90_000);

  it('kill -9 of the replica\'s mariadbd: restarted by the supervisor, replication started again', async () => {
    const pid = instancePid(h.home, 'r1')!;
    process.kill(pid, 'SIGKILL');
    await waitFor(h, 'r1', (db) => db.DBInstanceStatus === 'available' && instancePid(h.home, 'r1') !== pid && pidAlive(instancePid(h.home, 'r1') ?? 0), 'replica restarted');
    h.seenPids.add(instancePid(h.home, 'r1')!);
    const c = await connect(h.home, 'src', 'app');
    await c.query("INSERT INTO t (v) VALUES ('after-replica-crash')");
    await c.end();
    await waitCaughtUp('src', 'r1');
    await waitFor(h, 'r1', (db) => db.StatusInfos?.[0]?.Status === 'replicating', 'replicating');
  }, 90_000);

  it('a class change on the source and a reboot of the replica keep it replicating', async () => {
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'src', DBInstanceClass: 'db.t4g.small', ApplyImmediately: true }));
    await waitAvailable(h, 'src');
    h.seenPids.add(instancePid(h.home, 'src')!);
    await h.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'r1' }));
    await waitAvailable(h, 'r1');
    h.seenPids.add(instancePid(h.home, 'r1')!);
    const c = await connect(h.home, 'src', 'app');
    await c.query("INSERT INTO t (v) VALUES ('after-class-change')");
    await c.end();
    await waitCaughtUp('src', 'r1');
    await waitFor(h, 'r1', (db) => db.StatusInfos?.[0]?.Status === 'replicating', 'replicating');
  }, 90_000);

  it('a master password set on the source reaches the replica, and so does its secret', async () => {
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'src', MasterUserPassword: 'Second-pass-2', ApplyImmediately: true }));
    await waitAvailable(h, 'src');
    await waitCaughtUp('src', 'r1');
    const r = await connect(h.home, 'r1', 'app'); // reads the replica's secret record
    await r.end();
  }, 60_000);

  it('a replica of a replica of a replica follows the chain', async () => {
    // As on RDS for MySQL/MariaDB: a replica can be a source once it keeps backups of its own.
    expect(await errorName(h.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'r1b', SourceDBInstanceIdentifier: 'r1' })))).toBe('InvalidDBInstanceStateFault');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'r1', BackupRetentionPeriod: 1, ApplyImmediately: true }));
    await waitAvailable(h, 'r1');
    await createReplica('r1b', 'r1');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'r1b', BackupRetentionPeriod: 1, ApplyImmediately: true }));
    await waitAvailable(h, 'r1b');
    expect((await describe1(h, 'r1b')).ReadReplicaSourceDBInstanceIdentifier).toBe('r1');
    expect((await describe1(h, 'r1')).ReadReplicaDBInstanceIdentifiers).toEqual(['r1b']);
    await createReplica('r1c', 'r1b');
    const c = await connect(h.home, 'src', 'app');
    await c.query("INSERT INTO t (v) VALUES ('chain')");
    await c.end();
    await waitCaughtUp('src', 'r1c');
    expect(await one<number>('r1c', 'SELECT COUNT(*) FROM t')).toBe(await one<number>('src', 'SELECT COUNT(*) FROM t'));
    await waitFor(h, 'r1c', (db) => db.StatusInfos?.[0]?.Status === 'replicating', 'replicating');
  }, 120_000);

  it('promote under load: writable, detached, and holds every transaction up to the promotion point', async () => {
    const load = writeLoad('src');
    await sleep(500);
    await h.rds.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'r1', BackupRetentionPeriod: 3 }));
    await waitFor(h, 'r1', (db) => db.DBInstanceStatus === 'available' && !db.ReadReplicaSourceDBInstanceIdentifier, 'promoted');
    await load.stop();
    const r1 = await describe1(h, 'r1');
    expect(r1.BackupRetentionPeriod).toBe(3);
    expect(r1.StatusInfos).toBeUndefined();
    expect((await describe1(h, 'src')).ReadReplicaDBInstanceIdentifiers).toEqual([]);
    const maxOnReplica = Number(await one('r1', 'SELECT MAX(id) FROM t'));
    const sourceUpTo = Number(await one('src', `SELECT COUNT(*) FROM t WHERE id <= ${maxOnReplica}`));
    expect(Number(await one('r1', 'SELECT COUNT(*) FROM t'))).toBe(sourceUpTo);
    expect(Number(await one('src', 'SELECT MAX(id) FROM t'))).toBeGreaterThan(maxOnReplica); // the load went on after it
    const c = await connect(h.home, 'r1', 'app');
    await c.query("INSERT INTO t (v) VALUES ('promoted')");
    await c.end();
    // Its own replica now follows the promoted instance's writes.
    for (let i = 0; i < 50 && Number(await one('r1b', "SELECT COUNT(*) FROM t WHERE v = 'promoted'")) === 0; i++) await sleep(100);
    expect(Number(await one('r1b', "SELECT COUNT(*) FROM t WHERE v = 'promoted'"))).toBe(1);
    const channels = await withAdmin(instancePaths(h.home, 'r1'), async (a) => (await a.query('SHOW ALL SLAVES STATUS'))[0] as unknown[]);
    expect(channels).toEqual([]);
    h.seenPids.add(instancePid(h.home, 'r1')!);
  }, 120_000);

  it('deleting a source promotes its replica', async () => {
    await createReplica('r2', 'src');
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'src', SkipFinalSnapshot: true }));
    await waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 120, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: 'src' });
    const r2 = await describe1(h, 'r2');
    expect(r2.DBInstanceStatus).toBe('available');
    expect(r2.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    const c = await connect(h.home, 'r2', 'app');
    await c.query("INSERT INTO t (v) VALUES ('standalone')");
    await c.end();
    expect(fs.existsSync(replicationSecretFile(h.home, 'r2'))).toBe(false);
    h.seenPids.add(instancePid(h.home, 'r2')!);
  }, 180_000);
});
