// Why the serving node listens on the endpoint port itself (docs/ARCHITECTURE.md "Instances and nodes"):
// sysbench oltp_point_select straight to a local instance vs through a TCP splice in a Node.js process
// (what a control-plane relay would be), alternating runs in one session. Prints the ratio; not a test.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, requireTools } from './result.mjs';

requireTools([['sysbench', 'sysbench']]);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'rdsctl.js');
const home = mkdtempSync(path.join(os.tmpdir(), 'bench-splice-'));
const sslDir = mkdtempSync(path.join(os.tmpdir(), 'bench-splice-ssl-'));
const env = { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' };
const rdsctl = (...args) => execFileSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_RUNS ?? 3);
const threads = Number(process.env.BENCH_THREADS ?? 4);

/** A byte relay: every client connection is piped to the instance's port and back. */
function splice(port) {
  const srv = net.createServer((client) => {
    const server = net.connect(port, '127.0.0.1');
    client.setNoDelay(true);
    server.setNoDelay(true);
    client.pipe(server).pipe(client);
    const end = () => { client.destroy(); server.destroy(); };
    client.on('error', end);
    server.on('error', end);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

const sysbenchArgs = (port, command) => ['oltp_point_select', '--mysql-host=127.0.0.1', `--mysql-port=${port}`, '--mysql-user=sb',
  '--mysql-db=sbtest', '--mysql-ssl=on', '--tables=1', '--table-size=10000', `--threads=${threads}`, `--time=${seconds}`, command];

/** One sysbench run, asynchronously: the relay runs on this event loop and must keep serving. */
function run(port) {
  return new Promise((resolve, reject) => {
    execFile('sysbench', sysbenchArgs(port, 'run'), { encoding: 'utf8', cwd: sslDir }, (err, out, errOut) => {
      if (err) return reject(new Error(`sysbench run failed: ${out}${errOut}`));
      resolve({ qps: Number(/queries:\s+\d+\s+\(([\d.]+) per sec/.exec(out)?.[1]), p95ms: Number(/95th percentile:\s+([\d.]+)/.exec(out)?.[1]) });
    });
  });
}

try {
  rdsctl('local', 'start', '--json');
  rdsctl('provision', 'splice', '--manage-master-password', '--class', 'db.t4g.micro', '--no-encrypted', '--quiet');
  const port = JSON.parse(rdsctl('describe', 'splice', '--json')).data.DBInstance.Endpoint.Port;
  const secret = JSON.parse(readFileSync(path.join(home, 'secrets', 'splice.json'), 'utf8'));
  const mysql = await import('mysql2/promise');
  const admin = await mysql.createConnection({ host: '127.0.0.1', port, user: secret.username, password: secret.password, ssl: { ca: readFileSync(path.join(home, 'ca', 'ca-cert.pem'), 'utf8') } });
  await admin.query('CREATE DATABASE sbtest');
  await admin.query("CREATE USER sb@'%'");
  // The master user has RDS's privilege list, not ALL: grant what sysbench uses.
  await admin.query("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER ON sbtest.* TO sb@'%'");
  await admin.end();
  // sysbench 1.0's --mysql-ssl=on reads client-key.pem, client-cert.pem and cacert.pem from its working
  // folder: a client certificate signed by the home CA, made here.
  const ca = path.join(home, 'ca');
  const ssl = (...args) => execFileSync('openssl', args, { cwd: sslDir, stdio: 'ignore' });
  ssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'client-key.pem', '-subj', '/CN=sb', '-out', 'client.csr');
  ssl('x509', '-req', '-in', 'client.csr', '-CA', path.join(ca, 'ca-cert.pem'), '-CAkey', path.join(ca, 'ca-key.pem'), '-set_serial', '2', '-days', '1', '-out', 'client-cert.pem');
  copyFileSync(path.join(ca, 'ca-cert.pem'), path.join(sslDir, 'cacert.pem'));
  // The bench user has no password: nothing secret goes on sysbench's command line.
  const prep = spawnSync('sysbench', sysbenchArgs(port, 'prepare'), { encoding: 'utf8', cwd: sslDir });
  if (prep.status !== 0) throw new Error(`sysbench prepare failed: ${prep.stderr || prep.stdout}`);
  const relay = await splice(port);
  const relayPort = relay.address().port;
  const direct = [], spliced = [];
  await run(port); // warm-up: buffer pool, TLS session setup
  for (let i = 0; i < rounds; i++) {
    direct.push(await run(port));
    spliced.push(await run(relayPort));
  }
  relay.close();
  const d = median(direct.map((r) => r.qps)), s = median(spliced.map((r) => r.qps));
  const result = { threads, seconds, rounds, directQps: d, splicedQps: s, splicedVsDirect: s / d, costPercent: (1 - s / d) * 100,
    directP95ms: median(direct.map((r) => r.p95ms)), splicedP95ms: median(spliced.map((r) => r.p95ms)), runs: { direct, spliced } };
  report({ ratios: { splicedVsDirect: result.splicedVsDirect }, ...result });
  console.log(`point-select through a Node.js TCP splice = ${result.splicedVsDirect.toFixed(3)}× direct (${result.costPercent.toFixed(1)} % cost; goal for a splice: ≤ 5 %)`);
} finally {
  try { rdsctl('local', 'stop', '--json'); } catch { /* already stopped */ }
  rmSync(home, { recursive: true, force: true });
  rmSync(sslDir, { recursive: true, force: true });
}
