import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { runCli } from '../helpers/local-cli.js';
import { connect, createAvailable, sleep, startHarness, type Harness } from './endpoint-harness.js';

/**
 * The whole alarm path on real parts: the sampler reads DatabaseConnections from a real mariadbd
 * (Threads_connected) every 500 ms, the evaluator runs every 300 ms, and the alarm's actions go to a
 * webhook set with `rdsctl local notify`. The load is connections the test holds open, then closes.
 */
const ID = 'conn';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:dba';
const HELD = 10;
const saved = { ...process.env };
let h: Harness;
let cw: CloudWatchClient;
let server: http.Server;
const received: Array<{ AlarmName: string; OldStateValue: string; NewStateValue: string }> = [];

async function until(what: string, pred: () => Promise<boolean>, ms = 90_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) if (await pred()) return;
  throw new Error(`timed out: ${what}`);
}

beforeAll(async () => {
  process.env.RDSCTL_METRICS_INTERVAL_MS = '500';
  process.env.RDSCTL_ALARM_EVAL_MS = '300';
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c; });
    req.on('end', () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  h = await startHarness('alarm-conn');
  cw = new CloudWatchClient({ endpoint: h.info.url, region: h.info.region, maxAttempts: 1,
    credentials: { accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey } });
  const hook = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  expect((await runCli(['local', 'notify', TOPIC, '--webhook', hook], { env: { RDSCTL_HOME: h.home } })).code).toBe(0);
  await createAvailable(h, ID);
}, 240_000);
afterAll(async () => {
  process.env = saved;
  await new Promise((r) => server?.close(r));
  await h?.close();
});

/** The lowest DatabaseConnections sampled in the last `ms` (the instance's idle connections). */
async function lowest(ms: number): Promise<number | undefined> {
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(Date.now() - ms), EndTime: new Date(Date.now() + 1000),
    MetricDataQueries: [{ Id: 'c', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: ID }] }, Period: 1, Stat: 'Minimum' } }],
  }));
  const v = out.MetricDataResults![0].Values!;
  return v.length ? Math.min(...v) : undefined;
}

const state = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [`${ID}-connections`] }))).MetricAlarms![0].StateValue;

describe('an alarm on the real DatabaseConnections', () => {
  it('goes INSUFFICIENT_DATA → OK → ALARM while connections are held, back to OK when they close; the webhook gets each transition once', async () => {
    await until('idle connections sampled', async () => (await lowest(3000)) !== undefined);
    const idle = (await lowest(3000))!;
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: `${ID}-connections`, Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: ID }],
      Statistic: 'Minimum', Period: 10, EvaluationPeriods: 2, DatapointsToAlarm: 2, Threshold: idle + HELD / 2, ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [TOPIC], OKActions: [TOPIC], InsufficientDataActions: [TOPIC],
    }));
    await until('OK at idle', async () => (await state()) === 'OK', 30_000);

    const held = await Promise.all(Array.from({ length: HELD }, () => connect(h.home, ID, 'app')));
    try {
      await until('ALARM under the held connections', async () => (await state()) === 'ALARM');
    } finally {
      await Promise.all(held.map((c) => c.end()));
    }
    await until('OK once they are closed', async () => (await state()) === 'OK');
    await until('three deliveries', async () => received.length >= 3, 20_000);
    await sleep(3000); // ten more evaluations, no new transition: nothing more is sent

    expect(received.map((r) => `${r.AlarmName} ${r.OldStateValue}→${r.NewStateValue}`)).toEqual([
      `${ID}-connections INSUFFICIENT_DATA→OK`, `${ID}-connections OK→ALARM`, `${ID}-connections ALARM→OK`]);
    const hist = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: `${ID}-connections`, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    expect(hist.AlarmHistoryItems!.map((i) => i.HistorySummary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK']);
    const alarm = hist.AlarmHistoryItems![1];
    expect(alarm.HistoryData).toContain(`"threshold":${idle + HELD / 2}`);
  }, 300_000);
});
