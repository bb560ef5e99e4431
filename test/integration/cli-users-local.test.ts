import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { startTmux } from '../helpers/tmux.js';

// rdsctl users end to end on the local target: the real CLI, the control plane, real mariadbd (a primary
// and one read replica). Each role is tried with a statement it must be able to run and one it must not.
let home: string;
const PASSWORD = 'Users-CLI-Passw0rd-12';
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD });
const cli = (args: string[]) => runCli(args, { env: env() });

async function connectAs(id: string, user: string, password?: string): Promise<mysql.Connection> {
  const r = await cli(['credentials', id, '--user', user, '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const c = r.json.data;
  return mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: password ?? c.password, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
}

async function master(id: string): Promise<mysql.Connection> {
  const c = (await cli(['credentials', id, '--json'])).json.data;
  return mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: PASSWORD, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
}

/** Runs `sql` as the user; resolves to 'ok' or the MySQL errno. */
async function attempt(conn: mysql.Connection, sql: string): Promise<'ok' | number> {
  try {
    await conn.query(sql);
    return 'ok';
  } catch (err) {
    return (err as { errno: number }).errno;
  }
}

const errnoOf = (p: Promise<unknown>) => p.then(() => 'ok' as const, (err: { errno?: number }) => err.errno ?? -1);

beforeAll(async () => {
  home = await tempHome('rdsctl-cli-users-');
  const r = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--db-name', 'shop', '--master-username', 'admin', '--backup-retention', '1', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const m = await master('shop');
  await m.query('CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT)');
  await m.query('INSERT INTO shop.orders VALUES (1, 10)');
  await m.query('CREATE DATABASE other');
  await m.query('CREATE TABLE other.secrets (id INT)');
  await m.end();
});
afterAll(async () => {
  if (home) await cleanupHome(home);
});

describe('rdsctl users on the local target', () => {
  it('app: DML on the schema, no DDL, nothing outside it; TLS required; password kept 0600 and printed only by credentials --user', async () => {
    const r = await cli(['users', 'create', 'shop', 'app_rw', '--role', 'app', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.data).toMatchObject({ username: 'app_rw', role: 'app', database: 'shop', replicaOnly: false });
    expect(r.stdout + r.stderr).not.toMatch(/"password"/);
    const file = path.join(home, 'secrets', 'users', 'local', 'shop', 'app_rw.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const app = await connectAs('shop', 'app_rw');
    expect(await attempt(app, 'INSERT INTO shop.orders VALUES (2, 20)')).toBe('ok');
    expect(await attempt(app, 'UPDATE shop.orders SET total = 21 WHERE id = 2')).toBe('ok');
    expect(await attempt(app, 'CREATE TABLE shop.t (a INT)')).toBe(1142);
    expect(await attempt(app, 'DROP TABLE shop.orders')).toBe(1142);
    expect(await attempt(app, 'SELECT * FROM other.secrets')).toBe(1142);
    await app.end();
    // Without TLS the account is refused (REQUIRE SSL; the server also requires secure transport).
    const c = (await cli(['credentials', 'shop', '--user', 'app_rw', '--json'])).json.data;
    expect(await errnoOf(mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password }).then((x) => x.end()))).toBe(1045);
    const human = await cli(['credentials', 'shop', '--user', 'app_rw']);
    expect(human.stdout).toContain(c.password);
    expect(human.stdout).toMatch(/username:\s+app_rw/);
  });

  it('readonly: SELECT only; migrations: DDL on the schema, not elsewhere and no CREATE USER', async () => {
    expect((await cli(['users', 'create', 'shop', 'ro', '--role', 'readonly'])).code).toBe(0);
    const ro = await connectAs('shop', 'ro');
    expect(await attempt(ro, 'SELECT COUNT(*) FROM shop.orders')).toBe('ok');
    expect(await attempt(ro, 'INSERT INTO shop.orders VALUES (3, 30)')).toBe(1142);
    await ro.end();

    const created = await cli(['users', 'create', 'shop', 'migrator', '--role', 'migrations']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX/);
    const mig = await connectAs('shop', 'migrator');
    expect(await attempt(mig, 'CREATE TABLE shop.items (id INT PRIMARY KEY)')).toBe('ok');
    expect(await attempt(mig, 'ALTER TABLE shop.items ADD COLUMN name VARCHAR(20), ADD INDEX (name)')).toBe('ok');
    expect(await attempt(mig, 'CREATE TABLE other.t (a INT)')).toBe(1142);
    expect(await attempt(mig, "CREATE USER x@'%' IDENTIFIED BY 'x-Passw0rd'")).toBe(1227);
    await mig.end();
  });

  it('drop asks on a real terminal: no keeps the user, yes drops it', async () => {
    const t = await startTmux('users-drop', { env: { ...env(), NO_COLOR: '1' } });
    try {
      await t.run(`${process.execPath} ${BIN} users drop shop migrator`);
      await t.waitFor(/\[y\/N\]\s*$/m);
      expect((await t.joined()).replace(/\s+/g, ' ')).toContain('Drop database user migrator on shop (its open sessions keep running until they disconnect)? [y/N]');
      await t.keys('n', 'Enter');
      expect(await t.exitCode()).toBe(2);
      expect(await t.screen()).toMatch(/Aborted: nothing was changed/);
      const still = await connectAs('shop', 'migrator');
      expect(await attempt(still, 'SELECT 1')).toBe('ok');
      await still.end();
      await t.clear();
      await t.run(`${process.execPath} ${BIN} users drop shop migrator`);
      await t.waitFor(/\[y\/N\]\s*$/m);
      await t.keys('y', 'Enter');
      expect(await t.exitCode()).toBe(0);
      expect(await t.screen()).toMatch(/Dropped user migrator on shop\./);
    } finally {
      await t.kill();
    }
    expect((await cli(['credentials', 'shop', '--user', 'migrator'])).code).toBe(4);
  });

  it('reporting: refused on the primary (1184), SELECT and SHOW VIEW on a read replica, also one made after the user', async () => {
    const r = await cli(['users', 'create', 'shop', 'reporter', '--role', 'reporting']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('has none yet');
    // The server refuses it right after the handshake (init_connect): the client sees it on its first statement.
    expect(await errnoOf(connectAs('shop', 'reporter').then(async (c) => { try { await c.query('SELECT 1'); } finally { c.destroy(); } }))).toBe(1184);
    const scaled = await cli(['scale-replicas', 'shop', '--count', '1', '--json']);
    expect(scaled.code, scaled.stderr + scaled.stdout).toBe(0);
    const replicaId = 'shop-replica-1';
    expect(JSON.stringify((await cli(['replicas', 'shop', '--json'])).json.data)).toContain(replicaId);
    const rep = await connectAs(replicaId, 'reporter');
    expect(await attempt(rep, 'SELECT total FROM shop.orders WHERE id = 1')).toBe('ok');
    expect(await attempt(rep, 'SHOW CREATE TABLE shop.orders')).toBe('ok');
    expect(await attempt(rep, 'SELECT * FROM other.secrets')).toBe(1142);
    expect(await attempt(rep, 'DELETE FROM shop.orders')).toBeOneOf([1142, 1290]); // 1290: read_only answers first
    await rep.end();
    // The master user still connects to the primary (it holds the marker role WITH ADMIN OPTION, not as a grant).
    const m = await master('shop');
    await m.end();
    const listed = await cli(['users', 'list', 'shop', '--json']);
    expect(listed.json.data.users.map((u: { username: string; replicaOnly: boolean }) => [u.username, u.replicaOnly]))
      .toEqual([['app_rw', false], ['reporter', true], ['ro', false]]);
    const onReplica = await cli(['users', 'create', replicaId, 'x1', '--role', 'app']);
    expect(onReplica.code).toBe(5);
    expect(onReplica.stderr).toContain(`rdsctl users create shop reporter --role reporting`);
  }, 240_000);

  it('rotate: the old password is refused, the new one works; drop removes the account and its password', async () => {
    const before = (await cli(['credentials', 'shop', '--user', 'ro', '--json'])).json.data.password as string;
    const r = await cli(['users', 'rotate', 'shop', 'ro', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(before);
    expect(await errnoOf(connectAs('shop', 'ro', before).then((c) => c.end()))).toBe(1045);
    const fresh = await connectAs('shop', 'ro');
    expect(await attempt(fresh, 'SELECT 1')).toBe('ok');
    await fresh.end();

    const noTty = await cli(['users', 'drop', 'shop', 'ro']);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--yes/);
    const dropped = await cli(['users', 'drop', 'shop', 'ro', '--yes', '--json']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(await errnoOf(mysql.createConnection({ host: '127.0.0.1', port: (await cli(['credentials', 'shop', '--json'])).json.data.port, user: 'ro', password: 'whatever', ssl: { rejectUnauthorized: false } }).then((c) => c.end()))).toBeOneOf([1045, 1698]);
    const m = await master('shop');
    const [rows] = await m.query("SELECT COUNT(*) AS n FROM mysql.user WHERE User = 'ro'");
    expect((rows as { n: number }[])[0].n).toBe(0);
    await m.end();
    const again = await cli(['users', 'drop', 'shop', 'ro', '--yes']);
    expect(again.code).toBe(4);
    expect((await cli(['credentials', 'shop', '--user', 'ro'])).code).toBe(4);
  });

  it('bad input: one line, the documented exit code, nothing changed', async () => {
    const role = await cli(['users', 'create', 'shop', 'u1', '--role', 'admin']);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/Unknown role "admin": use one of app, readonly, reporting, migrations/);
    const exists = await cli(['users', 'create', 'shop', 'app_rw', '--role', 'readonly']);
    expect(exists.code).toBe(5);
    expect(exists.stderr).toContain('rdsctl users rotate shop app_rw');
    const missing = await cli(['users', 'create', 'nope', 'u1', '--role', 'app']);
    expect(missing.code).toBe(4);
    for (const name of ['root', 'rdsadmin', 'admin', 'rdsrepl_shop', 'bad-name']) {
      const r = await cli(['users', 'create', 'shop', name, '--role', 'app']);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`User name "${name}" (is reserved|is the master user|must be)`));
    }
    const m = await master('shop');
    const [rows] = await m.query("SELECT COUNT(*) AS n FROM mysql.user WHERE User IN ('u1', 'rdsadmin', 'bad-name')");
    expect((rows as { n: number }[])[0].n).toBe(0);
    await m.end();
    // app_rw kept its role and password (the refused create changed nothing).
    const app = await connectAs('shop', 'app_rw');
    expect(await attempt(app, 'INSERT INTO shop.orders VALUES (9, 90)')).toBe('ok');
    await app.end();
  });

  it('promote: the promoted replica keeps the users replication gave it, with their passwords (credentials, list, connect)', async () => {
    const replicaId = 'shop-replica-1';
    const before = await cli(['credentials', replicaId, '--user', 'app_rw', '--json']); // a replica: its source's
    expect(before.code, before.stderr).toBe(0);
    const r = await cli(['promote', replicaId, '--yes', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.data.formerSource).toBe('shop');
    expect(r.json.data.users).toEqual(['app_rw', 'reporter']);
    const after = await cli(['credentials', replicaId, '--user', 'app_rw', '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.json.data.password).toBe(before.json.data.password);
    expect(after.json.data.port).not.toBe((await cli(['credentials', 'shop', '--json'])).json.data.port);
    const app = await connectAs(replicaId, 'app_rw');
    expect(await attempt(app, 'INSERT INTO shop.orders VALUES (10, 100)')).toBe('ok'); // writable now, as app_rw
    await app.end();
    const listed = await cli(['users', 'list', replicaId, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json.data.users.map((u: { username: string; onServer: boolean }) => [u.username, u.onServer])).toEqual([['app_rw', true], ['reporter', true]]);
    // Its own from now on: a rotation on the promoted instance leaves the former source's password as it was.
    expect((await cli(['users', 'rotate', replicaId, 'app_rw', '--json'])).code).toBe(0);
    const source = await connectAs('shop', 'app_rw');
    expect(await attempt(source, 'SELECT 1')).toBe('ok');
    await source.end();
  }, 240_000);
});
