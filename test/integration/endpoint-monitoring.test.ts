import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDBInstanceReadReplicaCommand, DeleteDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand } from '@aws-sdk/client-rds';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { createAvailable, describe1, errorName, sleep, startHarness, waitAvailable, type Harness } from './endpoint-harness.js';

/**
 * MonitoringInterval on a real instance: the sampler reads it every MonitoringInterval seconds, a
 * ModifyDBInstance changes that at once, 0 is basic monitoring (one sample a minute). Basic monitoring
 * keeps its real minute here (no RDSCTL_METRICS_INTERVAL_MS), so every datapoint counted is the interval's.
 */
const ID = 'em';
const ROLE = 'arn:aws:iam::123456789012:role/rds-monitoring-role';
const saved = { ...process.env };
let h: Harness;
let cw: CloudWatchClient;

beforeAll(async () => {
  delete process.env.RDSCTL_METRICS_INTERVAL_MS;
  h = await startHarness('ep-monitoring');
  cw = new CloudWatchClient({ endpoint: h.info.url, region: h.info.region, maxAttempts: 1,
    credentials: { accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey } });
  await createAvailable(h, ID, { MonitoringInterval: 1, MonitoringRoleArn: ROLE });
}, 240_000);
afterAll(async () => {
  process.env = saved;
  await h?.close();
});

/** How many samples of the instance were stored in [from, to) (one DatabaseConnections point per sample). */
async function samples(from: number, to: number, id = ID): Promise<number> {
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(from), EndTime: new Date(to),
    MetricDataQueries: [{ Id: 'n', MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Dimensions: [{ Name: 'DBInstanceIdentifier', Value: id }] }, Period: 1, Stat: 'SampleCount' } }],
  }));
  return out.MetricDataResults![0].Values!.reduce((a, b) => a + b, 0);
}

/** Samples taken during the next `ms` (whole seconds: the store is queried on 1 s periods). */
async function countFor(ms: number, id = ID): Promise<number> {
  const from = Math.ceil(Date.now() / 1000) * 1000;
  await sleep(from + ms - Date.now() + 300);
  return samples(from, from + ms, id);
}

const modify = (extra: Record<string, unknown>) => h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, ...extra }));

describe('MonitoringInterval', () => {
  it('is returned by Describe and samples the instance every second at 1', async () => {
    expect(await describe1(h, ID)).toMatchObject({ MonitoringInterval: 1, MonitoringRoleArn: ROLE });
    const n = await countFor(8000);
    expect(n).toBeGreaterThanOrEqual(6);
    expect(n).toBeLessThanOrEqual(9);
  }, 60_000);

  it('CreateDBInstanceReadReplica takes the replica\'s own MonitoringInterval (ModifyDBInstance\'s rule); default 0, not the source\'s', async () => {
    const replica = (extra: Record<string, unknown>, id = 'em-r') =>
      h.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: id, SourceDBInstanceIdentifier: ID, ...extra }));
    expect(await errorName(replica({ MonitoringInterval: 7, MonitoringRoleArn: ROLE }))).toBe('InvalidParameterValue');
    expect(await errorName(replica({ MonitoringInterval: 10 }))).toBe('InvalidParameterCombination'); // no role
    expect(await errorName(replica({ MonitoringInterval: 0, MonitoringRoleArn: ROLE }))).toBe('InvalidParameterCombination');
    expect(await errorName(h.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'em-r' })))).toBe('DBInstanceNotFoundFault');

    expect((await replica({ MonitoringInterval: 1, MonitoringRoleArn: ROLE })).DBInstance).toMatchObject({ MonitoringInterval: 1, MonitoringRoleArn: ROLE });
    expect((await replica({}, 'em-r0')).DBInstance).toMatchObject({ MonitoringInterval: 0 });
    await waitAvailable(h, 'em-r');
    await waitAvailable(h, 'em-r0');
    expect(await describe1(h, 'em-r')).toMatchObject({ MonitoringInterval: 1, MonitoringRoleArn: ROLE, ReadReplicaSourceDBInstanceIdentifier: ID });
    const r0 = await describe1(h, 'em-r0');
    expect(r0.MonitoringInterval).toBe(0);
    expect(r0.MonitoringRoleArn).toBeUndefined();
    const n = await countFor(6000, 'em-r');
    expect(n).toBeGreaterThanOrEqual(4);
    expect(n).toBeLessThanOrEqual(7);
    for (const id of ['em-r', 'em-r0']) await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
  }, 240_000);

  it('a modify to 5 takes effect at once: a sample every 5 s', async () => {
    expect((await modify({ MonitoringInterval: 5 })).DBInstance).toMatchObject({ MonitoringInterval: 5, MonitoringRoleArn: ROLE });
    await sleep(1500);
    const n = await countFor(15_000);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(4);
  }, 60_000);

  it('refuses what RDS refuses and changes nothing', async () => {
    expect(await errorName(modify({ MonitoringInterval: 7 }))).toBe('InvalidParameterValue');
    expect(await errorName(modify({ MonitoringInterval: 30, MonitoringRoleArn: 'not-a-role' }))).toBe('InvalidParameterValue');
    expect(await errorName(modify({ MonitoringInterval: 0, MonitoringRoleArn: ROLE }))).toBe('InvalidParameterCombination');
    expect(await describe1(h, ID)).toMatchObject({ MonitoringInterval: 5, MonitoringRoleArn: ROLE });
  });

  it('0 is basic monitoring: no sample for a while (one a minute), the role detached', async () => {
    const db = (await modify({ MonitoringInterval: 0 })).DBInstance!;
    expect(db.MonitoringInterval).toBe(0);
    expect(db.MonitoringRoleArn).toBeUndefined();
    await sleep(1000);
    expect(await countFor(15_000)).toBeLessThanOrEqual(1);
    expect(await errorName(modify({ MonitoringInterval: 10 }))).toBe('InvalidParameterCombination'); // the role is needed again
  }, 60_000);
});
