import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bucketize, parseStat, statOf, validPeriod } from '../../src/core/metric-stats.js';
import { MetricStore } from '../../src/local/state/metric-store.js';
import { inputOf } from '../../src/local/ops/metrics-input.js';
import { deriveMetrics } from '../../src/local/ops/metrics-derive.js';
import { parseCpuTicks } from '../../src/local/ops/metrics-sources.js';

const homes: string[] = [];
afterAll(() => homes.forEach((h) => fs.rmSync(h, { recursive: true, force: true })));
const tmpHome = () => {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-metric-store-'));
  homes.push(h);
  return h;
};

describe('statistics', () => {
  it('computes CloudWatch statistics and nearest-rank percentiles', () => {
    const v = [1, 2, 3, 4, 10];
    expect([statOf('Average', v), statOf('Sum', v), statOf('SampleCount', v), statOf('Minimum', v), statOf('Maximum', v)]).toEqual([4, 20, 5, 1, 10]);
    expect(statOf('p50', v)).toBe(3);
    expect(statOf('p90', v)).toBe(10);
    expect(parseStat('Median')).toBeUndefined();
    expect(parseStat('p99.9')).toEqual({ kind: 'percentile', p: 99.9 });
  });

  it('periods: 1, 5, 10, 30 or multiples of 60; buckets aligned to the epoch, empty ones left out', () => {
    expect([1, 5, 10, 30, 60, 300].every(validPeriod)).toBe(true);
    expect([0, 2, 45, 90, 61.5].some(validPeriod)).toBe(false);
    const b = bucketize([{ t: 59_000, v: 1 }, { t: 61_000, v: 2 }, { t: 200_000, v: 3 }], 0, 240_000, 60);
    expect(b).toEqual([{ start: 0, values: [1] }, { start: 60_000, values: [2] }, { start: 180_000, values: [3] }]);
  });
});

describe('metric store', () => {
  it('survives a reopen, skips a torn last line, drops points past the retention', () => {
    const home = tmpHome();
    let now = 10 * 3600_000;
    const a = new MetricStore(home, 3600_000, () => now);
    a.append('AWS/RDS', { DBInstanceIdentifier: 'x' }, now - 2 * 3600_000, { CPUUtilization: [50, 'Percent'] });
    a.append('AWS/RDS', { DBInstanceIdentifier: 'x' }, now - 60_000, { CPUUtilization: [5, 'Percent'], DatabaseConnections: [3, 'Count'] });
    const file = path.join(a.dir, fs.readdirSync(a.dir)[0]);
    fs.appendFileSync(file, '{"t":1,"ns":"AWS/R'); // a crash in the middle of a write
    now += 1000;
    const b = new MetricStore(home, 3600_000, () => now);
    expect(b.get('AWS/RDS', 'CPUUtilization', { DBInstanceIdentifier: 'x' })!.points).toEqual([{ t: now - 61_000, v: 5 }]);
    expect(b.get('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: 'x' })!.unit).toBe('Count');
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1); // compacted at load
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('metric store compaction', () => {
  it('keeps two points of one series at the same time (two PutMetricData calls) through a compaction and a reopen', () => {
    const home = tmpHome();
    const now = 10 * 3600_000;
    const a = new MetricStore(home, 3600_000, () => now);
    for (let i = 0; i < 1001; i++) a.append('Test/App', { Q: 'a' }, now - 1000, { Depth: [i, 'Count'] }); // the 1001st line compacts
    const file = path.join(a.dir, fs.readdirSync(a.dir)[0]);
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1001);
    expect(new MetricStore(home, 3600_000, () => now).get('Test/App', 'Depth', { Q: 'a' })!.points).toHaveLength(1001);
  });
});

describe('inputs and derivation', () => {
  it('Query params become the JSON structure', () => {
    const flat = { Action: 'GetMetricData', Version: '2010-08-01', 'MetricDataQueries.member.1.Id': 'a',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'DBInstanceIdentifier',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'shop', 'MetricDataQueries.member.1.MetricStat.Period': '60',
      'Statistics.member.1': 'Average', '__proto__.x': 'y' };
    expect(inputOf({ service: 'monitoring', action: 'GetMetricData', flat, requestId: '', accessKeyId: '', region: '' })).toEqual({
      MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: { Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'shop' }] }, Period: '60' } }],
      Statistics: ['Average'],
    });
  });

  it('CPU from utime+stime ticks over elapsed time and vCPUs; rates from deltas', () => {
    expect(parseCpuTicks('123 (mariadbd (x)) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0')).toBe(200);
    const base = { rssBytes: 100, readBytes: 0, writeBytes: 0, binlogBytes: 7, status: { Threads_connected: 2, Bytes_sent: 0 } };
    const prev = { ...base, at: 0, cpuTicks: 0 };
    const cur = { ...base, at: 2000, cpuTicks: 200, writeBytes: 4096, status: { Threads_connected: 3, Bytes_sent: 1000 } };
    const m = deriveMetrics(prev, cur, { vcpu: 2, memoryBytes: 1000, allocatedBytes: 50, usedBytes: 20 });
    expect(m.CPUUtilization).toEqual([50, 'Percent']); // 2 s of CPU in 2 s on 2 vCPUs
    expect(m.WriteThroughput).toEqual([2048, 'Bytes/Second']);
    expect(m.NetworkTransmitThroughput).toEqual([500, 'Bytes/Second']);
    expect(m.FreeableMemory).toEqual([900, 'Bytes']);
    expect(m.FreeStorageSpace).toEqual([30, 'Bytes']);
    expect(m.DatabaseConnections).toEqual([3, 'Count']);
    expect(m.ReplicaLag).toBeUndefined();
    expect(deriveMetrics(undefined, cur, { vcpu: 2, memoryBytes: 1000, allocatedBytes: 50 }).CPUUtilization).toBeUndefined();
  });
});
