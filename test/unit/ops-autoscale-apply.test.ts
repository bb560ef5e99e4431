import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/local/engine/types.js';
import { instancePaths } from '../../src/local/engine/paths.js';
import { GiB, RDS_AUTOSCALE } from '../../src/local/ops/autoscale.js';
import { AUTOSCALE_EVENTS, autoscaleStep } from '../../src/local/ops/autoscale-apply.js';
import { createOpsContext } from '../../src/local/ops/context.js';
import { ensureHome } from '../../src/local/state/home.js';
import type { InstanceRecord } from '../../src/local/state/registry.js';

/**
 * The applying half on real state files (registry, events.jsonl, the metric store) in a temp home. No
 * engine call is made by autoscaleStep, so none is given; each usage figure is stored as FreeStorageSpace
 * (as the sampler does) and passed in as the storage check would.
 */
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-autoscale-apply-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
ensureHome(home);
const logged: string[] = [];
const ctx = createOpsContext({
  home, engine: {} as Engine, instancePaths, ca: { caCertFile: '', caKeyFile: '' }, engineVersion: '10.11.6', mysqlAvailable: false,
  log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
});
ctx.autoscale.settings = { ...RDS_AUTOSCALE }; // whatever RDSCTL_AUTOSCALE_* the shell running the tests has
const W = RDS_AUTOSCALE.windowMs;

function save(id: string, change: Partial<InstanceRecord>): void {
  ctx.registry.save({ id, allocatedStorage: 20, maxAllocatedStorage: 100, status: 'available', pending: {}, ...change } as InstanceRecord);
}
/** One storage check at t: the sampler's FreeStorageSpace point, then the decision. */
function step(id: string, usedBytes: number, t: number) {
  const allocated = ctx.registry.get(id)!.allocatedStorage;
  ctx.metrics.append('AWS/RDS', { DBInstanceIdentifier: id }, t, { FreeStorageSpace: [allocated * GiB - usedBytes, 'Bytes'] });
  return autoscaleStep(ctx, id, usedBytes, t);
}
const messages = (id: string) => ctx.events.read().filter((e) => e.SourceIdentifier === id).map((e) => e.Message);

describe('autoscaleStep', () => {
  it('grows after the window, records the change and RDS events, and drops an overtaken pending change', () => {
    save('a', { pending: { AllocatedStorage: 25 } });
    const t0 = Date.now();
    expect(step('a', 19 * GiB, t0)!.allocatedStorage).toBe(20); // low, window not passed
    expect(messages('a')).toEqual([]);
    const rec = step('a', 19 * GiB, t0 + W)!;
    expect(rec.allocatedStorage).toBe(30);
    expect(rec.pending.AllocatedStorage).toBeUndefined();
    expect(Date.parse(rec.lastStorageChange!)).toBeGreaterThanOrEqual(t0);
    expect(ctx.registry.get('a')!.allocatedStorage).toBe(30);
    expect(messages('a')).toEqual([AUTOSCALE_EVENTS.applying, AUTOSCALE_EVENTS.finished]);
    expect(logged.join('\n')).toContain('storage autoscaling of a: AllocatedStorage 20 → 30 GiB');
  });

  it('says once that the cooldown holds it, and again in a new low-storage episode', () => {
    save('b', { allocatedStorage: 30, lastStorageChange: new Date().toISOString() });
    const t0 = Date.now();
    for (let i = 0; i <= 3; i++) step('b', 29 * GiB, t0 + i * W);
    expect(ctx.registry.get('b')!.allocatedStorage).toBe(30);
    expect(messages('b')).toEqual([AUTOSCALE_EVENTS.cooldown]);
    step('b', 10 * GiB, t0 + 4 * W); // not low any more: the episode ends
    step('b', 29 * GiB, t0 + 5 * W);
    step('b', 29 * GiB, t0 + 6 * W);
    expect(messages('b')).toEqual([AUTOSCALE_EVENTS.cooldown, AUTOSCALE_EVENTS.cooldown]);
  });

  it('caps at MaxAllocatedStorage with the RDS warning, then reports the ceiling once', () => {
    save('c', { maxAllocatedStorage: 25 });
    const t0 = Date.now();
    step('c', 19 * GiB, t0);
    expect(step('c', 19 * GiB, t0 + W)!.allocatedStorage).toBe(25);
    step('c', 24 * GiB, t0 + 2 * W);
    step('c', 24 * GiB, t0 + 3 * W);
    expect(messages('c')).toEqual([AUTOSCALE_EVENTS.applying, AUTOSCALE_EVENTS.reachesMax, AUTOSCALE_EVENTS.finished, AUTOSCALE_EVENTS.ceiling(25)]);
  });

  it.each(['modifying', 'rebooting', 'stopped', 'failed'])('leaves a %s instance alone', (status) => {
    const id = `s-${status}`;
    save(id, { status });
    const t0 = Date.now();
    step(id, 19 * GiB, t0);
    expect(step(id, 19 * GiB, t0 + W)!.allocatedStorage).toBe(20);
    expect(messages(id)).toEqual([]);
  });

  it('grows a storage-full instance (the quota check then lifts read-only)', () => {
    save('d', { status: 'storage-full', readOnlyForStorage: true });
    const t0 = Date.now();
    step('d', 21 * GiB, t0);
    expect(step('d', 21 * GiB, t0 + W)!.allocatedStorage).toBe(30);
  });

  it('does nothing without MaxAllocatedStorage', () => {
    save('e', { maxAllocatedStorage: undefined });
    const t0 = Date.now();
    step('e', 21 * GiB, t0);
    expect(step('e', 21 * GiB, t0 + W)!.allocatedStorage).toBe(20);
    expect(messages('e')).toEqual([]);
  });
});
