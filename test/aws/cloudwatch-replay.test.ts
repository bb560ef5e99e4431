import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// `rdsctl metrics` / `rdsctl alarms` --target aws: the real CLI and SDK against assembled CloudWatch
// JSON 1.0 responses (fixtures/aws/cloudwatch/, see fixtures/aws/README.md), requests recorded.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const json = (r: RecordedRequest) => JSON.parse(r.body) as Record<string, any>;

function expectCloudWatchJson(req: RecordedRequest, op: string): void {
  expect(req.headers['content-type']).toContain('application/x-amz-json-1.0');
  expect(req.headers['x-amz-target']).toBe(`GraniteServiceVersion20100801.${op}`);
  expect(req.headers.authorization).toMatch(/\/us-east-1\/monitoring\/aws4_request/);
}

describe('rdsctl metrics --target aws', () => {
  it('sends one GetMetricData for the instance and shows the documented series in a person\'s units', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' }, GetMetricData: { file: 'cloudwatch/get-metric-data-dbi04.json' } });
    const r = await runRdsctl([...t.awsArgs(), 'metrics', 'myawsuser-dbi04', '--metric', 'CPUUtilization,FreeStorageSpace', '--since', '1h'], t.env);
    expect(r.code).toBe(0);
    const req = t.server.requests.find((x) => x.params.Action === 'GetMetricData')!;
    expectCloudWatchJson(req, 'GetMetricData');
    const body = json(req);
    expect(body.MetricDataQueries[0]).toEqual({ Id: 'm0', Label: 'CPUUtilization', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'myawsuser-dbi04' }] }, Period: 60, Stat: 'Average' } });
    expect(body.EndTime - body.StartTime).toBeCloseTo(3600, 0); // epoch seconds on the wire
    expect(r.stdout).toMatch(/^CPUUtilization\s+91\.0%\s+50\.3%\s+91\.0%\s+▁▄█$/m);
    expect(r.stdout).toMatch(/^FreeStorageSpace\s+9,728 MiB\s+10,069 MiB\s+10,240 MiB\s+██▁$/m);
  });
});

describe('rdsctl alarms apply --target aws', () => {
  it('writes the recommended alarms the instance allows; db.m1.small is not a class rdsctl knows, so memory and connections are skipped', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' }, DescribeAlarms: { file: 'cloudwatch/describe-alarms-empty.json' }, PutMetricAlarm: { file: 'cloudwatch/put-metric-alarm.json' } });
    const r = await runRdsctl([...t.awsArgs(), 'alarms', 'apply', 'myawsuser-dbi04', '--recommended', '--json'], t.env);
    expect(r.code).toBe(0);
    const puts = t.server.requests.filter((x) => x.params.Action === 'PutMetricAlarm');
    puts.forEach((p) => expectCloudWatchJson(p, 'PutMetricAlarm'));
    expect(puts.map((p) => json(p).AlarmName)).toEqual(['myawsuser-dbi04-CPUUtilization', 'myawsuser-dbi04-FreeStorageSpace', 'myawsuser-dbi04-ReadLatency', 'myawsuser-dbi04-WriteLatency']);
    expect(json(puts[1])).toMatchObject({ Statistic: 'Minimum', Threshold: Math.round(15 * 1024 ** 3 * 0.1), ComparisonOperator: 'LessThanThreshold' });
    expect(JSON.parse(r.stdout).data.Skipped.map((s: { metric: string }) => s.metric)).toEqual(['FreeableMemory', 'DatabaseConnections']);
  });

  it('an existing alarm with another threshold is updated, naming the field; --dry-run sends no PutMetricAlarm', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' }, DescribeAlarms: { file: 'cloudwatch/describe-alarms-dbi04-cpu.json' } });
    const r = await runRdsctl([...t.awsArgs(), 'alarms', 'apply', 'myawsuser-dbi04', '--recommended', '--dry-run'], t.env);
    expect(r.code).toBe(0);
    expect(t.server.requests.map((x) => x.params.Action)).not.toContain('PutMetricAlarm');
    expect(r.stdout).toMatch(/would update\s+myawsuser-dbi04-CPUUtilization: Average > 90 %, 5 of 5 × 60s \(AlarmDescription, Threshold\)/);
    const list = await runRdsctl([...t.awsArgs(), 'alarms', 'list', 'myawsuser-dbi04'], t.env);
    expect(list.stdout).toMatch(/myawsuser-dbi04-CPUUtilization\s+ALARM\s+CPUUtilization Average > 80 %/);
  });
});
