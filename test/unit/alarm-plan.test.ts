import { describe, expect, it } from 'vitest';
import { planAlarms } from '../../src/core/plans/alarm-plan.js';
import { parsePeriod, parseSince, selectMetrics, sparkline } from '../../src/core/metrics-view.js';

const db = { id: 'shop', instanceClass: 'db.r6g.large', allocatedStorageGiB: 100 };

describe('recommended alarm plan (pure)', () => {
  it('thresholds from the instance: 25 % of 16 GiB, 10 % of 100 GiB, 90 % of max_connections', () => {
    const plan = planAlarms(db, []);
    const by = Object.fromEntries(plan.changes.map((c) => [c.alarm.MetricName, c.alarm]));
    expect(by.FreeableMemory).toMatchObject({ Threshold: 4 * 1024 ** 3, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 15, DatapointsToAlarm: 15 });
    expect(by.FreeStorageSpace).toMatchObject({ Statistic: 'Minimum', Threshold: 10 * 1024 ** 3 });
    expect(by.DatabaseConnections.Threshold).toBe(Math.floor(Math.floor((16 * 1024 ** 3) / 12582880) * 0.9));
    expect(by.CPUUtilization).toMatchObject({ Statistic: 'Average', Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5, Threshold: 90 });
    expect(by.ReadLatency).toMatchObject({ ExtendedStatistic: 'p90', Threshold: 0.02 });
    expect(by.ReplicaLag).toBeUndefined();
    expect(plan.changes.every((c) => c.action === 'create')).toBe(true);
  });

  it('storage autoscaling on: no FreeStorageSpace alarm, and says why; a replica gets ReplicaLag', () => {
    const plan = planAlarms({ ...db, maxAllocatedStorageGiB: 500, source: 'main' }, []);
    expect(plan.changes.map((c) => c.alarm.MetricName)).not.toContain('FreeStorageSpace');
    expect(plan.skipped).toEqual([{ metric: 'FreeStorageSpace', reason: 'storage autoscaling is on (up to 500 GiB)' }]);
    expect(plan.changes.map((c) => c.alarm.MetricName)).toContain('ReplicaLag');
  });

  it('idempotent: the alarms as DescribeAlarms returns them are kept; a changed threshold is an update naming the field', () => {
    const first = planAlarms(db, []).changes.map((c) => ({ ...c.alarm, StateValue: 'OK', AlarmArn: 'arn:x', InsufficientDataActions: [] }));
    expect(planAlarms(db, first).changes.every((c) => c.action === 'keep')).toBe(true);
    const bigger = planAlarms({ ...db, allocatedStorageGiB: 200 }, first).changes.filter((c) => c.action !== 'keep');
    expect(bigger.map((c) => [c.alarm.MetricName, c.differs])).toEqual([['FreeStorageSpace', ['AlarmDescription', 'Threshold']]]);
  });
});

describe('metrics view', () => {
  it('parses --since, --period, --metric; draws sparklines', () => {
    expect(parseSince('3h')).toBe(3 * 3600_000);
    expect(() => parseSince('16d')).toThrow(/--since/);
    expect(parsePeriod('300')).toBe(300);
    expect(() => parsePeriod('90')).toThrow(/multiple of 60/);
    expect(selectMetrics('cpuutilization,ReadLatency').map((m) => m.name)).toEqual(['CPUUtilization', 'ReadLatency']);
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5], 10)).toBe('▁▁▁');
  });
});
