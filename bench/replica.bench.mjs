// Add one read replica of an instance holding ~100 MB: CreateDBInstanceReadReplica on the local endpoint
// (until `available`, i.e. replicating and caught up) vs the raw pipeline by hand on the same source
// (mariadb-backup --backup + --prepare + --copy-back + start mariadbd + CHANGE MASTER over TLS + caught up).
// Prints the ratio (goal ≤ 1.3×) and the load average; not a test. Needs `npm run build` and root.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(repo, 'dist', p));
const { ensureLocalEndpoint, stopLocalEndpoint } = await dist('local/control/endpoint.js');
const { readLocalCredentials } = await dist('local/control/credentials.js');
const { instancePaths } = await dist('local/engine/paths.js');
const { RDSClient, CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, DeleteDBInstanceCommand, DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
const mysql = await import('mysql2/promise');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Number(process.env.BENCH_RUNS ?? 3);
const MB = Number(process.env.BENCH_MB ?? 100);

const home = mkdtempSync(path.join(os.tmpdir(), 'bench-replica-'));
const info = await ensureLocalEndpoint(home);
const rds = new RDSClient({ endpoint: info.url, region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey }, maxAttempts: 1 });
const status = async (id) => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances[0].DBInstanceStatus;
async function waitStatus(id, want) {
  for (;;) {
    const s = await status(id);
    if (s === want) return;
    if (s === 'failed') throw new Error(`${id} failed`);
    await sleep(100);
  }
}
const src = instancePaths(home, 'src');
const rootSql = (socket, sql) => execFileSync('mariadb', [`--socket=${socket}`, '-uroot', '-N', '-B', '-e', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const loadavg = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

const before = loadavg();
await rds.send(new CreateDBInstanceCommand({
  DBInstanceIdentifier: 'src', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
  MasterUsername: 'admin', ManageMasterUserPassword: true, DBName: 'app', StorageEncrypted: false,
}));
await waitStatus('src', 'available');
const cred = await readLocalCredentials(home, 'src');
const conn = await mysql.createConnection({ host: cred.host, port: cred.port, user: cred.username, password: cred.password, database: 'app', ssl: { ca: readFileSync(cred.caFile, 'utf8') } });
await conn.query('CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(1000))');
for (let i = 0; i < MB; i++) await conn.query(`INSERT INTO t SELECT seq + ${i * 1000}, REPEAT('x', 1000) FROM seq_1_to_1000`);
await conn.end();
const rows = Number(rootSql(src.socket, 'SELECT COUNT(*) FROM app.t'));
const dataMB = Math.round(Number(execFileSync('du', ['-sm', src.datadir], { encoding: 'utf8' }).split('\t')[0]));

async function viaEndpoint(k) {
  const id = `r${k}`;
  const t = performance.now();
  await rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: id, SourceDBInstanceIdentifier: 'src' }));
  await waitStatus(id, 'available');
  const ms = performance.now() - t;
  await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
  for (;;) { try { await status(id); await sleep(200); } catch { break; } }
  return ms;
}

async function byHand(k) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-raw-replica-'));
  const port = 30000 + Math.floor(Math.random() * 20000);
  const sock = `${dir}/s.sock`;
  writeFileSync(`${dir}/my.cnf`, `[mariadbd]\nuser=root\ndatadir=${dir}/data\nsocket=${sock}\nport=${port}\nbind-address=127.0.0.1\npid-file=${dir}/m.pid\nlog-error=${dir}/err.log\nperformance_schema=OFF\nserver_id=${900 + k}\nrelay_log=relay-bin\nread_only=ON\nskip_slave_start\ninnodb_log_file_size=48M\n`);
  const t = performance.now();
  execFileSync('mariadb-backup', [`--defaults-file=${src.configFile}`, '--user=root', '--backup', `--target-dir=${dir}/backup`], { stdio: 'ignore' });
  execFileSync('mariadb-backup', ['--prepare', `--target-dir=${dir}/backup`], { stdio: 'ignore' });
  execFileSync('mariadb-backup', ['--no-defaults', '--copy-back', `--target-dir=${dir}/backup`, `--datadir=${dir}/data`], { stdio: 'ignore' });
  const gtid = readFileSync(`${dir}/backup/xtrabackup_binlog_info`, 'utf8').trim().split(/\s+/)[2] ?? '';
  const child = spawn('mariadbd', [`--defaults-file=${dir}/my.cnf`], { detached: true, stdio: 'ignore' });
  child.unref();
  for (;;) { try { rootSql(sock, 'SELECT 1'); break; } catch { await sleep(50); } }
  rootSql(src.socket, `SET sql_log_bin=0; CREATE USER IF NOT EXISTS raw${k}@'127.0.0.1' IDENTIFIED BY 'Raw-pass-${k}' REQUIRE SSL; GRANT REPLICATION SLAVE ON *.* TO raw${k}@'127.0.0.1'`);
  rootSql(sock, `SET GLOBAL gtid_slave_pos='${gtid}'; CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${cred.port}, MASTER_USER='raw${k}', MASTER_PASSWORD='Raw-pass-${k}', MASTER_USE_GTID=slave_pos, MASTER_SSL=1, MASTER_SSL_CA='${cred.caFile}', MASTER_SSL_VERIFY_SERVER_CERT=1; START SLAVE`);
  const target = rootSql(src.socket, 'SELECT @@gtid_binlog_pos');
  for (;;) {
    const row = rootSql(sock, "SELECT @@gtid_slave_pos, (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='SLAVE_RUNNING')");
    const [pos, running] = row.split('\t');
    if (pos === target && running === 'ON') break;
    await sleep(50);
  }
  const ms = performance.now() - t;
  process.kill(child.pid, 'SIGTERM');
  for (let i = 0; i < 400; i++) { try { process.kill(child.pid, 0); await sleep(50); } catch { break; } }
  rootSql(src.socket, `SET sql_log_bin=0; DROP USER raw${k}@'127.0.0.1'`);
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

const raw = [], endpoint = [];
try {
  for (let k = 1; k <= runs; k++) {
    raw.push(await byHand(k));
    endpoint.push(await viaEndpoint(k));
  }
} finally {
  await stopLocalEndpoint(home);
  rmSync(home, { recursive: true, force: true });
}
const result = {
  runs, rows, datadirMB: dataMB, rawMs: raw.map(Math.round), endpointMs: endpoint.map(Math.round),
  rawMedianMs: Math.round(median(raw)), endpointMedianMs: Math.round(median(endpoint)),
  ratio: Number((median(endpoint) / median(raw)).toFixed(2)), loadAverageBefore: before, loadAverageAfter: loadavg(),
};
console.log(JSON.stringify(result, null, 2));
console.log(`CreateDBInstanceReadReplica (${rows} rows, datadir ${dataMB} MB, until available) = ${result.ratio}× the raw pipeline by hand (${result.endpointMedianMs} vs ${result.rawMedianMs} ms; goal ≤ 1.3×; load average ${before} → ${result.loadAverageAfter})`);
