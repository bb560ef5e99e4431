import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariadbEngine, ensureHomeCa, instancePaths, withAdmin } from '../../src/local/engine/index.js';
import type { EngineSpec, InstancePaths, MasterUser } from '../../src/local/engine/index.js';
import { filesContaining, freePort } from './engine-helpers.js';

const MiB = 1024 * 1024;
const engine = createMariadbEngine();
let home: string;
let caPem: string;
let spec: EngineSpec;
let paths: InstancePaths;
const master: MasterUser = { username: 'admin', password: `Pw-${randomBytes(9).toString('base64url')}` };
const started: InstancePaths[] = [];

async function makeSpec(id: string, extra: Partial<EngineSpec> = {}): Promise<EngineSpec> {
  const ca = await ensureHomeCa(home);
  return {
    id, engine: 'mariadb', port: await freePort(), serverId: 100 + started.length,
    innodbBufferPoolSize: 24 * MiB, maxConnections: 40, storageEncrypted: false,
    requireSecureTransport: true, readOnly: false, ...ca, ...extra,
  };
}

function tlsConnect(s: EngineSpec, user = master): Promise<Connection> {
  return mysql.createConnection({
    host: '127.0.0.1', port: s.port, user: user.username, password: user.password,
    ssl: { ca: caPem, verifyIdentity: true },
  });
}

async function query<T = RowDataPacket[]>(s: EngineSpec, sql: string, args: unknown[] = []): Promise<T> {
  const c = await tlsConnect(s);
  try {
    const [rows] = await c.query(sql, args);
    return rows as T;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  // A deep home on purpose: its socket path would be too long, so it must move to a short folder.
  home = await mkdtemp(join(tmpdir(), `rdsctl-engine-${'deep'.repeat(20)}-`));
  spec = await makeSpec('plain');
  paths = instancePaths(home, 'plain');
  started.push(paths);
  await engine.create(paths, spec, master);
  caPem = await readFile(spec.caCertFile, 'utf8');
});

afterAll(async () => {
  for (const p of started) {
    const pid = engine.runningPid(p);
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  }
  for (const p of started) await rm(dirname(p.socket), { recursive: true, force: true });
  if (home) await rm(home, { recursive: true, force: true });
});

describe('MariaDB engine on a real mariadbd', () => {
  it('keeps the Unix socket usable when the home path is too long for one', () => {
    expect(paths.socket.startsWith(paths.root)).toBe(false);
    expect(Buffer.byteLength(paths.socket)).toBeLessThanOrEqual(100);
    expect(existsSync(paths.socket)).toBe(true);
  });

  it('serves the master user over TCP with a verified TLS certificate', async () => {
    await query(spec, 'CREATE DATABASE shop');
    await query(spec, 'CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(40)) ENGINE=InnoDB');
    await query(spec, 'INSERT INTO shop.orders VALUES (1, ?)', ['teapot']);
    const rows = await query(spec, 'SELECT item FROM shop.orders WHERE id = 1');
    expect(rows[0].item).toBe('teapot');
    const [cipher] = await query(spec, "SHOW SESSION STATUS LIKE 'Ssl_version'");
    expect(cipher.Value).toMatch(/^TLSv1\.[23]$/);
  });

  it('refuses a plain TCP connection without TLS', async () => {
    const attempt = mysql.createConnection({ host: '127.0.0.1', port: spec.port, user: master.username, password: master.password });
    // MariaDB answers a non-TLS client with a misleading "Access denied" (1045), not a TLS error.
    await expect(attempt).rejects.toMatchObject({ errno: 1045 });
  });

  it('runs with the durability and memory settings of its spec', async () => {
    const [v] = await query(spec, 'SELECT @@innodb_buffer_pool_size AS pool, @@max_connections AS maxc, @@log_bin AS lb, ' +
      '@@sync_binlog AS sb, @@gtid_strict_mode AS gs, @@binlog_format AS bf, @@server_id AS sid, @@bind_address AS ba');
    expect(v).toMatchObject({ pool: 24 * MiB, maxc: 40, lb: 1, sb: 1, gs: 1, bf: 'ROW', sid: spec.serverId, ba: '127.0.0.1' });
  });

  it('reports storage that grows with the data written', async () => {
    const before = (await engine.storageUsage(paths)).usedBytes;
    expect(before).toBeGreaterThan(48 * MiB); // at least the redo log
    await query(spec, 'CREATE TABLE shop.blobs (id INT PRIMARY KEY, b LONGBLOB) ENGINE=InnoDB');
    for (let i = 0; i < 4; i++) await query(spec, "INSERT INTO shop.blobs VALUES (?, REPEAT('z', 1048576))", [i]);
    const after = (await engine.storageUsage(paths)).usedBytes;
    expect(after - before).toBeGreaterThan(4 * MiB); // rows land in the .ibd and the binlog
  });

  it('counts tmp/ toward used storage (spilled temporary tables, sort files, server-side files live there)', async () => {
    const before = (await engine.storageUsage(paths)).usedBytes;
    const file = join(paths.tmpDir, 'dump.bin');
    await withAdmin(paths, (c) => c.query(`SELECT REPEAT('t', 3 * 1048576) INTO DUMPFILE '${file}'`));
    try {
      expect((await engine.storageUsage(paths)).usedBytes - before).toBeGreaterThanOrEqual(3 * MiB);
    } finally {
      await rm(file, { force: true });
    }
  });

  it('setReadOnly stops writes by the master user, and lifts again', async () => {
    await engine.setReadOnly(paths, true);
    await expect(query(spec, 'INSERT INTO shop.orders VALUES (2, ?)', ['kettle'])).rejects.toMatchObject({ errno: 1290 });
    await expect(query(spec, 'CREATE DATABASE other')).rejects.toMatchObject({ errno: 1290 });
    await expect(query(spec, 'SET GLOBAL read_only = OFF')).rejects.toMatchObject({ errno: 1227 });
    await engine.setReadOnly(paths, false);
    await query(spec, 'INSERT INTO shop.orders VALUES (2, ?)', ['kettle']);
    expect((await query(spec, 'SELECT COUNT(*) AS n FROM shop.orders'))[0].n).toBe(2);
  });

  it('the master user cannot read or write host files, nor shut the server down (as on RDS)', async () => {
    expect((await query(spec, "SELECT LOAD_FILE('/etc/passwd') AS f"))[0].f).toBeNull();
    await expect(query(spec, "SELECT 1 INTO OUTFILE '/tmp/rdsctl-should-not-exist'")).rejects.toMatchObject({ errno: 1227 });
    await expect(query(spec, "SET GLOBAL general_log_file = '/tmp/rdsctl-should-not-exist'")).rejects.toMatchObject({ errno: 1227 });
    await expect(query(spec, 'SHUTDOWN')).rejects.toMatchObject({ errno: 1227 });
    expect(engine.runningPid(paths)).toBeTypeOf('number');
  });

  it('setMasterPassword replaces the password', async () => {
    const next = { ...master, password: `Pw-${randomBytes(9).toString('base64url')}` };
    await engine.setMasterPassword(paths, next);
    await expect(tlsConnect(spec, master)).rejects.toMatchObject({ errno: 1045 });
    const c = await tlsConnect(spec, next);
    await c.end();
    master.password = next.password;
  });

  it('applies a class change at restart and keeps the data', async () => {
    spec = { ...spec, innodbBufferPoolSize: 40 * MiB, maxConnections: 60 };
    await engine.writeConfig(paths, spec);
    await engine.stop(paths);
    expect(engine.runningPid(paths)).toBeUndefined();
    await engine.start(paths, spec);
    const [v] = await query(spec, 'SELECT @@innodb_buffer_pool_size AS pool, @@max_connections AS maxc');
    expect(v).toMatchObject({ pool: 40 * MiB, maxc: 60 });
    expect((await query(spec, 'SELECT item FROM shop.orders ORDER BY id')).map((r) => r.item)).toEqual(['teapot', 'kettle']);
  });

  it('recovers committed rows after kill -9', async () => {
    await query(spec, 'INSERT INTO shop.orders VALUES (3, ?)', ['committed-before-crash']);
    const pid = engine.runningPid(paths);
    expect(pid).toBeTypeOf('number');
    process.kill(pid!, 'SIGKILL');
    await expect.poll(() => engine.runningPid(paths), { timeout: 10_000 }).toBeUndefined();
    const info = await engine.start(paths, spec);
    expect(engine.runningPid(paths)).toBe(info.pid);
    const rows = await query(spec, 'SELECT item FROM shop.orders WHERE id = 3');
    expect(rows[0].item).toBe('committed-before-crash');
  });

  it('refuses to create an instance on a port already in use, touching nothing', async () => {
    const other = { ...(await makeSpec('clash')), port: spec.port };
    const otherPaths = instancePaths(home, 'clash');
    started.push(otherPaths); // so afterAll cleans up even if create wrongly succeeds
    await expect(engine.create(otherPaths, other, master)).rejects.toMatchObject({ code: 'PORT_IN_USE', exitCode: 5 });
    expect(existsSync(otherPaths.root)).toBe(false);
  });

  it('refuses engine mysql with a clear error (no MySQL 8 here)', async () => {
    const mysqlSpec = { ...(await makeSpec('my8')), engine: 'mysql' as const };
    started.push(instancePaths(home, 'my8'));
    await expect(engine.create(instancePaths(home, 'my8'), mysqlSpec, master)).rejects.toMatchObject({ code: 'ENGINE_NOT_AVAILABLE' });
  });

  it('destroy stops the process and removes the folder', async () => {
    const pid = engine.runningPid(paths)!;
    await engine.destroy(paths);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(existsSync(paths.root)).toBe(false);
    expect(existsSync(dirname(paths.socket))).toBe(false);
    expect(engine.runningPid(paths)).toBeUndefined();
  });
});
