import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, DescribeAlarmHistoryCommand, GetMetricDataCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';

// Alarm actions on the local target: an SNS topic ARN is delivered to what `rdsctl local notify` set
// (a webhook, a command), once per transition, retried, and the outcome is in the alarm's history.
const DBA = 'arn:aws:sns:us-east-1:000000000000:dba';
const FLAKY = 'arn:aws:sns:us-east-1:000000000000:flaky';
const CMD = 'arn:aws:sns:us-east-1:000000000000:pager';
let home: string;
let cw: CloudWatchClient;
let server: http.Server;
let hookUrl: string;
const received: Array<{ path: string; body: { AlarmName: string; NewStateValue: string; OldStateValue: string; TopicArn: string } }> = [];
let flakyCalls = 0;
const env = () => ({ RDSCTL_HOME: home, RDSCTL_ALARM_EVAL_MS: '500' });
const cli = (args: string[]) => runCli(args, { env: env() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) if (await pred()) return;
  throw new Error(`timed out: ${what}`);
}

beforeAll(async () => {
  home = await tempHome('rdsctl-alarm-delivery-');
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c; });
    req.on('end', () => {
      if (req.url === '/flaky' && ++flakyCalls === 1) { res.writeHead(500).end(); return; } // the first try fails
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  expect((await cli(['local', 'start', '--json'])).code).toBe(0);
  const exports = Object.fromEntries([...(await cli(['local', 'env'])).stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
  cw = new CloudWatchClient({ endpoint: exports.AWS_ENDPOINT_URL, region: exports.AWS_REGION, maxAttempts: 1,
    credentials: { accessKeyId: exports.AWS_ACCESS_KEY_ID, secretAccessKey: exports.AWS_SECRET_ACCESS_KEY } });
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (home) await cleanupHome(home);
});

describe('alarm actions on the local target', () => {
  it('rdsctl local notify sets, lists and refuses bad input (exit 2)', async () => {
    expect((await cli(['local', 'notify', DBA, '--webhook', `${hookUrl}/hook`])).code).toBe(0);
    expect((await cli(['local', 'notify', FLAKY, '--webhook', `${hookUrl}/flaky`])).code).toBe(0);
    expect((await cli(['local', 'notify', CMD, '--command', `cat > ${path.join(home, 'paged.json')}`])).code).toBe(0);
    const listed = await cli(['local', 'notify']);
    expect(listed.stdout).toContain(`${DBA}  →  webhook ${hookUrl}/…`);
    expect((await cli(['local', 'notify', 'not-an-arn', '--webhook', hookUrl])).code).toBe(2);
    expect((await cli(['local', 'notify', DBA, '--webhook', 'ftp://x'])).code).toBe(2);
    expect((await cli(['local', 'notify', DBA])).code).toBe(2); // neither --webhook, --command nor --remove
  });

  it('a real threshold crossing delivers once per transition: ALARM to the webhook, the command and (after a retry) the flaky webhook; OK once', async () => {
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'orders backlog', Namespace: 'Test/Queue', MetricName: 'Depth', Dimensions: [{ Name: 'Q', Value: 'orders' }],
      Statistic: 'Maximum', Period: 10, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [DBA, FLAKY, CMD], OKActions: [DBA] }));
    const p = Math.floor(Date.now() / 10_000) * 10_000;
    const at = (k: number, v: number) => ({ MetricName: 'Depth', Dimensions: [{ Name: 'Q', Value: 'orders' }], Timestamp: new Date(p + k * 10_000 + 5000), Value: v });
    // Two high periods (the one before now and the current one), so the alarm sees the crossing for 10 s
    // or more after this put, however late in a period it comes (CI once put at a period's end and the
    // next evaluation already read the low period: no ALARM at all). Then low periods for the OK.
    await cw.send(new PutMetricDataCommand({ Namespace: 'Test/Queue', MetricData: [at(-1, 50), at(0, 50), at(1, 1), at(2, 1), at(3, 1)] }));
    await until('ALARM delivered', () => received.some((r) => r.path === '/hook' && r.body.NewStateValue === 'ALARM'));
    await until('flaky delivered after a retry', () => received.some((r) => r.path === '/flaky'), 15_000);
    await until('command ran', () => existsSync(path.join(home, 'paged.json')));
    const paged = JSON.parse(readFileSync(path.join(home, 'paged.json'), 'utf8')) as { AlarmName: string; NewStateValue: string; TopicArn: string };
    expect(paged).toMatchObject({ AlarmName: 'orders backlog', NewStateValue: 'ALARM', TopicArn: CMD });
    await until('OK delivered', () => received.some((r) => r.path === '/hook' && r.body.NewStateValue === 'OK'), 45_000);
    await sleep(2000); // more evaluations, no new transition: nothing more is sent
    const mine = received.filter((r) => r.body.AlarmName === 'orders backlog');
    expect(mine.map((r) => `${r.path} ${r.body.OldStateValue}→${r.body.NewStateValue}`).sort()).toEqual([
      '/flaky INSUFFICIENT_DATA→ALARM', '/hook ALARM→OK', '/hook INSUFFICIENT_DATA→ALARM']);
    expect(flakyCalls).toBe(2);
    const hist = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'orders backlog', HistoryItemType: 'Action' }));
    const summaries = hist.AlarmHistoryItems!.map((i) => i.HistorySummary);
    expect(summaries).toContain(`Successfully executed action ${FLAKY}`);
    expect(JSON.parse(hist.AlarmHistoryItems!.find((i) => i.HistorySummary === `Successfully executed action ${FLAKY}`)!.HistoryData!)).toMatchObject({ attempts: 2 });
    expect(summaries.filter((s) => s === `Successfully executed action ${DBA}`)).toHaveLength(2);
  }, 90_000);

  it('SetAlarmState fires the new state\'s actions (how a DBA tests a notification); a topic without a target is recorded as not delivered', async () => {
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'manual', Namespace: 'Test/Manual', MetricName: 'X', Statistic: 'Average', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [DBA, 'arn:aws:sns:us-east-1:000000000000:nobody'] }));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'manual', StateValue: 'ALARM', StateReason: 'testing the pager' }));
    await until('manual delivered', () => received.some((r) => r.body.AlarmName === 'manual'));
    await until('not-delivered recorded', async () => {
      const h = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'manual', HistoryItemType: 'Action' }));
      return h.AlarmHistoryItems!.some((i) => i.HistorySummary?.startsWith('Action not delivered: no local target for arn:aws:sns:us-east-1:000000000000:nobody'));
    });
  });

  it('a PutMetricData the SDK gzips (bodies over 10 KB: requestCompression) is accepted and read back', async () => {
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const data = Array.from({ length: 900 }, (_, i) => ({ MetricName: `M${i % 15}`, Dimensions: [{ Name: 'Shard', Value: 'big' }], Timestamp: new Date(end - Math.floor(i / 15) * 60_000), Value: i }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'Test/Big', MetricData: data }));
    const out = await cw.send(new GetMetricDataCommand({ StartTime: new Date(end - 3_600_000), EndTime: new Date(end + 60_000),
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'Test/Big', MetricName: 'M0', Dimensions: [{ Name: 'Shard', Value: 'big' }] }, Period: 60, Stat: 'Sum' } }] }));
    expect(out.MetricDataResults![0].Values).toHaveLength(60);
  });
});
