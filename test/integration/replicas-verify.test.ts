import { readFile } from 'node:fs/promises';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instancePaths } from '../../src/local/engine/paths.js';
import { gtidDistance } from '../../src/core/gtid.js';
import { parseDsn } from '../../src/db/dsn.js';
import { sqlLag } from '../../src/services/replica-targets.js';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';

// `rdsctl replicas verify --dsn … --replica-dsn …` on two real local instances, one replicating the other.
// Replication is set up by hand, as root over the replica's Unix socket (as the control plane would; the
// master user holds no SUPER), so this test does not depend on the local endpoint's replica support.
const PASSWORD = 'Rv-test-pass-5931';
const ROWS = 6000;

describe('rdsctl replicas verify on real MariaDB replication', () => {
  let home: string;
  const creds: Record<string, { host: string; port: number; username: string; caFile: string }> = {};
  const conns: Record<string, mysql.Connection> = {};
  let admin: mysql.Connection;
  const env = () => ({ RDSCTL_HOME: home, RDSCTL_DB_PASSWORD: PASSWORD, RDSCTL_MASTER_PASSWORD: PASSWORD });
  const cli = (args: string[]) => runCli(args, { env: env(), timeoutMs: 120_000 });
  const dsn = (id: string) => `mysql://${creds[id].username}@${creds[id].host}:${creds[id].port}/?ssl-mode=VERIFY_IDENTITY&ssl-ca=${encodeURIComponent(creds[id].caFile)}`;
  const verify = (...extra: string[]) => cli(['replicas', 'verify', '--dsn', dsn('vp'), '--replica-dsn', dsn('vr'), '--database', 'vt', '--chunk-rows', '500', ...extra]);

  beforeAll(async () => {
    home = await tempHome();
    for (const id of ['vp', 'vr']) {
      const p = await cli(['provision', id, '--class', 'db.t4g.micro', '--no-encrypted', '--json']);
      if (p.code !== 0) throw new Error(`provision failed: ${p.stderr}${p.stdout}`);
      creds[id] = (await cli(['credentials', id, '--json'])).json.data;
      conns[id] = await mysql.createConnection({ host: creds[id].host, port: creds[id].port, user: creds[id].username, password: PASSWORD,
        ssl: { ca: await readFile(creds[id].caFile), verifyIdentity: true } });
    }
    const [[pos]] = await conns.vp.query<any[]>('SHOW MASTER STATUS');
    admin = await mysql.createConnection({ socketPath: instancePaths(home, 'vr').socket, user: 'root' });
    await admin.query('SET GLOBAL gtid_strict_mode = OFF');
    await admin.query("SET GLOBAL replicate_wild_do_table = 'vt.%'");
    await admin.query('CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_SSL = 1, MASTER_USE_GTID = no, MASTER_LOG_FILE = ?, MASTER_LOG_POS = ?',
      [creds.vp.host, creds.vp.port, creds.vp.username, PASSWORD, pos.File, pos.Position]);
    await admin.query('START SLAVE');
    const p = conns.vp;
    await p.query('CREATE DATABASE vt');
    await p.query('CREATE TABLE vt.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, qty INT NOT NULL, note TEXT NULL)');
    await p.query('CREATE TABLE vt.pairs (a INT NOT NULL, b VARCHAR(10) NOT NULL, v DOUBLE NULL, PRIMARY KEY (a, b))');
    await p.query('CREATE TABLE vt.nokey (x INT, y VARCHAR(10))');
    for (let i = 0; i < ROWS; i += 1000) {
      const rows = Array.from({ length: 1000 }, (_, k) => [`item-${i + k}`, (i + k) % 97, (i + k) % 3 ? null : `note ${i + k}`]);
      await p.query('INSERT INTO vt.items (name, qty, note) VALUES ?', [rows]);
    }
    await p.query("INSERT INTO vt.pairs VALUES (1, 'a', 1.5), (1, 'b', NULL), (2, 'a', 3.25)");
    await p.query("INSERT INTO vt.nokey VALUES (1, 'x'), (2, NULL)");
  }, 240_000);
  afterAll(async () => {
    await admin?.query('STOP SLAVE').catch(() => undefined);
    await admin?.query("SET GLOBAL replicate_wild_do_table = ''").catch(() => undefined);
    await admin?.end().catch(() => undefined);
    for (const c of Object.values(conns)) await c.end().catch(() => undefined);
    if (home) await cleanupHome(home);
  });

  it('passes under a concurrent write load on the primary, every chunk compared at a consistent point', async () => {
    let stop = false;
    let writes = 0;
    const writer = (async () => {
      const w = await mysql.createConnection({ host: creds.vp.host, port: creds.vp.port, user: creds.vp.username, password: PASSWORD,
        ssl: { ca: await readFile(creds.vp.caFile), verifyIdentity: true } });
      while (!stop) {
        const id = 1 + Math.floor(Math.random() * ROWS);
        await w.query('UPDATE vt.items SET qty = qty + 1, note = CONCAT(COALESCE(note, ""), ".") WHERE id = ?', [id]);
        if (writes % 10 === 0) await w.query('INSERT INTO vt.items (name, qty) VALUES (?, 1)', [`new-${writes}`]);
        writes++;
      }
      await w.end();
    })();
    const r = await verify('--json');
    stop = true;
    await writer;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const d = r.json.data;
    expect(d.ok).toBe(true);
    expect(d.tables).toBe(3);
    expect(d.chunks).toBeGreaterThanOrEqual(ROWS / 500 + 2);
    expect(d.rows).toBeGreaterThanOrEqual(ROWS + 5);
    expect(d.replicas).toEqual([expect.objectContaining({ id: 'replica-1', caughtUp: true, differing: [] })]);
    expect(writes).toBeGreaterThan(50); // the load really ran during the comparison
    console.log(`verify under load: ${d.chunks} chunks, ${d.rows} rows, ${writes} writes, ${d.replicas[0].retried} re-checks, ${d.elapsedMs} ms`);
  }, 120_000);

  it('a row changed on the replica without binlogging → exit 6 naming the table and chunk', async () => {
    await admin.query('SET SESSION sql_log_bin = 0');
    await admin.query("UPDATE vt.items SET name = 'diverged' WHERE id = 1234");
    await admin.query("UPDATE vt.pairs SET v = 9 WHERE a = 2 AND b = 'a'");
    const human = await verify();
    expect(human.code).toBe(6);
    expect(human.stdout).toMatch(/replica-1: 2 chunk\(s\) DIFFER/);
    expect(human.stdout).toMatch(/vt\.items chunk 3 \(1000 < id ≤ 1500\)/);
    expect(human.stderr).toMatch(/error: Replica data differs from the primary: replica-1: vt\.items chunk 3 \(1000 < id ≤ 1500\); replica-1: vt\.pairs chunk 1/);
    const r = await verify('--json');
    expect(r.code).toBe(6);
    // One JSON document: the report (as loadtest's failed check), the exit code says it failed.
    expect(r.json.data.ok).toBe(false);
    expect(r.json.data.replicas[0].differing).toEqual([
      expect.objectContaining({ table: 'vt.items', chunk: 3, range: '1000 < id ≤ 1500', primary: expect.objectContaining({ rows: 500 }) }),
      expect.objectContaining({ table: 'vt.pairs', chunk: 1, range: 'all rows' }),
    ]);
  }, 120_000);

  it('as the master user, a consistent snapshot names its own GTID (binlog_snapshot_* + BINLOG_GTID_POS), not a later one', async () => {
    const snap = await mysql.createConnection({ host: creds.vp.host, port: creds.vp.port, user: creds.vp.username, password: PASSWORD,
      ssl: { ca: await readFile(creds.vp.caFile), verifyIdentity: true } });
    try {
      await snap.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      await conns.vp.query("INSERT INTO vt.items (name, qty) VALUES ('after-snapshot', 1)");
      const [st] = await snap.query<any[]>("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'");
      const file = st.find((r: any) => r.Variable_name === 'Binlog_snapshot_file').Value;
      const pos = Number(st.find((r: any) => r.Variable_name === 'Binlog_snapshot_position').Value);
      const [[g]] = await snap.query<any[]>('SELECT BINLOG_GTID_POS(?, ?) AS g, @@GLOBAL.gtid_binlog_pos AS now', [file, pos]);
      expect(g.g).toMatch(/^\d+-\d+-\d+/);
      expect(gtidDistance(g.now, g.g)).toBe(1); // the insert after the snapshot is not in its position
      const [[n]] = await snap.query<any[]>("SELECT COUNT(*) AS n FROM vt.items WHERE name = 'after-snapshot'");
      expect(Number(n.n)).toBe(0);
    } finally {
      await snap.end();
    }
  });

  it('lag over SQL: a replica whose SQL thread stopped shows how many transactions it is behind, then catches up', async () => {
    const targets = { primary: { ...parseDsn(dsn('vp')), password: PASSWORD }, replicas: [{ id: 'vr', target: { ...parseDsn(dsn('vr')), password: PASSWORD } }] };
    await admin.query('STOP SLAVE SQL_THREAD');
    try {
      for (let i = 0; i < 5; i++) await conns.vp.query('INSERT INTO vt.items (name, qty) VALUES (?, 0)', [`lag-${i}`]);
      await new Promise((r) => setTimeout(r, 300)); // the IO thread fetches them; the SQL thread does not apply them
      const [behind] = await sqlLag(targets);
      expect(behind).toMatchObject({ id: 'vr', gtidDistance: 5, status: expect.objectContaining({ sqlRunning: 'No', secondsBehind: null }) });
    } finally {
      await admin.query('START SLAVE SQL_THREAD');
    }
    for (let i = 0; i < 50; i++) {
      const [v] = await sqlLag(targets);
      if (v!.gtidDistance === 0) {
        expect(v!.status).toMatchObject({ sqlRunning: 'Yes', secondsBehind: 0 });
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the replica did not catch up');
  });

  it('a replica that cannot apply the primary\'s position in time → exit 6 naming it and both positions', async () => {
    await admin.query('STOP SLAVE SQL_THREAD');
    try {
      await conns.vp.query("INSERT INTO vt.items (name, qty) VALUES ('stuck', 0)");
      const r = await verify('--wait-timeout', '1');
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/error: Replica replica-1 has not applied the primary's position \d+-\d+-\d+ within 1 s \(it is at \d+-\d+-\d+\)\./);
      expect(r.stderr).toMatch(/hint: .*--wait-timeout/);
    } finally {
      await admin.query('START SLAVE SQL_THREAD');
    }
  });

  it('on the local target: replicas of an instance without any, and a scale-replicas plan', async () => {
    const r = await cli(['replicas', 'vp']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('(no read replicas)\n');
    const plan = await cli(['scale-replicas', 'vp', '--count', '2', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toBe('vp: 0 → 2 read replica(s) (dry run, nothing changed)\n  + create vp-replica-1\n  + create vp-replica-2\n');
    expect((await cli(['list', '--json'])).json.data.DBInstances.map((d: any) => d.DBInstanceIdentifier).sort()).toEqual(['vp', 'vr']);
    const bad = await cli(['scale-replicas', 'vp', '--count', '1', '--class', 'db.x9.huge']);
    expect(bad.code).toBe(2);
  });

  it('bad input: neither or both of an id and --dsn → exit 2 with nothing compared', async () => {
    const r = await cli(['replicas', 'verify']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: Name the primary once: an instance id, or --dsn with --replica-dsn\./);
    const only = await cli(['replicas', 'verify', '--dsn', dsn('vp')]);
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/--replica-dsn/);
  });
});
