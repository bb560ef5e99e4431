import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariadbEngine, ensureHomeCa, instancePaths, withAdmin } from '../../src/local/engine/index.js';
import type { EngineSpec, InstancePaths, MasterUser } from '../../src/local/engine/index.js';
import { SERVICE_USER, serviceAccount } from '../../src/system/service-user.js';
import { freePort } from './engine-helpers.js';

// rdsctl as root (as CI runs it): every mariadbd must run as the unprivileged service account, and the
// master password must not reach the grant tables nor the host.
const MiB = 1024 * 1024;
const sh = promisify(execFile);
const engine = createMariadbEngine();
const master: MasterUser = { username: 'admin', password: `Pw-${randomBytes(9).toString('base64url')}` };
const started: InstancePaths[] = [];
let home: string;
let caPem: string;
let spec: EngineSpec;
let paths: InstancePaths;

async function makeSpec(h: string, id: string): Promise<EngineSpec> {
  const ca = await ensureHomeCa(h);
  return {
    id, engine: 'mariadb', port: await freePort(), serverId: 300 + started.length, innodbBufferPoolSize: 24 * MiB,
    maxConnections: 40, storageEncrypted: false, requireSecureTransport: true, readOnly: false, masterUsername: 'admin', ...ca,
  };
}

function connect(s: EngineSpec, user: MasterUser = master): Promise<Connection> {
  return mysql.createConnection({ host: '127.0.0.1', port: s.port, user: user.username, password: user.password, ssl: { ca: caPem, verifyIdentity: true } });
}

async function asMaster<T>(fn: (c: Connection) => Promise<T>, s = spec): Promise<T> {
  const c = await connect(s);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const errno = (p: Promise<unknown>) => p.then(() => 0, (e: { errno?: number }) => e.errno ?? -1);
const processUser = async (pid: number) => (await sh('ps', ['-o', 'user=', '-p', String(pid)])).stdout.trim();
/** What the service account itself may read (a compromised mariadbd): runuser, exit status. */
const serviceCan = (...cmd: string[]) => sh('runuser', ['-u', SERVICE_USER, '--', ...cmd]).then(() => true, () => false);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'rdsctl-sec-'));
  spec = await makeSpec(home, 'sec');
  paths = instancePaths(home, 'sec');
  started.push(paths);
  await engine.create(paths, spec, master);
  caPem = await readFile(spec.caCertFile, 'utf8');
});

afterAll(async () => {
  for (const p of started) await engine.destroy(p).catch(() => undefined);
  if (home) await rm(home, { recursive: true, force: true });
});

describe('mariadbd runs as the unprivileged service account', () => {
  it('shows the service user in ps, not root', async () => {
    expect(process.getuid?.()).toBe(0); // the case CI exercises
    expect(await processUser(engine.runningPid(paths)!)).toBe(SERVICE_USER);
  });

  it('gives the service account its data and nothing of rdsctl\'s secrets', async () => {
    const acct = (await serviceAccount())!;
    const data = await stat(paths.datadir);
    expect([data.uid, data.mode & 0o777]).toEqual([acct.uid, 0o700]);
    const cnf = await stat(paths.configFile);
    expect([cnf.uid, cnf.mode & 0o777]).toEqual([0, 0o600]);
    const h = await stat(home);
    expect([h.uid, h.gid, h.mode & 0o777]).toEqual([0, acct.gid, 0o710]);
    await writeFile(join(home, 'credentials.json'), '{"secret":"x"}', { mode: 0o600 }); // as the control plane writes it
    expect(await serviceCan('ls', home)).toBe(false);
    expect(await serviceCan('cat', join(home, 'credentials.json'))).toBe(false);
    expect(await serviceCan('cat', spec.caKeyFile)).toBe(false);
    expect(await serviceCan('cat', paths.configFile)).toBe(false);
    expect(await serviceCan('ls', paths.datadir)).toBe(true);
    expect(await serviceCan('sh', '-c', `echo x > ${join(paths.tlsDir, 'planted')}`)).toBe(false);
  });

  it('writes server-side files as the service user, and cannot write root\'s files even with SUPER', async () => {
    const acct = (await serviceAccount())!;
    const log = join(paths.tmpDir, 'general.log');
    const slow = join(paths.tmpDir, 'slow.log');
    const outfile = join(paths.tmpDir, `out-${randomBytes(4).toString('hex')}.txt`);
    const probe = `/etc/rdsctl-probe-${randomBytes(4).toString('hex')}`;
    await withAdmin(paths, async (c) => { // root@localhost: everything the control plane could do
      await c.query('SET GLOBAL general_log_file = ?', [log]);
      await c.query('SET GLOBAL general_log = ON');
      await c.query("SELECT 'general-log-marker'");
      await c.query('SET GLOBAL general_log = OFF');
      await c.query('SET GLOBAL slow_query_log_file = ?', [slow]); // as analyze-style slow-log capture would
      await c.query('SET GLOBAL long_query_time = 0');
      await c.query('SET GLOBAL slow_query_log = ON');
      const s2 = await connect(spec); // long_query_time is read per session at connect
      await s2.query("SELECT 'slow-log-marker'");
      await s2.end();
      await c.query('SET GLOBAL slow_query_log = OFF');
      await c.query('SET GLOBAL long_query_time = 10');
      await c.query(`SELECT 'outfile-marker' INTO OUTFILE '${outfile}'`);
      expect(await errno(c.query(`SELECT 'x' INTO OUTFILE '${probe}'`))).toBe(1290); // secure_file_priv
      // The server checks that it can write there — as the service user it cannot (1231 wrong value).
      expect(await errno(c.query('SET GLOBAL general_log_file = ?', [probe]))).toBe(1231);
      expect(await errno(c.query('SET GLOBAL slow_query_log_file = ?', [`${probe}-slow`]))).toBe(1231);
    });
    expect((await stat(log)).uid).toBe(acct.uid);
    expect(await readFile(log, 'utf8')).toContain('general-log-marker');
    expect((await stat(slow)).uid).toBe(acct.uid);
    expect(await readFile(slow, 'utf8')).toContain('slow-log-marker');
    expect((await stat(outfile)).uid).toBe(acct.uid);
    expect(existsSync(probe)).toBe(false);
  });
});

describe('the master user, kept away from the grant tables as on RDS', () => {
  it('cannot grant itself ALL through mysql.global_priv, nor point the general log anywhere', async () => {
    await asMaster(async (c) => {
      const escalate = "UPDATE mysql.global_priv SET Priv=JSON_SET(Priv,'$.access',18446744073709551615) WHERE User='admin'";
      expect(await errno(c.query(escalate))).toBe(1142); // UPDATE command denied
      await c.query('FLUSH PRIVILEGES'); // RELOAD is RDS's too; harmless now
      expect(await errno(c.query("SET GLOBAL general_log_file='/tmp/x'"))).toBe(1227); // needs SUPER
      expect(await errno(c.query('SET GLOBAL general_log=ON'))).toBe(1227);
      expect(await errno(c.query("SELECT 1 INTO OUTFILE '/tmp/rdsctl-outfile'"))).toBe(1227); // no FILE
      const [lf] = await c.query<RowDataPacket[]>("SELECT LOAD_FILE('/etc/passwd') AS f");
      expect(lf[0].f).toBeNull();
      expect(await errno(c.query('SET GLOBAL max_connections = 10'))).toBe(1227);
      expect(await errno(c.query('SHUTDOWN'))).toBe(1227);
      expect(await errno(c.query("INSERT INTO mysql.plugin VALUES ('x', 'y.so')"))).toBe(1142);
    });
    await asMaster(async (c) => {
      const [g] = await c.query<RowDataPacket[]>('SHOW GRANTS');
      expect(g.map((r) => String(Object.values(r)[0])).join('\n')).not.toMatch(/ALL PRIVILEGES|SUPER|FILE/);
    });
  });

  it('cannot install plugins (INSTALL SONAME would let mariadbd probe loopback ports)', async () => {
    await asMaster(async (c) => {
      expect(await errno(c.query("INSTALL SONAME 'ha_federatedx'"))).toBe(1142); // INSERT on mysql.plugin denied
      const [p] = await c.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'FEDERATED'");
      expect(Number(p[0].n)).toBe(0);
    });
  });

  it('still does what a DBA needs: databases, users, app grants, analysis, killing a session', async () => {
    const app: MasterUser = { username: 'app', password: `App-${randomBytes(6).toString('hex')}` };
    await asMaster(async (c) => {
      await c.query('CREATE DATABASE shop');
      await c.query('CREATE TABLE shop.orders (id INT PRIMARY KEY, customer INT, total INT)');
      await c.query('INSERT INTO shop.orders VALUES (1, 7, 10), (2, 8, 20)');
      await c.query('CREATE USER ?@? IDENTIFIED BY ?', [app.username, '%', app.password]);
      await c.query('GRANT SELECT, INSERT ON shop.* TO ?@?', [app.username, '%']);
      await c.query('ALTER TABLE shop.orders ADD INDEX ix_customer (customer)');
      await c.query('ANALYZE TABLE shop.orders');
      const [plan] = await c.query<RowDataPacket[]>('EXPLAIN FORMAT=JSON SELECT * FROM shop.orders WHERE customer = 7');
      expect(String(plan[0].EXPLAIN)).toContain('ix_customer');
      const [idx] = await c.query<RowDataPacket[]>('SHOW INDEX FROM shop.orders');
      expect(idx.map((r) => r.Key_name)).toContain('ix_customer');
      const [cols] = await c.query<RowDataPacket[]>("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='shop'");
      expect(cols).toHaveLength(3);
      const [users] = await c.query<RowDataPacket[]>('SELECT User FROM mysql.user');
      expect(users.map((u) => u.User)).toContain('app');
    });
    const victim = await connect(spec, app);
    try {
      const [[{ id }]] = await victim.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
      await asMaster(async (c) => {
        expect(await errno(c.query(`KILL ${Number(id)}`))).toBe(1095); // not its thread: as on RDS …
        await c.query('CALL mysql.rds_kill(?)', [id]); // … it goes through rds_kill
      });
      expect(await errno(victim.query('SELECT 1'))).not.toBe(0);
    } finally {
      victim.destroy();
    }
  });
});

describe('an instance made by an earlier version', () => {
  it('gets the service account and the RDS master privileges at its next start', async () => {
    const acct = (await serviceAccount())!;
    // What the earlier version left: root-owned files, ALL minus four for the master user.
    await withAdmin(paths, async (c) => {
      await c.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM admin@\'%\'');
      await c.query('GRANT ALL PRIVILEGES ON *.* TO admin@\'%\' WITH GRANT OPTION');
      await c.query('REVOKE SUPER, FILE, SHUTDOWN, READ_ONLY ADMIN ON *.* FROM admin@\'%\'');
    });
    await engine.stop(paths);
    await sh('chown', ['-R', 'root:root', paths.datadir]);
    await chmod(home, 0o700);
    await chown(home, 0, 0);
    await engine.start(paths, spec);
    expect(await processUser(engine.runningPid(paths)!)).toBe(SERVICE_USER);
    expect((await stat(join(paths.datadir, 'mysql', 'global_priv.MAD'))).uid).toBe(acct.uid);
    await asMaster(async (c) => {
      const escalate = "UPDATE mysql.global_priv SET Priv=JSON_SET(Priv,'$.access',18446744073709551615) WHERE User='admin'";
      expect(await errno(c.query(escalate))).toBe(1142);
      const [n] = await c.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM shop.orders');
      expect(Number(n[0].n)).toBe(2); // its data survived, readable as before
    });
  });
});

describe('a home the service account cannot walk to (under a 0700 folder, like /root/.rdsctl)', () => {
  it('keeps the server side in /var/lib/rdsctl and removes it with the instance', async () => {
    const closed = await mkdtemp(join(tmpdir(), 'rdsctl-closed-'));
    const h = join(closed, 'home');
    try {
      const s = await makeSpec(h, 'outside');
      const p = instancePaths(h, 'outside');
      started.push(p);
      expect(p.datadir.startsWith('/var/lib/rdsctl/')).toBe(true);
      await engine.create(p, s, master);
      expect(await processUser(engine.runningPid(p)!)).toBe(SERVICE_USER);
      expect(existsSync(join(p.root, 'my.cnf'))).toBe(true); // rdsctl's part stays in the home
      await engine.destroy(p);
      expect(existsSync(p.serverRoot)).toBe(false);
      expect(existsSync(dirname(p.serverRoot))).toBe(false); // nothing left in /var/lib/rdsctl for this home
      expect(existsSync(dirname(p.root))).toBe(true);
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });
});

describe('the measured gap: CREATE USER reaches root@localhost (docs/SECURITY.md)', () => {
  it('the master user can take root over; its SUPER writes nowhere but the node\'s own folders (mount namespace); the next start says what happened at once', async () => {
    const evil = `Evil-${randomBytes(6).toString('hex')}`;
    await asMaster(async (c) => {
      await c.query("RENAME USER root@localhost TO root@'%'");
      await c.query("ALTER USER root@'%' IDENTIFIED BY ?", [evil]);
    });
    const root = await connect(spec, { username: 'root', password: evil });
    try {
      const [g] = await root.query<RowDataPacket[]>('SHOW GRANTS');
      expect(String(Object.values(g[0])[0])).toContain('ALL PRIVILEGES'); // the gap, as measured on 10.11
      expect(await errno(root.query("SET GLOBAL general_log_file = '/etc/rdsctl-hijack'"))).toBe(1231); // bounded by the service user
      // World-writable folders and the other instances' data (the same service account) are read-only
      // mounts for this mariadbd: the server refuses the path (1231), and nothing appears on the host.
      const elsewhere = [`/tmp/rdsctl-hijack-${evil}`, `/var/tmp/rdsctl-hijack-${evil}`, `/dev/shm/rdsctl-hijack-${evil}`,
        join(dirname(paths.serverRoot), 'other-instance-hijack.log')];
      for (const target of elsewhere) {
        expect(await errno(root.query('SET GLOBAL general_log_file = ?', [target])), target).toBe(1231);
        expect(await errno(root.query('SET GLOBAL slow_query_log_file = ?', [target])), target).toBe(1231);
        expect(existsSync(target), target).toBe(false);
      }
      await root.query('SET GLOBAL general_log_file = ?', [join(paths.tmpDir, 'own.log')]); // its own folder still works
    } finally {
      await root.end();
    }
    await engine.stop(paths);
    const t0 = Date.now();
    const err = await engine.start(paths, spec).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENGINE_ADMIN_REFUSED', message: expect.stringContaining('root@localhost') });
    expect(Date.now() - t0).toBeLessThan(20_000); // not the 90 s start timeout
    expect(engine.runningPid(paths)).toBeUndefined();
  });
});
