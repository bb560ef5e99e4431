// `rdsctl replicas verify` vs pt-table-checksum on the same data, same primary and replica, same run.
// Two local instances, replication set up by hand as root over the replica's socket (as the integration
// test does); one table of BENCH_VERIFY_ROWS rows (200,000) in chunks of 1,000 rows for both tools.
// pt-table-checksum runs as root over the Unix sockets (it needs SUPER to set binlog_format=STATEMENT and
// writes percona.checksums on the primary); rdsctl runs as the master user over verified TLS.
// Prints both wall times and the ratio (rdsctl / pt). Not a test. Needs `npm run build` and percona-toolkit.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, requireTools } from './result.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'rdsctl.js');
if (!existsSync(path.join(repo, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build`');
if (spawnSync('pt-table-checksum', ['--version']).status !== 0) {
  console.log('pt-table-checksum is not installed (apt-get install percona-toolkit). Skipped.');
  process.exit(0);
}
const { default: mysql } = await import('mysql2/promise');
const { instancePaths } = await import(path.join(repo, 'dist', 'local', 'engine', 'paths.js'));
const ROWS = Number(process.env.BENCH_VERIFY_ROWS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
requireTools([['pt-table-checksum', 'percona-toolkit']]);
const home = mkdtempSync(path.join(os.tmpdir(), 'bench-verify-'));
const password = `B${randomBytes(12).toString('hex')}`;
const env = { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1', RDSCTL_MASTER_PASSWORD: password, RDSCTL_DB_PASSWORD: password };
const rdsctl = (args) => execFileSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const creds = {};
  for (const id of ['bp', 'br']) {
    rdsctl(['provision', id, '--class', 'db.t4g.small', '--no-encrypted', '--json']);
    creds[id] = JSON.parse(rdsctl(['credentials', id, '--json'])).data;
  }
  const sock = (id) => instancePaths(home, id).socket;
  const primary = await mysql.createConnection({ socketPath: sock('bp'), user: 'root' });
  const replica = await mysql.createConnection({ socketPath: sock('br'), user: 'root' });
  const [[pos]] = await primary.query('SHOW MASTER STATUS');
  await replica.query('SET GLOBAL gtid_strict_mode = OFF');
  await replica.query("SET GLOBAL replicate_wild_do_table = 'bt.%,percona.%'");
  await replica.query('CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_SSL = 1, MASTER_USE_GTID = no, MASTER_LOG_FILE = ?, MASTER_LOG_POS = ?',
    [creds.bp.host, creds.bp.port, creds.bp.username, password, pos.File, pos.Position]);
  await replica.query('START SLAVE');
  await primary.query('CREATE DATABASE bt');
  await primary.query('CREATE TABLE bt.orders (id INT PRIMARY KEY AUTO_INCREMENT, customer INT NOT NULL, total DECIMAL(10,2) NOT NULL, note VARCHAR(64) NULL, created DATETIME NOT NULL)');
  for (let i = 0; i < ROWS; i += 5000) {
    const rows = Array.from({ length: Math.min(5000, ROWS - i) }, (_, k) => [(i + k) % 997, ((i + k) % 10000) / 100, (i + k) % 5 ? null : `n${i + k}`, '2026-01-01 00:00:00']);
    await primary.query('INSERT INTO bt.orders (customer, total, note, created) VALUES ?', [rows]);
  }
  for (;;) { // caught up
    const [[r]] = await replica.query('SELECT COUNT(*) AS n FROM bt.orders').catch(() => [[{ n: -1 }]]);
    if (Number(r.n) === ROWS) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  // pt-table-checksum finds the replica through a DSN table on the primary (processlist ports are the clients').
  await primary.query('CREATE DATABASE IF NOT EXISTS percona');
  await primary.query('CREATE TABLE percona.dsns (id INT PRIMARY KEY, parent_id INT, dsn VARCHAR(255) NOT NULL)');
  await primary.query('INSERT INTO percona.dsns VALUES (1, NULL, ?)', [`S=${sock('br')},u=root`]);
  const dsn = (id) => `mysql://${creds[id].username}@${creds[id].host}:${creds[id].port}/?ssl-mode=VERIFY_IDENTITY&ssl-ca=${encodeURIComponent(creds[id].caFile)}`;
  const ours = [];
  const pts = [];
  for (let run = 0; run < RUNS; run++) {
    let t = process.hrtime.bigint();
    const out = JSON.parse(rdsctl(['replicas', 'verify', '--dsn', dsn('bp'), '--replica-dsn', dsn('br'), '--database', 'bt', '--chunk-rows', '1000', '--json']));
    ours.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (!out.data.ok) throw new Error('rdsctl verify found differences');
    t = process.hrtime.bigint();
    const pt = spawnSync('pt-table-checksum', [`S=${sock('bp')},u=root`, '--databases', 'bt', '--chunk-size', '1000', '--chunk-time', '0',
      '--recursion-method', 'dsn=D=percona,t=dsns', '--no-check-binlog-format', '--no-check-replication-filters'], { encoding: 'utf8' });
    pts.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (pt.status !== 0) throw new Error(`pt-table-checksum exited ${pt.status}:\n${pt.stdout}\n${pt.stderr}`);
    if (run === 0) console.log(`pt-table-checksum:\n${pt.stdout.trim()}\nrdsctl: ${out.data.chunks} chunks, ${out.data.rows} rows`);
  }
  console.log(`replicas verify vs pt-table-checksum, ${ROWS} rows, chunks of 1000, ${RUNS} runs (median): rdsctl ${median(ours).toFixed(0)} ms, pt-table-checksum ${median(pts).toFixed(0)} ms, ratio ${(median(ours) / median(pts)).toFixed(2)}`);
  console.log(`all runs: rdsctl ${ours.map((x) => x.toFixed(0)).join(' ')} ms; pt ${pts.map((x) => x.toFixed(0)).join(' ')} ms; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  report({ ratios: { vsPtTableChecksum: median(ours) / median(pts) }, rows: ROWS, runs: RUNS, rdsctlMs: median(ours), ptTableChecksumMs: median(pts) });
  await replica.query('STOP SLAVE');
  await primary.end();
  await replica.end();
} finally {
  spawnSync(process.execPath, [bin, 'local', 'stop'], { env, stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
}
