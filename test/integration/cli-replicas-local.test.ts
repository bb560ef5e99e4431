import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupHome, pidsMentioning, runCli, tempHome } from '../helpers/local-cli.js';

// Issue 7 end to end as a DBA runs it on the local target: the real CLI (scale-replicas, replicas,
// replicas verify, promote) against the real control plane, real mariadbd replication, under writes.
let home: string;
const PASSWORD = 'Replica-CLI-Passw0rd-71';
// The metrics sampler every second, so a replica's ReplicaLag series shows within the test.
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD, RDSCTL_DB_PASSWORD: PASSWORD, RDSCTL_METRICS_INTERVAL_MS: '1000' });
const cli = (args: string[]) => runCli(args, { env: env() });
let primary: mysql.Connection;

async function connectTo(id: string): Promise<mysql.Connection> {
  const c = (await cli(['credentials', id, '--json'])).json.data;
  return mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: PASSWORD, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
}

/** Inserts into shop.orders until stopped: the replicas are made and checked under a real write load. */
function writeLoad(conn: mysql.Connection): { stop(): Promise<number> } {
  let running = true;
  let n = 0;
  let failure: unknown;
  // A failed write ends the loop and is rethrown by stop(): never an unhandled rejection meanwhile.
  const loop = (async () => {
    while (running) {
      await conn.query('INSERT INTO shop.orders (customer, total) VALUES (?, ?)', [`c${n}`, n % 97]);
      n++;
    }
  })().catch((err: unknown) => { failure = err; });
  return { async stop() { running = false; await loop; if (failure) throw failure; return n; } };
}

beforeAll(async () => {
  home = await tempHome('rdsctl-cli-replicas-');
  const r = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--db-name', 'shop', '--backup-retention', '1', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  primary = await connectTo('shop');
  await primary.query('CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(40) NOT NULL, total INT NOT NULL)');
  for (let i = 0; i < 20; i++) await primary.query("INSERT INTO shop.orders (customer, total) SELECT CONCAT('seed', seq), seq FROM shop.seq_1_to_100");
});
afterAll(async () => {
  await primary?.end().catch(() => undefined);
  if (home) await cleanupHome(home);
});

describe('read replicas through the CLI on the local target', () => {
  it('scale-replicas --count 2 under writes: both replicating; replicas shows them; verify passes; a row reaches each replica', async () => {
    const load = writeLoad(primary);
    let scaled;
    try {
      scaled = await cli(['scale-replicas', 'shop', '--count', '2', '--json']);
    } finally {
      expect(await load.stop()).toBeGreaterThan(0);
    }
    expect(scaled.code, scaled.stderr + scaled.stdout).toBe(0);
    const listed = await cli(['replicas', 'shop', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const ids = JSON.stringify(listed.json.data);
    expect(ids).toContain('shop-replica-1');
    expect(ids).toContain('shop-replica-2');
    const human = await cli(['replicas', 'shop']);
    expect(human.stdout).toMatch(/shop-replica-1 .*available/);
    expect(Math.max(...human.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);

    const verify = await cli(['replicas', 'verify', 'shop', '--json']);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    expect(verify.json.data.ok).toBe(true);

    await primary.query("INSERT INTO shop.orders (customer, total) VALUES ('after-scale', 1)");
    for (const id of ['shop-replica-1', 'shop-replica-2']) {
      const r = await connectTo(id);
      try {
        let seen = 0;
        for (let i = 0; i < 100 && seen === 0; i++) {
          const [rows] = await r.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM shop.orders WHERE customer = 'after-scale'");
          seen = Number(rows[0].n);
          if (!seen) await new Promise((res) => setTimeout(res, 100));
        }
        expect(seen, id).toBe(1);
        // The master user cannot write on a replica (read_only, no SUPER), as on RDS.
        await expect(r.query("INSERT INTO shop.orders (customer, total) VALUES ('on-replica', 1)")).rejects.toMatchObject({ errno: 1290 });
      } finally {
        await r.end();
      }
    }
  });

  it('ReplicaLag appears for a replica in CloudWatch (rdsctl metrics), and not for the source', async () => {
    let lag: { raw: number[] } | undefined;
    for (const until = Date.now() + 30_000; Date.now() < until && !(lag?.raw.length); await new Promise((res) => setTimeout(res, 500))) {
      const r = await cli(['metrics', 'shop-replica-1', '--since', '10m', '--period', '1', '--metric', 'ReplicaLag', '--json']);
      expect(r.code, r.stderr).toBe(0);
      lag = (r.json.data.Metrics as { name: string; raw: number[] }[]).find((m) => m.name === 'ReplicaLag');
    }
    expect(lag?.raw.length).toBeGreaterThan(0);
    expect(Math.max(...lag!.raw)).toBeLessThan(60); // caught up: seconds, not a stale or absent value
    const src = await cli(['metrics', 'shop', '--since', '10m', '--period', '1', '--metric', 'ReplicaLag', '--json']);
    expect((src.json.data.Metrics as { name: string; raw: number[] }[]).find((m) => m.name === 'ReplicaLag')?.raw ?? []).toEqual([]);
  });

  it('a class change of the primary under writes keeps the replicas replicating; verify passes after', async () => {
    primary.on('error', () => undefined); // the restart ends this session: expected here
    const load = writeLoad(primary);
    let modified;
    try {
      modified = await cli(['modify', 'shop', '--class', 'db.t4g.small', '--apply-immediately', '--json']);
    } finally {
      await load.stop().catch(() => 0); // the restart may cut the writer's connection: that is the point
    }
    expect(modified.code, modified.stderr + modified.stdout).toBe(0);
    await primary.end().catch(() => undefined);
    primary = await connectTo('shop');
    const verify = await cli(['replicas', 'verify', 'shop', '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.json.data.ok).toBe(true);
    // The replicas' IO threads reconnect after the restart; the state the supervisor reads says so.
    let listed = '';
    for (const until = Date.now() + 30_000; Date.now() < until && (listed.match(/"replicating"/g) ?? []).length < 2; await new Promise((r) => setTimeout(r, 500))) {
      listed = JSON.stringify((await cli(['replicas', 'shop', '--json'])).json.data);
    }
    expect((listed.match(/"replicating"/g) ?? []).length, listed).toBeGreaterThanOrEqual(2);
  });

  it('a diverged replica makes verify exit 6 naming the table', async () => {
    // Changed on the replica behind replication's back: as root over its socket, not binlogged.
    const { instancePaths } = await import('../../src/local/engine/paths.js');
    const admin = await mysql.createConnection({ socketPath: instancePaths(home, 'shop-replica-2').socket, user: 'root' });
    try {
      await admin.query('SET SESSION sql_log_bin = 0');
      await admin.query('SET SESSION read_only = 0').catch(() => undefined);
      await admin.query("UPDATE shop.orders SET total = total + 1 WHERE id = 5");
    } finally {
      await admin.end();
    }
    const r = await cli(['replicas', 'verify', 'shop']);
    expect(r.code, r.stdout + r.stderr).toBe(6);
    expect(r.stdout + r.stderr).toMatch(/shop-replica-2/);
    expect(r.stdout + r.stderr).toMatch(/shop\.orders/);
  });

  it('scale to 3 then 1 removes the newest first; to 0 leaves no process, folder or record', async () => {
    expect((await cli(['scale-replicas', 'shop', '--count', '3', '--json'])).code).toBe(0);
    const down = await cli(['scale-replicas', 'shop', '--count', '1', '--yes', '--json']);
    expect(down.code, down.stderr + down.stdout).toBe(0);
    const left = (await cli(['describe', 'shop', '--json'])).json.data.DBInstance.ReadReplicaDBInstanceIdentifiers;
    expect(left).toEqual(['shop-replica-1']);
    expect((await cli(['scale-replicas', 'shop', '--count', '0', '--yes', '--json'])).code).toBe(0);
    expect((await cli(['describe', 'shop', '--json'])).json.data.DBInstance.ReadReplicaDBInstanceIdentifiers ?? []).toEqual([]);
    for (const id of ['shop-replica-1', 'shop-replica-2', 'shop-replica-3']) {
      expect((await cli(['describe', id, '--json'])).code, id).toBe(4);
      expect(await pidsMentioning(`${home}/instances/${id}/`), id).toEqual([]);
      expect(existsSync(path.join(home, 'instances', id)), id).toBe(false);
      expect(existsSync(path.join(home, 'state', 'instances', `${id}.json`)), id).toBe(false);
    }
  });

  it('promote under writes: the replica becomes standalone and writable, holding every row up to the promotion', async () => {
    expect((await cli(['scale-replicas', 'shop', '--count', '1', '--json'])).code).toBe(0);
    const load = writeLoad(primary);
    await new Promise((res) => setTimeout(res, 500));
    const written = await load.stop();
    expect(written).toBeGreaterThan(0);
    const [[{ n: onPrimary }]] = await primary.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM shop.orders') as unknown as [[{ n: number }]];
    // Wait for the replica to have applied every write, then promote it.
    const verify = await cli(['replicas', 'verify', 'shop', '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const p = await cli(['promote', 'shop-replica-1', '--yes', '--json']);
    expect(p.code, p.stderr + p.stdout).toBe(0);
    const db = (await cli(['describe', 'shop-replica-1', '--json'])).json.data.DBInstance;
    expect([db.DBInstanceStatus, db.ReadReplicaSourceDBInstanceIdentifier]).toEqual(['available', undefined]);
    const r = await connectTo('shop-replica-1');
    try {
      const [rows] = await r.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM shop.orders');
      expect(Number(rows[0].n)).toBe(Number(onPrimary));
      await r.query("INSERT INTO shop.orders (customer, total) VALUES ('after-promote', 1)"); // writable now
    } finally {
      await r.end();
    }
    expect((await cli(['describe', 'shop', '--json'])).json.data.DBInstance.ReadReplicaDBInstanceIdentifiers ?? []).toEqual([]);
  });

  it('bad counts are refused before anything is created (exit 2)', async () => {
    for (const count of ['-1', '1.5', '16', 'abc']) {
      const r = await cli(['scale-replicas', 'shop', '--count', count, '--json']);
      expect(r.code, count).toBe(2);
    }
    expect((await cli(['describe', 'shop', '--json'])).json.data.DBInstance.ReadReplicaDBInstanceIdentifiers ?? []).toEqual([]);
  });
});
