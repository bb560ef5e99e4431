import { beforeAll, describe, expect, it } from 'vitest';
import { useMotoCli } from '../helpers/moto.js';

// `rdsctl metrics` and `rdsctl alarms` on the aws target, against moto_server's CloudWatch (JSON 1.0 from
// the SDK). moto stores alarms but never evaluates them (a new alarm is OK there, INSUFFICIENT_DATA on
// AWS and on the local endpoint) and has no AWS/RDS metrics: neither is asserted beyond what moto models.
const PASSWORD = 'Moto-test-Passw0rd';
const moto = useMotoCli(PASSWORD, 'AKIDMOTOTEST00000001');
const rdsctl = moto.rdsctl;

beforeAll(async () => {
  const r = await rdsctl('provision', 'shop', '--engine', 'mysql', '--class', 'db.t4g.small', '--storage', '20');
  expect(r.code).toBe(0);
});

describe('rdsctl metrics and alarms --target aws against moto_server', () => {
  it('alarms apply --recommended writes the set to CloudWatch, a second run changes nothing, delete --all removes it', async () => {
    const first = await rdsctl('alarms', 'apply', 'shop', '--recommended');
    expect(first.code).toBe(0);
    expect(first.doc.data.Changes.map((c: { action: string }) => c.action)).toEqual(Array(6).fill('create'));
    const second = await rdsctl('alarms', 'apply', 'shop', '--recommended');
    expect(second.doc.data.Changes.map((c: { action: string; differs: string[] }) => [c.action, c.differs])).toEqual(Array(6).fill(['keep', []]));
    const list = await rdsctl('alarms', 'list', 'shop');
    const alarms = list.doc.data.MetricAlarms as { AlarmName: string; Threshold: number; Namespace: string }[];
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(['shop-CPUUtilization', 'shop-DatabaseConnections', 'shop-FreeStorageSpace', 'shop-FreeableMemory', 'shop-ReadLatency', 'shop-WriteLatency']);
    expect(alarms.find((a) => a.AlarmName === 'shop-FreeableMemory')!.Threshold).toBe(0.25 * 2 * 1024 ** 3); // db.t4g.small: 2 GiB
    const del = await rdsctl('alarms', 'delete', 'shop', '--all');
    expect(del.doc.data.Deleted).toHaveLength(6);
    expect((await rdsctl('alarms', 'list')).doc.data.MetricAlarms).toEqual([]);
  });

  it('metrics: GetMetricData through moto answers (no AWS/RDS datapoints there), one JSON document', async () => {
    const r = await rdsctl('metrics', 'shop', '--metric', 'CPUUtilization,FreeStorageSpace');
    expect(r.code).toBe(0);
    expect(r.doc.data.Metrics.map((m: { name: string; raw: number[] }) => [m.name, m.raw])).toEqual([['CPUUtilization', []], ['FreeStorageSpace', []]]);
  });
});
