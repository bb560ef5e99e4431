import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway mariadbd owned by one test file: root over its Unix socket, no TCP unless asked. */
export interface TestMariadb {
  dir: string;
  socketPath: string;
  port: number;
  pid: number;
  /** mysql://root@localhost/db?socketPath=… is not standard; tests connect with these options. */
  connectOptions(database?: string): { socketPath: string; user: string; database?: string; multipleStatements: boolean };
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function myCnf(dir: string, port: number, extra: string[]): string {
  return [
    '[mysqld]', 'user=root', `datadir=${dir}/data`, `socket=${dir}/mysqld.sock`, `pid-file=${dir}/mysqld.pid`,
    `port=${port}`, 'bind-address=127.0.0.1', 'skip-name-resolve', `log-error=${dir}/error.log`,
    'innodb_buffer_pool_size=128M', 'innodb_log_file_size=48M', 'innodb_flush_log_at_trx_commit=2',
    'skip-log-bin', ...extra, '',
  ].join('\n');
}

async function waitReady(cnf: string, child: { exitCode: number | null }, dir: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) break;
    try {
      await run('mariadb-admin', [`--defaults-file=${cnf}`, '--user=root', 'ping'], { timeout: 5000 });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const log = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
  throw new Error(`mariadbd did not start:\n${log.slice(-2000)}`);
}

/** Starts a fresh mariadbd in a mkdtemp folder (about 3 s). Call stop() in afterAll. */
export async function startMariadb(extraConfig: string[] = []): Promise<TestMariadb> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-mdb-'));
  const port = await freePort();
  const cnf = path.join(dir, 'my.cnf');
  // The client section lets mariadb-admin find the socket with the same defaults file.
  await writeFile(cnf, `${myCnf(dir, port, extraConfig)}[client]\nsocket=${dir}/mysqld.sock\n`, { mode: 0o600 });
  // mariadb-install-db failed now and then in the full suite under load (2 cores, many servers starting)
  // with nothing in its own output: one retry on a fresh datadir, and the server's error log in the error.
  const install = () => run('mariadb-install-db', [`--defaults-file=${cnf}`, '--skip-test-db', '--skip-name-resolve'], { timeout: 60_000 });
  await install()
    .catch(async () => {
      await rm(path.join(dir, 'data'), { recursive: true, force: true });
      return install();
    })
    .catch(async (err: { message: string; stderr?: string; stdout?: string }) => {
      const log = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
      await rm(dir, { recursive: true, force: true });
      // execFile's message is only the command line: keep what the installer and the server said.
      throw new Error(`${err.message}\n${err.stderr ?? ''}${err.stdout ?? ''}\nerror.log:\n${log.slice(-3000)}`.trim());
    });
  const child = spawn('mariadbd', [`--defaults-file=${cnf}`], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid!;
  // A server that never became ready is still stopped by pid and its folder removed.
  await waitReady(cnf, child, dir).catch(async (err) => { await stopMariadb(pid, dir, child); throw err; });
  const socketPath = path.join(dir, 'mysqld.sock');
  return {
    dir, socketPath, port, pid,
    connectOptions: (database) => ({ socketPath, user: 'root', database, multipleStatements: true }),
    stop: () => stopMariadb(pid, dir, child),
  };
}

async function stopMariadb(pid: number, dir: string, child: { exitCode: number | null; once: (e: 'exit', f: () => void) => unknown }): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000));
    if ((await Promise.race([exited, timer])) === 'timeout') {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
  await rm(dir, { recursive: true, force: true });
}

/** Loads the e-commerce fixture (schema + deterministic data) into `db` over an open mysql2 connection. */
export async function loadEcommerce(conn: { query(sql: string): Promise<unknown> }, db: string, opts: { foreignKeys: boolean; scale?: number }): Promise<void> {
  // @ts-expect-error plain JS fixture module without type declarations
  const { schemaSql } = (await import('../../fixtures/ecommerce/schema.mjs')) as { schemaSql(o: { foreignKeys: boolean }): string[] };
  // @ts-expect-error plain JS fixture module without type declarations
  const { insertStatements } = (await import('../../fixtures/ecommerce/generate.mjs')) as { insertStatements(scale: number): Iterable<string> };
  await conn.query(`CREATE DATABASE \`${db}\``);
  await conn.query(`USE \`${db}\``);
  await conn.query('SET foreign_key_checks = 0');
  for (const stmt of schemaSql({ foreignKeys: opts.foreignKeys })) await conn.query(stmt);
  for (const stmt of insertStatements(opts.scale ?? 1)) await conn.query(stmt);
  await conn.query('SET foreign_key_checks = 1');
}

/** The fixture workload: one statement per line of fixtures/ecommerce/workload.sql. */
export async function ecommerceWorkload(): Promise<string[]> {
  const text = await readFile(new URL('../../fixtures/ecommerce/workload.sql', import.meta.url), 'utf8');
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('--')).map((l) => l.replace(/;$/, ''));
}
