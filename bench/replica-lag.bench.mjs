// Replica lag under a fixed write rate (issue 7 §4): one local source and one read replica made through
// the endpoint; a paced writer commits RATE single-row transactions per second for SECONDS; every 100 ms
// the replica's Seconds_Behind_Master (SHOW SLAVE STATUS, as the master user: SLAVE MONITOR) and its GTID
// distance (the source's @@gtid_binlog_pos vs the replica's @@gtid_slave_pos) are sampled.
// Prints p50 / p99 / max of both and the writes achieved; there is no anchor tool for lag, so the
// "ratio" reported is achieved / asked write rate. Not a test. Needs `npm run build` and root.
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './result.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(repo, 'dist', p));
const { ensureLocalEndpoint, stopLocalEndpoint } = await dist('local/control/endpoint.js');
const { readLocalCredentials } = await dist('local/control/credentials.js');
const { gtidDistance } = await dist('core/gtid.js');
const { RDSClient, CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
const mysql = await import('mysql2/promise');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const RATE = Number(process.env.BENCH_LAG_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 20);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};

const home = mkdtempSync(path.join(os.tmpdir(), 'bench-replica-lag-'));
const loadBefore = os.loadavg()[0];
try {
  const info = await ensureLocalEndpoint(home);
  const rds = new RDSClient({ endpoint: info.url, region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey }, maxAttempts: 1 });
  const waitAvailable = async (id) => {
    for (;;) {
      const s = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances[0].DBInstanceStatus;
      if (s === 'available') return;
      if (s === 'failed') throw new Error(`${id} failed`);
      await sleep(100);
    }
  };
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'src', DBInstanceClass: 'db.t4g.small', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', ManageMasterUserPassword: true, DBName: 'app', BackupRetentionPeriod: 1, StorageEncrypted: true,
  }));
  await waitAvailable('src');
  await rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'rep', SourceDBInstanceIdentifier: 'src' }));
  await waitAvailable('rep');
  const open = async (id) => {
    const c = await readLocalCredentials(home, id);
    return mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: (await readLocalCredentials(home, 'src')).password, ssl: { ca: readFileSync(c.caFile, 'utf8') } });
  };
  const writer = await open('src');
  const watcher = await open('src');
  const replica = await open('rep');
  await writer.query('CREATE TABLE app.events (id BIGINT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6) NOT NULL, pad VARCHAR(200))');

  let written = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  const writing = (async () => {
    // Paced by schedule (not by completion): the k-th commit is due at start + k / RATE.
    for (let k = 0; performance.now() < end; k++) {
      const due = start + (k * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await writer.query("INSERT INTO app.events (at, pad) VALUES (NOW(6), REPEAT('x', 200))");
      written++;
    }
  })();
  const seconds = [];
  const gtids = [];
  while (performance.now() < end) {
    const [[s]] = await replica.query('SHOW SLAVE STATUS');
    if (s?.Seconds_Behind_Master !== null && s?.Seconds_Behind_Master !== undefined) seconds.push(Number(s.Seconds_Behind_Master));
    const [[p]] = await watcher.query('SELECT @@gtid_binlog_pos AS pos');
    const [[r]] = await replica.query('SELECT @@gtid_slave_pos AS pos');
    const d = gtidDistance(p.pos, r.pos);
    if (d !== undefined) gtids.push(d);
    await sleep(100);
  }
  await writing;
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all([writer.end(), watcher.end(), replica.end()]);
  const achieved = written / elapsed;
  const result = {
    ratios: { achievedVsAskedWriteRate: achieved / RATE },
    askedRate: RATE, achievedRate: Math.round(achieved), seconds: SECONDS, samples: gtids.length,
    secondsBehind: { p50: pct(seconds, 50), p99: pct(seconds, 99), max: seconds.length ? Math.max(...seconds) : null },
    gtidDistance: { p50: pct(gtids, 50), p99: pct(gtids, 99), max: gtids.length ? Math.max(...gtids) : null },
    loadavg: [loadBefore, os.loadavg()[0]].map((x) => Number(x.toFixed(1))),
  };
  console.log(`replica lag at ${RATE} commits/s asked (${result.achievedRate} achieved) for ${SECONDS} s, encrypted db.t4g.small, ${result.samples} samples:`);
  console.log(`  Seconds_Behind_Master p50 ${result.secondsBehind.p50} · p99 ${result.secondsBehind.p99} · max ${result.secondsBehind.max}`);
  console.log(`  GTID distance (transactions) p50 ${result.gtidDistance.p50} · p99 ${result.gtidDistance.p99} · max ${result.gtidDistance.max}`);
  console.log(`  load average ${result.loadavg.join(' → ')}`);
  report(result);
} finally {
  await stopLocalEndpoint(home).catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}
