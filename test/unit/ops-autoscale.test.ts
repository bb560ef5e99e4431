import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decideAutoscale, GiB, growthRate, isLow, lowSince, predictedShortfallGiB, RDS_AUTOSCALE, type AutoscaleInput, type UsageSample,
} from '../../src/local/ops/autoscale.js';
import { autoscaleSettingsFromEnv, keepMs, usageHistory } from '../../src/local/ops/autoscale-samples.js';
import { MetricStore } from '../../src/local/state/metric-store.js';
import { Registry, type InstanceRecord } from '../../src/local/state/registry.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 0, 1, 12);

/** Flat usage at `usedGiB` sampled every minute for `minutes` up to NOW. */
function flat(usedGiB: number, minutes: number): UsageSample[] {
  return Array.from({ length: minutes + 1 }, (_, i) => ({ at: NOW - (minutes - i) * MIN, usedBytes: usedGiB * GiB }));
}

/** Usage growing linearly by `perHourGiB`, ending at `endGiB` at NOW, sampled every minute for `minutes`. */
function rising(endGiB: number, perHourGiB: number, minutes: number): UsageSample[] {
  return Array.from({ length: minutes + 1 }, (_, i) => {
    const ago = (minutes - i) * MIN;
    return { at: NOW - ago, usedBytes: Math.round((endGiB - (perHourGiB * ago) / HOUR) * GiB) };
  });
}

const base: AutoscaleInput = { allocatedGiB: 100, maxAllocatedGiB: 1000, samples: flat(95, 10), now: NOW, settings: RDS_AUTOSCALE };

describe('decideAutoscale (RDS defaults: 5 min window, 6 h cooldown)', () => {
  const table: [string, Partial<AutoscaleInput>, { grow: boolean; newAllocated?: number; hold?: string; reachesMax?: boolean }][] = [
    ['low for 10 min, never changed: +10 GiB (10 GiB beats 10%)', {}, { grow: true, newAllocated: 110, reachesMax: false }],
    ['no MaxAllocatedStorage: off', { maxAllocatedGiB: undefined }, { grow: false, hold: 'off' }],
    ['no samples yet', { samples: [] }, { grow: false, hold: 'no-samples' }],
    ['free 11%: not low', { samples: flat(89, 10) }, { grow: false, hold: 'not-low' }],
    ['free exactly 10%: low', { samples: flat(90, 10) }, { grow: true, newAllocated: 110 }],
    ['used above allocated (storage-full) is low too', { samples: flat(101, 10) }, { grow: true, newAllocated: 110 }],
    ['low for 4 min: inside the window', { samples: [...flat(50, 20).slice(0, 16), ...flat(95, 4)] }, { grow: false, hold: 'window' }],
    ['low for exactly 5 min: grows (the jump from 50 GiB also predicts a large need)', { samples: [...flat(50, 20).slice(0, 15), ...flat(95, 5)] }, { grow: true }],
    ['a dip above 10% free restarts the window', { samples: [...flat(95, 10).slice(0, 8), { at: NOW - 2 * MIN, usedBytes: 80 * GiB }, ...flat(95, 1)] }, { grow: false, hold: 'window' }],
    ['changed 5 h ago: cooldown', { lastStorageChange: NOW - 5 * HOUR }, { grow: false, hold: 'cooldown' }],
    ['changed exactly 6 h ago: grows', { lastStorageChange: NOW - 6 * HOUR }, { grow: true, newAllocated: 110 }],
    ['10% beats 10 GiB on 500 GiB', { allocatedGiB: 500, samples: flat(480, 10) }, { grow: true, newAllocated: 550 }],
    ['10% rounds up to whole GiB', { allocatedGiB: 1001, maxAllocatedGiB: 5000, samples: flat(1000, 10) }, { grow: true, newAllocated: 1102 }],
    ['capped at MaxAllocatedStorage', { maxAllocatedGiB: 105 }, { grow: true, newAllocated: 105, reachesMax: true }],
    ['landing exactly on the max reaches it', { maxAllocatedGiB: 110 }, { grow: true, newAllocated: 110, reachesMax: true }],
    ['already at the max: ceiling', { allocatedGiB: 100, maxAllocatedGiB: 100 }, { grow: false, hold: 'ceiling' }],
    ['window is checked before the ceiling', { maxAllocatedGiB: 100, samples: flat(95, 2) }, { grow: false, hold: 'window' }],
    // 95 GiB now, +6 GiB/h → 137 GiB in 7 h → 37 GiB beyond 100 allocated beats 10 GiB.
    ['fast growth: predicted 7-hour need wins', { samples: rising(95, 6, 60) }, { grow: true, newAllocated: 137 }],
    ['predicted need still capped', { samples: rising(95, 6, 60), maxAllocatedGiB: 120 }, { grow: true, newAllocated: 120, reachesMax: true }],
    ['shrinking usage predicts nothing', { samples: rising(95, -6, 60).map((s) => ({ ...s, usedBytes: Math.max(s.usedBytes, 91 * GiB) })) }, { grow: true, newAllocated: 110 }],
  ];
  it.each(table)('%s', (_name, change, want) => {
    const d = decideAutoscale({ ...base, ...change });
    expect(d).toMatchObject(want);
    expect(d.reason.length).toBeGreaterThan(0);
  });

  it('honours shorter test windows and cooldowns', () => {
    const settings = { windowMs: 2_000, cooldownMs: 10_000 };
    const samples = [{ at: NOW - 3_000, usedBytes: 10 * GiB }, { at: NOW - 2_000, usedBytes: 19 * GiB }, { at: NOW, usedBytes: 19 * GiB }];
    expect(decideAutoscale({ allocatedGiB: 20, maxAllocatedGiB: 100, samples, now: NOW, settings })).toMatchObject({ grow: true });
    expect(decideAutoscale({ allocatedGiB: 20, maxAllocatedGiB: 100, samples, now: NOW, settings, lastStorageChange: NOW - 9_000 })).toMatchObject({ hold: 'cooldown' });
  });
});

describe('low storage and prediction', () => {
  it.each([
    [90, 100, true], [89.99, 100, false], [100, 100, true], [0.9, 1, true], [0.89, 1, false], [1, 0, true],
  ])('used %s GiB of %s GiB → low %s', (used, allocated, low) => {
    expect(isLow(Math.round(used * GiB), allocated)).toBe(low);
  });

  it('lowSince is the start of the unbroken low run that ends now', () => {
    const s = [{ at: 1, usedBytes: 95 * GiB }, { at: 2, usedBytes: 50 * GiB }, { at: 3, usedBytes: 95 * GiB }, { at: 4, usedBytes: 96 * GiB }];
    expect(lowSince(s, 100)).toBe(3);
    expect(lowSince([...s, { at: 5, usedBytes: 10 * GiB }], 100)).toBeUndefined();
  });

  it('a gap without measurements longer than the window breaks the low run', () => {
    const s = [{ at: 0, usedBytes: 95 * GiB }, { at: 10, usedBytes: 95 * GiB }, { at: 20, usedBytes: 95 * GiB }];
    expect(lowSince(s, 100, 10)).toBe(0);
    expect(lowSince(s, 100, 9)).toBe(20);
    expect(decideAutoscale({ ...base, samples: [...flat(95, 10).slice(0, 4), ...flat(95, 0)] })).toMatchObject({ hold: 'window' });
  });

  it('growth rate is the least-squares slope over the past hour only', () => {
    expect(growthRate(rising(50, 6, 60), NOW) * HOUR / GiB).toBeCloseTo(6, 6);
    const old = { at: NOW - 2 * HOUR, usedBytes: 0 }; // older than the lookback: ignored
    expect(growthRate([old, ...flat(50, 30)], NOW)).toBe(0);
    expect(growthRate([{ at: NOW, usedBytes: GiB }], NOW)).toBe(0);
  });

  it('predicted shortfall is what 7 hours of growth needs beyond the allocation', () => {
    expect(predictedShortfallGiB(rising(95, 6, 60), 100, NOW)).toBe(37);
    expect(predictedShortfallGiB(flat(95, 60), 100, NOW)).toBe(0);
    expect(predictedShortfallGiB([], 100, NOW)).toBe(0);
  });
});

describe('usage history from the metric store', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-autoscale-store-'));
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
  const settings = { windowMs: 35, cooldownMs: 0 };

  it('is the stored FreeStorageSpace of the lookback plus the newest point before its edge, then the measurement', () => {
    const store = new MetricStore(home, 24 * HOUR, () => NOW);
    for (let t = 0; t <= 100; t += 10) store.append('AWS/RDS', { DBInstanceIdentifier: 'db' }, NOW - HOUR - 50 + t, { FreeStorageSpace: [t * GiB, 'Bytes'] });
    const got = usageHistory(store, 'db', 100, { at: NOW, usedBytes: GiB }, settings);
    expect(got.map((s) => s.at - (NOW - HOUR))).toEqual([0, 10, 20, 30, 40, 50, HOUR]);
    expect(got.map((s) => s.usedBytes / GiB)).toEqual([50, 40, 30, 20, 10, 0, 1]); // 100 GiB allocated − free
    expect(usageHistory(store, 'other', 100, { at: NOW, usedBytes: GiB }, settings)).toEqual([{ at: NOW, usedBytes: GiB }]);
  });

  it('survives a restart: a new store on the same home has the same history', () => {
    const again = new MetricStore(home, 24 * HOUR, () => NOW);
    expect(usageHistory(again, 'db', 100, { at: NOW, usedBytes: GiB }, settings)).toHaveLength(7);
  });

  it('keeps at least the hour the prediction needs', () => {
    expect(keepMs(RDS_AUTOSCALE)).toBe(HOUR);
    expect(keepMs({ windowMs: 2 * HOUR, cooldownMs: 0 })).toBe(2 * HOUR);
  });
});

describe('autoscaleSettingsFromEnv', () => {
  it.each([
    [{}, RDS_AUTOSCALE, 0],
    [{ RDSCTL_AUTOSCALE_WINDOW_MS: '2000', RDSCTL_AUTOSCALE_COOLDOWN_MS: '0' }, { windowMs: 2000, cooldownMs: 0 }, 0],
    [{ RDSCTL_AUTOSCALE_WINDOW_MS: ' ' }, RDS_AUTOSCALE, 0],
    [{ RDSCTL_AUTOSCALE_WINDOW_MS: '5m' }, RDS_AUTOSCALE, 1],
    [{ RDSCTL_AUTOSCALE_COOLDOWN_MS: '-1' }, RDS_AUTOSCALE, 1],
    [{ RDSCTL_AUTOSCALE_COOLDOWN_MS: '1.5' }, RDS_AUTOSCALE, 1],
  ])('%j', (env, settings, problems) => {
    const got = autoscaleSettingsFromEnv(env);
    expect(got.settings).toEqual(settings);
    expect(got.problems).toHaveLength(problems);
  });
});

describe('lastStorageChange', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-autoscale-'));
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('is stamped by every registry update that changes AllocatedStorage, and only then', () => {
    const reg = new Registry(home);
    reg.save({ id: 'db', allocatedStorage: 20, pending: {} } as unknown as InstanceRecord);
    expect(reg.update('db', (r) => { r.deletionProtection = true; })!.lastStorageChange).toBeUndefined();
    const before = Date.now();
    const stamped = reg.update('db', (r) => { r.allocatedStorage = 22; })!.lastStorageChange!;
    expect(Date.parse(stamped)).toBeGreaterThanOrEqual(before);
    expect(reg.get('db')!.lastStorageChange).toBe(stamped);
  });
});
