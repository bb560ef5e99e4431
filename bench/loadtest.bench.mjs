// The load generator vs sysbench (oltp_point_select, oltp_read_only) in the same run: same local
// instance, same concurrency, same transport (TLS to the instance's endpoint), interleaved rounds.
// Same data: sysbench reads rdsctl's products table through a view. Prints the QPS ratio and the p95
// ratio (rdsctl / sysbench), and each client's CPU per query. Same keys too: rdsctl picks ids uniformly,
// so sysbench runs with --rand-type=uniform (its default is 'special'). rdsctl runs its default 2 s
// warm-up first, unmeasured (its first two seconds ran at 75 % and 94 % of its steady rate while V8
// compiled its code). sysbench 1.0.20 has no --warmup-time, and needs none: compiled C, its first
// second is not slower than the rest (per-second QPS seen here: 50.8k 48.8k 43.8k 33.1k 36.1k).
// Client CPU per query divides each process's CPU by every query it sent (rdsctl's warm-up included).
// Not a test. Needs `npm run build` and sysbench (Debian: apt-get install sysbench).
// BENCH_RUNS (5 here: sysbench's own QPS varies by a third from run to run on 2 cores, so the median needs
// more rounds than the other benches), BENCH_LOADTEST_SECONDS (10), BENCH_LOADTEST_CONCURRENCY (8) override the defaults.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, requireTools } from './result.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'rdsctl.js');
if (!existsSync(path.join(repo, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
requireTools([['sysbench', 'sysbench']]);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const seconds = Number(process.env.BENCH_LOADTEST_SECONDS ?? 10);
const threads = Number(process.env.BENCH_LOADTEST_CONCURRENCY ?? 8);
const TABLE_SIZE = 10_000; // = products at --scale 10
const WARMUP_S = 2;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const home = mkdtempSync(path.join(os.tmpdir(), 'bench-loadtest-'));
const password = `B${randomBytes(12).toString('hex')}`;
// Secrets stay off command lines: rdsctl reads them from env, sysbench from a 0600 config file.
const env = { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1', RDSCTL_MASTER_PASSWORD: password, RDSCTL_DB_PASSWORD: password };
delete env.CI;
const rdsctl = (args) => execFileSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });

/** Runs a command under /usr/bin/time; returns its stdout and its CPU seconds (user + system). */
function timed(cmd, args, opts) {
  const cpuFile = path.join(home, 'cpu.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [u, s] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number);
  return { stdout: r.stdout, cpu: u + s };
}

try {
  rdsctl(['local', 'start', '--json']);
  rdsctl(['provision', 'bench', '--class', 'db.t4g.medium', '--no-encrypted', '--quiet']);
  const c = JSON.parse(rdsctl(['credentials', 'bench', '--json'])).data;
  rdsctl(['loadtest', 'prepare', 'bench', '--scale', String(TABLE_SIZE / 1000), '--quiet']);

  // sysbench 1.0.20 with --mysql-ssl=on loads cacert.pem, client-cert.pem and client-key.pem from its
  // working directory: the instance's CA, and a client certificate signed by it (the server verifies
  // any certificate a client presents). rdsctl presents none; both verify the server against the CA.
  const sb = path.join(home, 'sysbench');
  execFileSync('mkdir', ['-m', '700', sb]);
  copyFileSync(c.caFile, path.join(sb, 'cacert.pem'));
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(sb, 'client-key.pem'), '-out', path.join(sb, 'client.csr'), '-subj', '/CN=sysbench'], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', path.join(sb, 'client.csr'), '-CA', c.caFile, '-CAkey', path.join(home, 'ca', 'ca-key.pem'), '-CAcreateserial',
    '-out', path.join(sb, 'client-cert.pem'), '-days', '1'], { stdio: 'ignore' });
  writeFileSync(path.join(sb, 'sb.cfg'), `mysql-host=${c.host}\nmysql-port=${c.port}\nmysql-user=${c.username}\nmysql-password=${password}\nmysql-db=sbtest\nmysql-ssl=on\n`, { mode: 0o600 });
  const mysql = (await import('mysql2/promise')).default;
  const admin = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password, ssl: { ca: readFileSync(c.caFile) } });
  // Same data: sysbench's sbtest1 is a view of rdsctl's products (id, k = price, c = name, pad = sku), so
  // both clients run the same statements on the same rows — `SELECT c FROM sbtest1 WHERE id=?` is
  // rdsctl's `SELECT name FROM products WHERE id = ?`, `SUM(k)` its `SUM(price)`, `ORDER BY c` its
  // `ORDER BY name` — and the server does the same work for either (a merged view adds no step to the plan).
  await admin.query('CREATE DATABASE IF NOT EXISTS sbtest');
  await admin.query('CREATE OR REPLACE VIEW sbtest.sbtest1 AS SELECT id, price AS k, name AS c, sku AS pad FROM loadtest.products');
  await admin.end();
  const sysbench = (test, extra) => timed('sysbench', ['--config-file=sb.cfg', test, `--table-size=${TABLE_SIZE}`, ...extra], { cwd: sb });

  const results = { machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model ?? ''}`.trim(), seconds, warmupSeconds: WARMUP_S, threads, runs, loadavgBefore: loadavg(), workloads: {} };
  for (const [test, workload] of [['oltp_point_select', 'point-select'], ['oltp_read_only', 'read-only']]) {
    const rounds = [];
    for (let i = 0; i < runs; i++) {
      // Interleaved, so a neighbour's burst of CPU hurts both sides alike.
      const s = sysbench(test, ['--rand-type=uniform', `--threads=${threads}`, `--time=${seconds}`, '--percentile=95', 'run']);
      const sQps = Number(/queries:\s+\d+\s+\(([\d.]+) per sec/.exec(s.stdout)[1]);
      const sP95 = Number(/95th percentile:\s+([\d.]+)/.exec(s.stdout)[1]);
      const sQueries = Number(/queries:\s+(\d+)/.exec(s.stdout)[1]);
      const r = timed(process.execPath, [bin, 'loadtest', 'run', 'bench', '--workload', workload, '--concurrency', String(threads), '--duration', `${seconds}s`, '--warmup', `${WARMUP_S}s`, '--json'], { env });
      const d = JSON.parse(r.stdout).data;
      rounds.push({ sysbenchQps: sQps, rdsctlQps: d.qps, sysbenchP95Ms: sP95, rdsctlP95Ms: d.total.p95, qpsRatio: d.qps / sQps, p95Ratio: d.total.p95 / sP95,
        sysbenchCpuUsPerQuery: (s.cpu * 1e6) / sQueries, rdsctlCpuUsPerQuery: (r.cpu * 1e6) / (d.queries + d.warmup.queries), loadavg: loadavg() });
    }
    results.workloads[workload] = { rounds, qpsRatio: median(rounds.map((x) => x.qpsRatio)), p95Ratio: median(rounds.map((x) => x.p95Ratio)) };
  }
  results.loadavgAfter = loadavg();
  const ps = results.workloads['point-select'], ro = results.workloads['read-only'];
  report({ ratios: { pointSelectQps: ps.qpsRatio, pointSelectP95: ps.p95Ratio, readOnlyQps: ro.qpsRatio, readOnlyP95: ro.p95Ratio },
    goal: 'QPS ≥ 0.9×, p95 ≤ 1.10× sysbench', ...results });
  for (const [w, r] of Object.entries(results.workloads)) {
    const m = (k) => median(r.rounds.map((x) => x[k]));
    console.log(`loadtest ${w}: QPS ${r.qpsRatio.toFixed(2)}× sysbench (${m('rdsctlQps').toFixed(0)} vs ${m('sysbenchQps').toFixed(0)}; goal ≥ 0.9×), ` +
      `p95 ${r.p95Ratio.toFixed(2)}× (${m('rdsctlP95Ms').toFixed(2)} vs ${m('sysbenchP95Ms').toFixed(2)} ms; goal ≤ 1.10×), ` +
      `client CPU ${m('rdsctlCpuUsPerQuery').toFixed(1)} vs ${m('sysbenchCpuUsPerQuery').toFixed(1)} µs/query`);
  }
} finally {
  spawnSync(process.execPath, [bin, 'local', 'stop', '--json'], { env, stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
}
