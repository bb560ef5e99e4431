// Point-in-time restore of an instance holding ~100 MB (its base backup) plus N binlog transactions after
// it, for several N (BENCH_TRX=2000,10000,30000: the writes go on after each measurement, one base, one
// load): RestoreDBInstanceToPointInTime (UseLatestRestorableTime, BackupRetentionPeriod 0 so the new instance
// takes no base backup of its own, as the raw pipeline does not) until `available`, vs the raw pipeline by
// hand on the same stored base backup and archived binlogs (copy + --prepare + --copy-back + start mariadbd
// + `mariadb-binlog --start-position=<base GTID> | mariadb`). Also the endpoint with the new instance's own
// first base backup (what RDS does too), timed both until the new instance takes connections (the one
// rule of src/core/instance-state.ts: `backing-up` serves) and until `available`. Prints the ratios per N
// (goal ≤ 1.3×); not a test. Needs build and root.
import { execFileSync, execSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './result.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(repo, 'dist', p));
const { ensureLocalEndpoint, stopLocalEndpoint } = await dist('local/control/endpoint.js');
const { readLocalCredentials } = await dist('local/control/credentials.js');
const { instancePaths } = await dist('local/engine/paths.js');
const { backupFiles, backupStore } = await dist('local/ops/backups-store.js');
const { RDSClient, CreateDBInstanceCommand, ModifyDBInstanceCommand, RestoreDBInstanceToPointInTimeCommand, DeleteDBInstanceCommand, DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
const mysql = await import('mysql2/promise');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(process.env.BENCH_RUNS ?? 2);
const MB = Number(process.env.BENCH_MB ?? 100);
const NS = String(process.env.BENCH_TRX ?? '2000,10000,30000').split(',').map(Number);
const { notServing } = await dist('core/instance-state.js');

const home = mkdtempSync(path.join(os.tmpdir(), 'bench-pitr-'));
const info = await ensureLocalEndpoint(home);
const rds = new RDSClient({ endpoint: info.url, region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey }, maxAttempts: 1 });
const describe = async (id) => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances[0];
async function waitFor(id, pred, onPoll = () => {}) {
  for (;;) {
    const d = await describe(id);
    if (d.DBInstanceStatus === 'failed') throw new Error(`${id} failed: ${JSON.stringify(d.StatusInfos)}`);
    onPoll(d);
    if (pred(d)) return d;
    await sleep(100);
  }
}
const rootSql = (socket, sql) => execFileSync('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-N', '-B', '-e', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const loadavg = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const src = instancePaths(home, 'src');

const before = loadavg();
// Retention 0 while loading, then 1: the first base backup holds the ~100 MB.
await rds.send(new CreateDBInstanceCommand({
  DBInstanceIdentifier: 'src', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20, BackupRetentionPeriod: 0,
  MasterUsername: 'admin', ManageMasterUserPassword: true, DBName: 'app',
}));
await waitFor('src', (d) => d.DBInstanceStatus === 'available');
const cred = await readLocalCredentials(home, 'src');
const conn = await mysql.createConnection({ host: cred.host, port: cred.port, user: cred.username, password: cred.password, database: 'app', ssl: { ca: readFileSync(cred.caFile, 'utf8') } });
await conn.query('CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(1000))');
for (let i = 0; i < MB; i++) await conn.query(`INSERT INTO t SELECT seq + ${i * 1000}, REPEAT('x', 1000) FROM seq_1_to_1000`);
await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'src', BackupRetentionPeriod: 1, ApplyImmediately: true }));
await waitFor('src', (d) => d.DBInstanceStatus === 'available' && d.LatestRestorableTime);
await conn.query('CREATE TABLE l (n INT PRIMARY KEY, v VARCHAR(64))');
const dbi = (await describe('src')).DbiResourceId;
const base = backupStore(home).get(dbi).bases.at(-1);
const files = backupFiles(home, dbi);
const dataMB = Math.round(Number(execFileSync('du', ['-sm', path.join(files.base, base.id)], { encoding: 'utf8' }).split('\t')[0]));
let TRX = 0; // the rows of l so far: every restore must hold exactly these
/** Commits single-row transactions until l holds `n`, then waits until the archive holds them all. */
async function writeUpTo(n) {
  for (TRX++; TRX <= n; TRX++) await conn.query('INSERT INTO l VALUES (?, ?)', [TRX, `row ${TRX}`]);
  TRX = n;
  const endSecond = Math.floor(Date.now() / 1000) + 1;
  await waitFor('src', (d) => d.LatestRestorableTime.getTime() >= endSecond * 1000);
  return Number(execFileSync('du', ['-sk', files.binlogs], { encoding: 'utf8' }).split('\t')[0]) / 1024;
}

/** { connectMs: until the status takes connections, ms: until `available` } (statuses polled every 100 ms). */
async function viaEndpoint(k, retention) {
  const id = `r${TRX}-${k}-${retention}`;
  const t = performance.now();
  let connectMs;
  await rds.send(new RestoreDBInstanceToPointInTimeCommand({ SourceDBInstanceIdentifier: 'src', TargetDBInstanceIdentifier: id, UseLatestRestorableTime: true, BackupRetentionPeriod: retention }));
  await waitFor(id, (d) => d.DBInstanceStatus === 'available', (d) => { if (connectMs === undefined && !notServing(id, d.DBInstanceStatus)) connectMs = performance.now() - t; });
  const ms = performance.now() - t;
  const n = Number(rootSql(instancePaths(home, id).socket, 'SELECT COUNT(*) FROM app.l'));
  if (n !== TRX) throw new Error(`restore ${id} holds ${n} of ${TRX} rows`);
  await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
  for (;;) { try { await describe(id); await sleep(200); } catch { break; } }
  return { connectMs, ms };
}

async function byHand(k) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-raw-pitr-'));
  const sock = `${dir}/s.sock`;
  writeFileSync(`${dir}/my.cnf`, `[mariadbd]\nuser=root\ndatadir=${dir}/data\nsocket=${sock}\nskip-networking\npid-file=${dir}/m.pid\nlog-error=${dir}/err.log\nperformance_schema=OFF\nserver_id=${900 + k}\nlog_bin=binlog\ninnodb_log_file_size=48M\n`);
  const t = performance.now();
  execFileSync('cp', ['-a', path.join(files.base, base.id), `${dir}/backup`]);
  execFileSync('mariadb-backup', ['--prepare', `--target-dir=${dir}/backup`], { stdio: 'ignore' });
  execFileSync('mariadb-backup', ['--no-defaults', '--copy-back', `--target-dir=${dir}/backup`, `--datadir=${dir}/data`], { stdio: 'ignore' });
  const child = spawn('mariadbd', [`--defaults-file=${dir}/my.cnf`], { detached: true, stdio: 'ignore' });
  child.unref();
  for (;;) { try { rootSql(sock, 'SELECT 1'); break; } catch { await sleep(50); } }
  const binlogs = readdirSync(files.binlogs).filter((f) => /^binlog\.\d+$/.test(f)).sort().map((f) => path.join(files.binlogs, f));
  execSync(`mariadb-binlog --no-defaults --start-position=${base.gtid} ${binlogs.join(' ')} | mariadb --no-defaults --socket=${sock} -uroot --binary-mode`, { stdio: 'ignore' });
  const ms = performance.now() - t;
  const n = Number(rootSql(sock, 'SELECT COUNT(*) FROM app.l'));
  process.kill(child.pid, 'SIGTERM');
  for (let i = 0; i < 400; i++) { try { process.kill(child.pid, 0); await sleep(50); } catch { break; } }
  rmSync(dir, { recursive: true, force: true });
  if (n !== TRX) throw new Error(`hand restore holds ${n} of ${TRX} rows`);
  return ms;
}

const perN = [];
try {
  for (const N of NS) {
    const archiveMB = await writeUpTo(N);
    const raw = [], endpoint = [], withBase = [], withBaseConnect = [];
    for (let k = 1; k <= runs; k++) {
      raw.push(await byHand(k));
      endpoint.push((await viaEndpoint(k, 0)).ms);
      const b = await viaEndpoint(k, 1);
      withBase.push(b.ms);
      withBaseConnect.push(b.connectMs);
    }
    const r = {
      transactions: N, archiveMB: Number(archiveMB.toFixed(1)),
      rawMs: raw.map(Math.round), endpointMs: endpoint.map(Math.round),
      endpointWithOwnBaseConnectMs: withBaseConnect.map(Math.round), endpointWithOwnBaseMs: withBase.map(Math.round),
      ratios: {
        pitr: Number((median(endpoint) / median(raw)).toFixed(2)),
        pitrWithOwnBaseUntilConnect: Number((median(withBaseConnect) / median(raw)).toFixed(2)),
        pitrWithOwnBase: Number((median(withBase) / median(raw)).toFixed(2)),
      },
      loadAverage: loadavg(),
    };
    perN.push(r);
    console.log(`N=${N} (archive ${r.archiveMB} MB): raw ${Math.round(median(raw))} ms; endpoint ${r.ratios.pitr}× (${Math.round(median(endpoint))} ms); with its own first base backup: takes connections ${r.ratios.pitrWithOwnBaseUntilConnect}× (${Math.round(median(withBaseConnect))} ms), available ${r.ratios.pitrWithOwnBase}× (${Math.round(median(withBase))} ms); load ${r.loadAverage}`);
  }
} finally {
  await conn.end().catch(() => {});
  await stopLocalEndpoint(home);
  rmSync(home, { recursive: true, force: true });
}
const result = {
  runs, baseMB: dataMB, perN,
  ratios: Object.fromEntries(perN.flatMap((r) => Object.entries(r.ratios).map(([k, v]) => [`${k}@${r.transactions}`, v]))),
  loadAverageBefore: before, loadAverageAfter: loadavg(),
};
console.log(JSON.stringify(result, null, 2));
console.log(`RestoreDBInstanceToPointInTime (base ${dataMB} MB, until available) vs the raw pipeline by hand, per N transactions after the base: ${perN.map((r) => `${r.transactions}: ${r.ratios.pitr}×`).join(', ')} (goal ≤ 1.3×; load average ${before} → ${result.loadAverageAfter})`);
report(result);
