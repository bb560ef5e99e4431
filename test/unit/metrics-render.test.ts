import { describe, expect, it } from 'vitest';
import type { DBInstance } from '@aws-sdk/client-rds';
import { renderMetrics } from '../../src/cli/render/metrics.js';
import { backupsText } from '../../src/cli/render/status.js';

const cpu = (values: number[]) => ({ name: 'CPUUtilization', show: '%', values, latest: values.at(-1), average: values[0], max: Math.max(...values) });

describe('rdsctl metrics header', () => {
  it('says how many periods the chart holds, not its width (QA: "last 17 × 60s" over 2 points)', () => {
    const head = (values: number[]) => renderMetrics('shop', '3h', 60, [cpu(values)], 80).split('\n')[2];
    expect(head(Array.from({ length: 3 }, (_, i) => i))).toMatch(/ last 3 × 60s$/);
    expect(head(Array.from({ length: 500 }, (_, i) => i))).toMatch(/ last \d\d × 60s$/);
    expect(Number(/last (\d+) ×/.exec(head(Array.from({ length: 500 }, (_, i) => i)))![1])).toBeGreaterThan(3);
    expect(renderMetrics('shop', '3h', 60, [{ name: 'CPUUtilization', show: '%', values: [] }], 80).split('\n')[2]).toMatch(/ chart$/);
  });
});

describe('rdsctl status: backups line', () => {
  it.each<[Partial<DBInstance>, string]>([
    [{ BackupRetentionPeriod: 7, LatestRestorableTime: new Date('2014-04-25T19:25:00Z') }, 'latest restorable 2014-04-25 19:25:00 UTC (7 days kept)'],
    [{ BackupRetentionPeriod: 1, LatestRestorableTime: new Date('2026-12-01T11:59:30.250Z') }, 'latest restorable 2026-12-01 11:59:30 UTC (1 day kept)'],
    [{ BackupRetentionPeriod: 0, LatestRestorableTime: new Date('2014-04-25T19:25:00Z') }, 'automated backups off (BackupRetentionPeriod 0)'],
    [{ BackupRetentionPeriod: 7 }, 'latest restorable time not reported yet (7 days kept)'],
  ])('%j → %s', (db, text) => {
    expect(backupsText(db as DBInstance)).toBe(text);
  });
});
