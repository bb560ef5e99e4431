import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand,
  GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { connect, createAvailable, sleep, startHarness, type Harness } from './endpoint-harness.js';

/**
 * CloudWatch on the local endpoint, against a real mariadbd: the sampler (fast: every 500 ms) reads the
 * process and the server; the SDK (JSON 1.0), the AWS CLI on this machine and a hand-signed Query
 * request read it back; custom metrics go in with PutMetricData; datapoints survive a restart.
 */
const run = promisify(execFile);
let h: Harness;
let cw: CloudWatchClient;
const ID = 'mon';
const dims = [{ Name: 'DBInstanceIdentifier', Value: ID }];
const saved = { ...process.env };

beforeAll(async () => {
  process.env.RDSCTL_METRICS_INTERVAL_MS = '500';
  process.env.RDSCTL_STORAGE_CHECK_MS = '1000';
  process.env.RDSCTL_ALARM_EVAL_MS = '300';
  h = await startHarness('ep-metrics');
  cw = client();
  await createAvailable(h, ID);
}, 240_000);
afterAll(async () => {
  process.env = saved;
  await h?.close();
});

function client(): CloudWatchClient {
  return new CloudWatchClient({ endpoint: h.info.url, region: h.info.region, maxAttempts: 1, credentials: { accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey } });
}

/** The latest datapoint (Maximum over 1 s periods) of an AWS/RDS metric in the last `sinceMs`. */
async function latest(metric: string, sinceMs = 10_000, stat = 'Maximum'): Promise<number | undefined> {
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(Date.now() - sinceMs), EndTime: new Date(Date.now() + 1000),
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: metric, Dimensions: dims }, Period: 1, Stat: stat } }],
  }));
  return out.MetricDataResults![0].Values![0]; // TimestampDescending: newest first
}

async function until(what: string, pred: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) if (await pred()) return;
  throw new Error(`timed out: ${what}`);
}

/** Runs `fn` while one session spins a CPU-bound query; the query is killed afterwards (rds_kill_query, as a DBA on RDS). */
async function whileBusy(fn: () => Promise<void>): Promise<void> {
  const c = await connect(h.home, ID);
  const [[{ id }]] = (await c.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
  const busy = c.query("SELECT BENCHMARK(2000000000, SHA2('x', 256))").catch(() => undefined);
  try {
    await fn();
  } finally {
    const killer = await connect(h.home, ID);
    await killer.query('CALL mysql.rds_kill_query(?)', [id]);
    await killer.end();
    await busy;
    await c.end();
  }
}

describe('AWS/RDS metrics from the real server', () => {
  it('DatabaseConnections equals the connections the test holds open (plus the sampler\'s own)', async () => {
    await until('a first sample', async () => (await latest('DatabaseConnections')) !== undefined);
    // The control plane's own short connections (the binlog archive check, a second's mariadb client) can
    // sit in one sample: the base is the lowest over three seconds, as the connections the server keeps.
    let base = Infinity;
    for (let i = 0; i < 6; i++, await sleep(500)) base = Math.min(base, (await latest('DatabaseConnections', 1500, 'Minimum')) ?? Infinity);
    const held = await Promise.all([1, 2, 3, 4, 5].map(() => connect(h.home, ID)));
    try {
      await until('5 more connections', async () => (await latest('DatabaseConnections', 1500, 'Minimum')) === base + 5);
    } finally {
      await Promise.all(held.map((c) => c.end()));
    }
  }, 60_000);

  it('a busy query loop raises CPUUtilization well above idle', async () => {
    const idle = (await latest('CPUUtilization', 3000, 'Average')) ?? 0;
    let peak = 0;
    // One busy thread on a 2-vCPU class is at most 50 %; this machine is shared, so ask for a clear rise only.
    await whileBusy(() => until('CPU above 10 %', async () => (peak = Math.max(peak, (await latest('CPUUtilization', 1500, 'Maximum')) ?? 0)) > 10));
    expect(idle).toBeLessThan(5);
    expect(peak).toBeLessThanOrEqual(100);
  }, 60_000);

  it('inserting 64 MiB lowers FreeStorageSpace by about that (table and binlog both hold it: 1–3×)', async () => {
    const MiB = 1024 * 1024;
    await until('FreeStorageSpace', async () => (await latest('FreeStorageSpace')) !== undefined);
    const before = (await latest('FreeStorageSpace', 3000, 'Minimum'))!;
    const c = await connect(h.home, ID, 'app');
    try {
      await c.query('CREATE TABLE blobs (id INT AUTO_INCREMENT PRIMARY KEY, b LONGBLOB)');
      // The MiB is built on the server: a 1 MiB literal sent by the client would also land in the binlog
      // twice more (as hex text in the Annotate_rows event), and the drop measured would be ~4×, not 2×.
      for (let i = 0; i < 64; i++) await c.query('INSERT INTO blobs (b) VALUES (REPEAT(CHAR(?), ?))', [65 + (i % 26), MiB]);
    } finally {
      await c.end();
    }
    let drop = 0;
    await until('a drop of 64 MiB or more', async () => (drop = before - ((await latest('FreeStorageSpace', 1500, 'Minimum')) ?? before)) >= 64 * MiB, 20_000);
    expect(drop).toBeLessThanOrEqual(3 * 64 * MiB);
  }, 60_000);

  it('FreeableMemory, FreeStorageSpace, BinLogDiskUsage and the rates are there, in CloudWatch units', async () => {
    const GiB = 1024 ** 3;
    const mem = (await latest('FreeableMemory'))!;
    expect(mem).toBeGreaterThan(0);
    expect(mem).toBeLessThan(1 * GiB); // db.t4g.micro has 1 GiB, mariadbd uses some of it
    await until('FreeStorageSpace', async () => (await latest('FreeStorageSpace')) !== undefined);
    const free = (await latest('FreeStorageSpace'))!;
    expect(free).toBeLessThan(20 * GiB);
    expect(free).toBeGreaterThan(19 * GiB);
    expect(await latest('BinLogDiskUsage')).toBeGreaterThan(0);
    const stats = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/RDS', MetricName: 'NetworkTransmitThroughput', Dimensions: dims, Period: 60,
      StartTime: new Date(Date.now() - 600_000), EndTime: new Date(), Statistics: ['Average', 'SampleCount'], ExtendedStatistics: ['p90'],
    }));
    expect(stats.Datapoints!.length).toBeGreaterThan(0);
    expect(stats.Datapoints![0]).toMatchObject({ Unit: 'Bytes/Second' });
    expect(stats.Datapoints![0].SampleCount).toBeGreaterThan(1);
    expect(stats.Datapoints![0].ExtendedStatistics!.p90).toBeGreaterThan(0);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/RDS', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: ID }] }));
    const names = listed.Metrics!.map((m) => m.MetricName).sort();
    for (const n of ['CPUUtilization', 'DatabaseConnections', 'FreeableMemory', 'FreeStorageSpace', 'ReadIOPS', 'WriteIOPS', 'ReadThroughput',
      'WriteThroughput', 'NetworkReceiveThroughput', 'NetworkTransmitThroughput', 'BinLogDiskUsage']) expect(names).toContain(n);
    expect(names).not.toContain('ReplicaLag'); // not a replica
  });
});

describe('custom metrics, errors, protocols', () => {
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;

  it('PutMetricData then GetMetricData: periods aligned, statistics and percentiles as CloudWatch computes them', async () => {
    await cw.send(new PutMetricDataCommand({ Namespace: 'Test/App', MetricData: [
      { MetricName: 'Load', Dimensions: [{ Name: 'Shard', Value: 'a' }], Timestamp: new Date(t0 + 1000), Values: [1, 2, 3, 4, 10], Unit: 'Count' },
      { MetricName: 'Load', Dimensions: [{ Name: 'Shard', Value: 'a' }], Timestamp: new Date(t0 + 61_000), Value: 7, Unit: 'Count' },
    ] }));
    const q = (Id: string, Stat: string) => ({ Id, MetricStat: { Metric: { Namespace: 'Test/App', MetricName: 'Load', Dimensions: [{ Name: 'Shard', Value: 'a' }] }, Period: 60, Stat } });
    const out = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(t0), EndTime: new Date(t0 + 180_000), ScanBy: 'TimestampAscending',
      MetricDataQueries: [q('avg', 'Average'), q('mx', 'Maximum'), q('n', 'SampleCount'), q('p', 'p90')],
    }));
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]));
    expect(byId.avg.Timestamps!.map((d: Date) => d.getTime())).toEqual([t0, t0 + 60_000]);
    expect(byId.avg.Values).toEqual([4, 7]);
    expect(byId.mx.Values).toEqual([10, 7]);
    expect(byId.n.Values).toEqual([5, 1]);
    expect(byId.p.Values).toEqual([10, 7]);
    expect(byId.avg).toMatchObject({ Label: 'Load', StatusCode: 'Complete' });
  });

  it('refuses what CloudWatch refuses: a bad period, an AWS/ namespace, a bad statistic', async () => {
    const err = (p: Promise<unknown>) => p.then(() => undefined, (e: { name: string; message: string }) => e);
    const bad = await err(cw.send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - 60_000), EndTime: new Date(),
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Dimensions: dims }, Period: 45, Stat: 'Average' } }] })));
    expect(bad).toMatchObject({ name: 'InvalidParameterValueException', Code: 'InvalidParameterValue' });
    expect(bad!.message).toContain('multiple of 60');
    const aws = await err(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/RDS', MetricData: [{ MetricName: 'CPUUtilization', Value: 1 }] })));
    expect(aws).toMatchObject({ name: 'InvalidParameterValueException', Code: 'InvalidParameterValue' });
    const stat = await err(cw.send(new GetMetricStatisticsCommand({ Namespace: 'Test/App', MetricName: 'Load', Period: 60,
      StartTime: new Date(Date.now() - 60_000), EndTime: new Date(), Statistics: ['Median' as 'Average'] })));
    expect(stat).toMatchObject({ name: 'InvalidParameterValueException', Code: 'InvalidParameterValue' });
  });

  it('the Query protocol (older AWS CLIs) gets the same answer as XML', async () => {
    const url = new URL(h.info.url);
    const body = new URLSearchParams({
      Action: 'GetMetricStatistics', Version: '2010-08-01', Namespace: 'Test/App', MetricName: 'Load',
      'Dimensions.member.1.Name': 'Shard', 'Dimensions.member.1.Value': 'a', Period: '60',
      StartTime: new Date(t0).toISOString(), EndTime: new Date(t0 + 180_000).toISOString(), 'Statistics.member.1': 'Maximum',
    }).toString();
    const signer = new SignatureV4({ service: 'monitoring', region: h.info.region, sha256: Sha256, applyChecksum: false, credentials: { accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey } });
    const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', body,
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' } }));
    const res = await fetch(h.info.url, { method: 'POST', headers: signed.headers, body });
    const xml = await res.text();
    expect(res.status).toBe(200);
    expect(xml).toContain('<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
    expect(xml).toMatch(/<Datapoints><member><Timestamp>[^<]+<\/Timestamp><Maximum>10<\/Maximum><Unit>Count<\/Unit><\/member><member>/);
  });

  it('the AWS CLI on this machine (botocore: JSON 1.0 for CloudWatch) reads the instance\'s metrics', async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: h.info.accessKeyId, AWS_SECRET_ACCESS_KEY: h.info.secretAccessKey, AWS_DEFAULT_REGION: h.info.region,
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const { stdout } = await run('aws', ['--endpoint-url', h.info.url, 'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/RDS',
      '--metric-name', 'DatabaseConnections', '--dimensions', `Name=DBInstanceIdentifier,Value=${ID}`, '--period', '60',
      '--start-time', new Date(Date.now() - 600_000).toISOString(), '--end-time', new Date().toISOString(), '--statistics', 'Maximum', '--output', 'json'], { env });
    const out = JSON.parse(stdout) as { Label: string; Datapoints: { Maximum: number; Unit: string }[] };
    expect(out.Label).toBe('DatabaseConnections');
    expect(out.Datapoints[0]).toMatchObject({ Unit: 'Count' });
    expect(out.Datapoints[0].Maximum).toBeGreaterThanOrEqual(5);
  });

  it('datapoints survive a control-plane restart', async () => {
    const before = await latest('DatabaseConnections', 600_000, 'SampleCount');
    await h.restart();
    cw = client();
    const out = await cw.send(new GetMetricDataCommand({ StartTime: new Date(t0), EndTime: new Date(t0 + 180_000),
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'Test/App', MetricName: 'Load', Dimensions: [{ Name: 'Shard', Value: 'a' }] }, Period: 60, Stat: 'Maximum' } }] }));
    expect(out.MetricDataResults![0].Values).toEqual([7, 10]);
    expect(before).toBeGreaterThan(0);
  }, 120_000);
});

async function alarmState(name: string) {
  const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return out.MetricAlarms![0];
}

describe('alarms that evaluate', () => {
  it('INSUFFICIENT_DATA → ALARM → OK as PutMetricData datapoints cross the threshold (2 of 2 ten-second periods)', async () => {
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'queue deep', Namespace: 'Test/Queue', MetricName: 'Depth', Dimensions: [{ Name: 'Q', Value: 'orders' }],
      Statistic: 'Average', Period: 10, EvaluationPeriods: 2, DatapointsToAlarm: 2, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:dba'] }));
    await sleep(1000); // several evaluations with no data
    const first = await alarmState('queue deep');
    expect(first).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', AlarmActions: ['arn:aws:sns:us-east-1:000000000000:dba'], DatapointsToAlarm: 2 });
    const p = Math.floor(Date.now() / 10_000) * 10_000;
    const at = (k: number, v: number) => ({ MetricName: 'Depth', Dimensions: [{ Name: 'Q', Value: 'orders' }], Timestamp: new Date(p + k * 10_000 + 5000), Value: v });
    // High in the two periods before this one and in this one; low in the next three.
    await cw.send(new PutMetricDataCommand({ Namespace: 'Test/Queue', MetricData: [at(-2, 9), at(-1, 8), at(0, 12), at(1, 1), at(2, 2), at(3, 1)] }));
    await until('ALARM', async () => (await alarmState('queue deep')).StateValue === 'ALARM', 5000);
    const alarm = await alarmState('queue deep');
    expect(alarm.StateReason).toMatch(/^Threshold Crossed: 2 out of the last 2 datapoints \[[\d.]+ \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\), [\d.]+ .*\] were greater than the threshold \(5\.0\)/);
    await until('OK', async () => (await alarmState('queue deep')).StateValue === 'OK', 45_000);
    const hist = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'queue deep', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    expect(hist.AlarmHistoryItems!.map((i) => i.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK']);
    const data = JSON.parse(hist.AlarmHistoryItems![0].HistoryData!) as { oldState: { stateValue: string }; newState: { stateValue: string } };
    expect(data).toMatchObject({ oldState: { stateValue: 'INSUFFICIENT_DATA' }, newState: { stateValue: 'ALARM' } });
  }, 70_000);

  it('an alarm on the real CPUUtilization of a loaded instance reaches ALARM; SetAlarmState and DeleteAlarms as CloudWatch', async () => {
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'mon-cpu', Namespace: 'AWS/RDS', MetricName: 'CPUUtilization', Dimensions: dims,
      Statistic: 'Maximum', Period: 10, EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' }));
    await until('OK while idle', async () => (await alarmState('mon-cpu')).StateValue === 'OK', 25_000);
    await whileBusy(() => until('ALARM under load', async () => (await alarmState('mon-cpu')).StateValue === 'ALARM', 30_000));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'mon-cpu', StateValue: 'OK', StateReason: 'testing' }));
    const err = await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['mon-cpu', 'nope'] })).then(() => undefined, (e: { name: string }) => e);
    expect(err).toMatchObject({ name: 'ResourceNotFound' });
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'mon-' }))).MetricAlarms).toHaveLength(1); // nothing deleted
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['mon-cpu'] }));
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'mon-' }))).MetricAlarms).toEqual([]);
  }, 90_000);
});

describe('boto3 (a client nobody here wrote)', () => {
  it('get_metric_data, put_metric_alarm and describe_alarms against the endpoint', async () => {
    const script = [
      'import boto3, datetime, json, sys',
      'cw = boto3.client("cloudwatch")',
      'now = datetime.datetime.now(datetime.timezone.utc)',
      `r = cw.get_metric_data(StartTime=now - datetime.timedelta(minutes=10), EndTime=now, MetricDataQueries=[{"Id": "c", "MetricStat": {"Metric": {"Namespace": "AWS/RDS", "MetricName": "DatabaseConnections", "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "${ID}"}]}, "Period": 60, "Stat": "Maximum"}}])`,
      `cw.put_metric_alarm(AlarmName="boto-conn", Namespace="Boto/Empty", MetricName="Nothing", Statistic="Maximum", Period=60, EvaluationPeriods=1, Threshold=500, ComparisonOperator="GreaterThanThreshold")`,
      'a = cw.describe_alarms(AlarmNames=["boto-conn"])["MetricAlarms"][0]',
      'res = r["MetricDataResults"][0]',
      'print(json.dumps({"values": res["Values"], "ts": type(res["Timestamps"][0]).__name__, "state": a["StateValue"], "threshold": a["Threshold"], "updated": type(a["StateUpdatedTimestamp"]).__name__}))',
    ].join('\n');
    const env = { ...process.env, AWS_ACCESS_KEY_ID: h.info.accessKeyId, AWS_SECRET_ACCESS_KEY: h.info.secretAccessKey, AWS_DEFAULT_REGION: h.info.region,
      AWS_ENDPOINT_URL: h.info.url, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const { stdout } = await run('python3', ['-c', script], { env });
    // The alarm watches a metric with no data, so it stays INSUFFICIENT_DATA whenever the evaluator runs.
    const out = JSON.parse(stdout) as { values: number[]; ts: string; state: string; threshold: number; updated: string };
    expect(out.values.length).toBeGreaterThan(0);
    expect(out.values[0]).toBeGreaterThanOrEqual(1);
    expect(out).toMatchObject({ ts: 'datetime', state: 'INSUFFICIENT_DATA', threshold: 500, updated: 'datetime' });
  }, 60_000);
});
