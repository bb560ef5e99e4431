import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativePasswordHash } from '../../src/local/engine/admin.js';
import { createMariadbEngine, ensureHomeCa, instancePaths } from '../../src/local/engine/index.js';
import { serviceAccount } from '../../src/system/service-user.js';
import type { EngineSpec, InstancePaths } from '../../src/local/engine/index.js';
import { filesContaining, freePort } from './engine-helpers.js';

const engine = createMariadbEngine();
const marker = `rdsctl-marker-${randomBytes(8).toString('hex')}`;
const master = { username: 'admin', password: `Pw-${randomBytes(9).toString('base64url')}` };
// What an attacker with the disk would look for: the stored hash of the master password.
const hashHex = nativePasswordHash(master.password).slice(1);
const appPassword = `App-${randomBytes(9).toString('base64url')}`;
let home: string;
const inst: Record<'enc' | 'plain', { spec: EngineSpec; paths: InstancePaths }> = {} as never;

async function setUp(id: 'enc' | 'plain', serverId: number) {
  const ca = await ensureHomeCa(home);
  const spec: EngineSpec = {
    id, engine: 'mariadb', port: await freePort(), serverId, innodbBufferPoolSize: 24 * 1024 * 1024,
    maxConnections: 30, storageEncrypted: id === 'enc', requireSecureTransport: true, readOnly: false, ...ca,
  };
  inst[id] = { spec, paths: instancePaths(home, id) };
  await engine.create(inst[id].paths, spec, master);
}

async function connect(spec: EngineSpec, user = master) {
  return mysql.createConnection({
    host: '127.0.0.1', port: spec.port, user: user.username, password: user.password,
    ssl: { ca: await readFile(spec.caCertFile, 'utf8'), verifyIdentity: true },
  });
}

/** Writes the marker through SQL into an InnoDB table (so also undo, redo and the binlog), then stops cleanly. */
async function writeMarkerAndStop(id: 'enc' | 'plain') {
  const { spec, paths } = inst[id];
  const c = await connect(spec);
  await c.query('CREATE DATABASE secrets');
  await c.query('CREATE TABLE secrets.notes (id INT PRIMARY KEY, body VARCHAR(200)) ENGINE=InnoDB');
  await c.query('INSERT INTO secrets.notes VALUES (1, ?)', [marker]);
  await c.query('UPDATE secrets.notes SET body = CONCAT(body, ?) WHERE id = 1', ['-v2']);
  const [rows] = await c.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS total, COALESCE(SUM(ENCRYPTION_SCHEME = 0), 0) AS clear FROM information_schema.INNODB_TABLESPACES_ENCRYPTION');
  await c.query('FLUSH TABLES');
  await c.end();
  await engine.stop(paths);
  return { tablespaces: Number(rows[0].total), unencrypted: Number(rows[0].clear) };
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'rdsctl-engine-enc-'));
  await Promise.all([setUp('enc', 201), setUp('plain', 202)]);
});

afterAll(async () => {
  for (const { paths } of Object.values(inst)) {
    const pid = engine.runningPid(paths);
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  }
  if (home) await rm(home, { recursive: true, force: true });
});

describe('encryption at rest', () => {
  it('leaves neither the marker nor the master password hash readable in any file of an encrypted datadir', async () => {
    const innodb = await writeMarkerAndStop('enc');
    expect(innodb.tablespaces).toBeGreaterThan(5);
    expect(innodb.unencrypted).toBe(0);
    expect(await filesContaining(inst.enc.paths.datadir, marker)).toEqual([]);
    expect(await filesContaining(inst.enc.paths.datadir, hashHex)).toEqual([]);
    // The Aria redo log is among the files searched (it is never encrypted, see the scrub tests below).
    expect((await readdir(inst.enc.paths.datadir)).filter((f) => /^aria_log\.\d+$/.test(f)).length).toBeGreaterThan(0);
  });

  it('finds both in an unencrypted datadir (the check can fail)', async () => {
    await writeMarkerAndStop('plain');
    const hits = (await filesContaining(inst.plain.paths.datadir, marker)).map((p) => p.split('/').pop());
    expect(hits).toEqual(expect.arrayContaining(['notes.ibd', 'binlog.000001']));
    expect(await filesContaining(inst.plain.paths.datadir, hashHex)).not.toEqual([]);
  });

  it('restarts an encrypted instance with its data readable through SQL', async () => {
    const { spec, paths } = inst.enc;
    await engine.start(paths, spec);
    const c = await connect(spec);
    const [rows] = await c.query<RowDataPacket[]>('SELECT body FROM secrets.notes WHERE id = 1');
    await c.end();
    expect(rows[0].body).toBe(`${marker}-v2`);
  });

  it('spilled internal temporary tables: plaintext in tmp/ while the query runs (measured gap), gone after it', async () => {
    const { spec, paths } = inst.enc;
    const spill = `spill-${randomBytes(6).toString('hex')}`;
    const c = await connect(spec);
    await c.query('CREATE TABLE secrets.spill (id INT PRIMARY KEY AUTO_INCREMENT, g VARCHAR(100), pad VARCHAR(200)) ENGINE=InnoDB');
    await c.query("INSERT INTO secrets.spill (g, pad) SELECT CONCAT(?, seq), REPEAT('x', 100) FROM secrets.seq_1_to_20000", [spill]);
    await c.query('SET SESSION tmp_table_size = 16384, max_heap_table_size = 16384');
    const seen = new Set<string>();
    let running = true;
    const watch = (async () => {
      while (running) {
        for (const f of await readdir(paths.tmpDir).catch(() => [] as string[])) {
          const bytes = await readFile(join(paths.tmpDir, f)).catch(() => undefined);
          if (bytes?.includes(spill)) seen.add(f.replace(/-[0-9a-f]+-\d+-\d+\./, '-*.'));
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await c.query('SELECT g, COUNT(*), SLEEP(0.0001) FROM secrets.spill GROUP BY g ORDER BY NULL');
    running = false;
    await watch;
    const [st] = await c.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Created_tmp_disk_tables'");
    const [v] = await c.query<RowDataPacket[]>('SELECT @@encrypt_tmp_disk_tables AS t, @@aria_encrypt_tables AS a');
    await c.end();
    expect(Number(st[0].Value)).toBeGreaterThanOrEqual(1);
    expect([Number(v[0].t), Number(v[0].a)]).toEqual([1, 1]);
    // MariaDB 10.11 writes these Aria temp tables unencrypted despite encrypt_tmp_disk_tables=ON
    // (docs/SECURITY.md, "What is NOT encrypted"). If this starts failing, the gap is closed: update the docs.
    expect([...seen].sort()).toEqual(['#sql-temptable-*.MAD', '#sql-temptable-*.MAI']);
    expect(await filesContaining(paths.tmpDir, spill)).toEqual([]);
  });

  it('a user created over SQL sits in the plaintext Aria log until the next start scrubs it', async () => {
    const { spec, paths } = inst.enc;
    const appHash = nativePasswordHash(appPassword).slice(1);
    const c = await connect(spec);
    await c.query("CREATE USER 'app'@'%' IDENTIFIED BY ?", [appPassword]);
    await c.end();
    await engine.stop(paths);
    // The documented residual gap (docs/SECURITY.md): aria_log is never encrypted.
    expect((await filesContaining(paths.datadir, appHash)).map((p) => p.split('/').pop())).toEqual([expect.stringMatching(/^aria_log\./)]);
    await engine.start(paths, spec);
    await engine.stop(paths);
    expect(await filesContaining(paths.datadir, appHash)).toEqual([]);
    await engine.start(paths, spec);
  });

  it('a new master password leaves no readable hash either (Aria log scrubbed)', async () => {
    const { paths } = inst.enc;
    const next = { ...master, password: `Pw-${randomBytes(9).toString('base64url')}` };
    await engine.setMasterPassword(paths, next);
    await engine.stop(paths);
    expect(await filesContaining(paths.datadir, nativePasswordHash(next.password).slice(1))).toEqual([]);
  });

  it('keeps key material private: root-only, or readable by the service account\'s group only', async () => {
    const ca = await ensureHomeCa(home);
    const gid = (await serviceAccount())!.gid;
    const own = async (f: string) => { const st = await stat(f); return { f, uid: st.uid, gid: st.gid, mode: st.mode & 0o777 }; };
    for (const f of [ca.caKeyFile, inst.enc.paths.configFile]) expect(await own(f)).toEqual({ f, uid: 0, gid: 0, mode: 0o600 });
    for (const f of [join(inst.enc.paths.keysDir, 'keyfile.enc'), join(inst.enc.paths.keysDir, 'keyfile.pass'), join(inst.enc.paths.tlsDir, 'server-key.pem')]) {
      expect(await own(f)).toEqual({ f, uid: 0, gid, mode: 0o640 });
    }
  });
});

describe('start failures', () => {
  it('an unreadable key file fails the start with the error log tail, and nothing keeps running', async () => {
    const { spec, paths } = inst.enc;
    await writeFile(join(paths.keysDir, 'keyfile.pass'), 'not-the-password', { mode: 0o600 });
    const err = await engine.start(paths, spec).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENGINE_START_FAILED', message: expect.stringContaining(paths.errorLog) });
    expect((err as Error).message).toMatch(/\[ERROR\]/);
    expect(engine.runningPid(paths)).toBeUndefined();
  });
});
