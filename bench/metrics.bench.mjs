// The metrics sampler's cost and GetMetricData's latency (issue 9 §Benchmarks). One local instance in one
// run: the control plane first with sampling off (RDSCTL_METRICS_INTERVAL_MS=off: no sampler; the anchor),
// then on with basic monitoring (MonitoringInterval 0: a sample a minute) and with MonitoringInterval 1.
// In each, CPU of mariadbd and of the control plane (Δ utime+stime of /proc/<pid>/stat) over WINDOW s idle,
// then WINDOW s under a paced point-select load (the same RATE queries/s from this process every time).
// Then 3 h of 1-minute data for 15 metrics (PutMetricData, a custom namespace: AWS/ is refused) and
// GetMetricData for all 15 over the SDK (HTTP + SigV4), REPS times: median / p95 ms.
// Not a test. Needs `npm run build` and root (mariadbd runs as rdsctl-mysql).
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './result.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(repo, 'dist', p));
const { ensureLocalEndpoint, stopLocalEndpoint } = await dist('local/control/endpoint.js');
const { readLocalCredentials } = await dist('local/control/credentials.js');
const { instancePaths } = await dist('local/engine/paths.js');
const { RDSClient, CreateDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
const { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
const mysql = await import('mysql2/promise');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const WINDOW = Number(process.env.BENCH_METRICS_WINDOW ?? 30);
const RATE = Number(process.env.BENCH_METRICS_RATE ?? 500);
const REPS = Number(process.env.BENCH_METRICS_REPS ?? 50);
const ROLE = 'arn:aws:iam::123456789012:role/rds-monitoring-role';
const METRICS = ['CPUUtilization', 'DatabaseConnections', 'FreeableMemory', 'FreeStorageSpace', 'ReadIOPS', 'WriteIOPS', 'ReadThroughput',
  'WriteThroughput', 'ReadLatency', 'WriteLatency', 'DiskQueueDepth', 'NetworkReceiveThroughput', 'NetworkTransmitThroughput', 'BinLogDiskUsage', 'ReplicaLag'];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ticks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(x[11]) + Number(x[12]);
};
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const home = mkdtempSync(path.join(os.tmpdir(), 'bench-metrics-'));
const ID = 'bm';
let info;
let rds;
const start = async (interval) => {
  process.env.RDSCTL_METRICS_INTERVAL_MS = interval;
  info = await ensureLocalEndpoint(home);
  rds = new RDSClient({ endpoint: info.url, region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey }, maxAttempts: 1 });
};
const waitAvailable = async () => {
  for (;;) {
    const s = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: ID }))).DBInstances[0].DBInstanceStatus;
    if (s === 'available') return;
    if (s === 'failed') throw new Error(`${ID} failed`);
    await sleep(200);
  }
};
const open = async () => {
  const c = await readLocalCredentials(home, ID);
  return mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password, database: 'app', ssl: { ca: readFileSync(c.caFile, 'utf8') } });
};

/** CPU % of one core of mariadbd and of the control plane over WINDOW s, with or without the paced load. */
async function measure(label, loaded) {
  const db = Number(readFileSync(instancePaths(home, ID).pidFile, 'utf8').trim());
  const conn = loaded ? await open() : undefined;
  const cp = info.pid;
  const [d0, c0, t0] = [ticks(db), ticks(cp), performance.now()];
  let queries = 0;
  if (conn) {
    for (let k = 0; performance.now() < t0 + WINDOW * 1000; k++) {
      const wait = t0 + (k * 1000) / RATE - performance.now();
      if (wait > 0) await sleep(wait);
      await conn.query('SELECT v FROM kv WHERE id = ?', [1 + (k % 10_000)]);
      queries++;
    }
  } else await sleep(WINDOW * 1000);
  const s = (performance.now() - t0) / 1000;
  const [dbPct, cpPct] = [(ticks(db) - d0) / s, (ticks(cp) - c0) / s]; // ticks are 1/100 s: ticks/s = % of a core
  await conn?.end();
  const row = { label, loaded, seconds: Number(s.toFixed(1)), qps: loaded ? Math.round(queries / s) : 0, mariadbdPct: Number(dbPct.toFixed(2)), controlPlanePct: Number(cpPct.toFixed(2)), load: load() };
  console.log(`${label.padEnd(22)} ${loaded ? `loaded ${row.qps} q/s` : 'idle          '}  mariadbd ${row.mariadbdPct.toFixed(2)} %  control plane ${row.controlPlanePct.toFixed(2)} %  (load ${row.load})`);
  return row;
}

try {
  await start('off');
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: ID, DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'Bench-secret-1', DBName: 'app',
  }));
  await waitAvailable();
  const setup = await open();
  await setup.query('CREATE TABLE kv (id INT PRIMARY KEY, v VARCHAR(100))');
  await setup.query("INSERT INTO kv SELECT seq, REPEAT('v', 100) FROM seq_1_to_10000");
  await setup.end();
  console.log(`machine: ${os.cpus().length} cores, load average ${load()} at start; windows of ${WINDOW} s, load ${RATE} point selects/s`);
  const rows = [];
  const phase = async (label) => {
    await sleep(3000); // let the start settle
    rows.push(await measure(label, false), await measure(label, true));
  };
  await phase('sampling off');
  await stopLocalEndpoint(home);
  await start(''); // the real default: basic monitoring once a minute
  await waitAvailable();
  await phase('basic (60 s)');
  await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, MonitoringInterval: 1, MonitoringRoleArn: ROLE }));
  await phase('MonitoringInterval 1');

  // GetMetricData: 3 h of 1-minute data across 15 metrics.
  const cw = new CloudWatchClient({ endpoint: info.url, region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey }, maxAttempts: 1 });
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const dims = [{ Name: 'DBInstanceIdentifier', Value: ID }];
  for (let m = 0; m < 180; m += 60) {
    const data = METRICS.flatMap((name) => Array.from({ length: 60 }, (_, i) => ({ MetricName: name, Dimensions: dims, Timestamp: new Date(end - (180 - m - i) * 60_000), Value: Math.random() * 100 })));
    for (let i = 0; i < data.length; i += 1000) await cw.send(new PutMetricDataCommand({ Namespace: 'Bench/RDS', MetricData: data.slice(i, i + 1000) }));
  }
  const query = new GetMetricDataCommand({ StartTime: new Date(end - 180 * 60_000), EndTime: new Date(end), MetricDataQueries: METRICS.map((name, i) => (
    { Id: `m${i}`, MetricStat: { Metric: { Namespace: 'Bench/RDS', MetricName: name, Dimensions: dims }, Period: 60, Stat: 'Average' } })) });
  const ms = [];
  let points = 0;
  for (let i = 0; i < REPS + 5; i++) {
    const t = performance.now();
    const out = await cw.send(query);
    if (i >= 5) ms.push(performance.now() - t); // 5 warm-up calls
    points = out.MetricDataResults.reduce((a, r) => a + r.Values.length, 0);
  }
  const gmd = { points, reps: REPS, medianMs: Number(pct(ms, 50).toFixed(1)), p95Ms: Number(pct(ms, 95).toFixed(1)), load: load() };
  console.log(`GetMetricData, 15 metrics × 3 h of 1-minute data (${points} points) over HTTP+SigV4: median ${gmd.medianMs} ms, p95 ${gmd.p95Ms} ms (load ${gmd.load})`);

  const by = (label, loaded) => rows.find((r) => r.label === label && r.loaded === loaded);
  const extra = (label, loaded) => Number(((by(label, loaded).mariadbdPct + by(label, loaded).controlPlanePct) - (by('sampling off', loaded).mariadbdPct + by('sampling off', loaded).controlPlanePct)).toFixed(2));
  const ratios = {
    idleOverheadPctBasic: extra('basic (60 s)', false), loadedOverheadPctBasic: extra('basic (60 s)', true),
    idleOverheadPct1s: extra('MonitoringInterval 1', false), loadedOverheadPct1s: extra('MonitoringInterval 1', true),
  };
  console.log(`overhead vs off (mariadbd + control plane, % of one core): basic idle ${ratios.idleOverheadPctBasic}, loaded ${ratios.loadedOverheadPctBasic}; 1 s idle ${ratios.idleOverheadPct1s}, loaded ${ratios.loadedOverheadPct1s}`);
  report({ ratios, rows, getMetricData: gmd, window: WINDOW, rate: RATE });
} finally {
  await stopLocalEndpoint(home).catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}
