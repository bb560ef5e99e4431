import type { InstanceRecord } from '../state/registry.js';
import { decideAutoscale, type AutoscaleDecision, type HoldReason } from './autoscale.js';
import { usageHistory } from './autoscale-samples.js';
import type { OpsContext } from './context.js';

/** RDS's own event messages (USER_Events.Messages), so scripts written against RDS match them. */
export const AUTOSCALE_EVENTS = {
  applying: 'Applying autoscaling-initiated modification to allocated storage.', // RDS-EVENT-0217
  finished: 'Finished applying autoscaling-initiated modification to allocated storage.', // RDS-EVENT-0218
  reachesMax: 'Storage autoscaling has triggered a pending scale storage task that will reach or exceed the maximum storage threshold. Increase the maximum storage threshold.', // RDS-EVENT-0224
  // RDS-EVENT-0220 without "We're optimizing your DB instance": the local endpoint has no storage optimization.
  cooldown: 'DB instance is in the cooling-off period for a previous scale storage operation. No actions are necessary. Autoscaling will retry after the cooling-off period.',
  ceiling: (max: number) => `Storage autoscaling is unable to scale the storage for the reason: the allocated storage has reached the maximum storage threshold (${max} GiB). Increase the maximum storage threshold.`, // RDS-EVENT-0223
};

/** RDS autoscales an instance that is available or storage-full; anything else (modifying, rebooting…) waits. */
const AUTOSCALED = new Set(['available', 'storage-full']);

/** Says once per low-storage episode that autoscaling wanted to grow and could not. */
function reportHold(ctx: OpsContext, rec: InstanceRecord, hold: HoldReason): void {
  const reported = ctx.autoscale.reported;
  if (hold === 'off' || hold === 'not-low') reported.delete(rec.id);
  if ((hold !== 'cooldown' && hold !== 'ceiling') || reported.get(rec.id) === hold) return;
  reported.set(rec.id, hold);
  ctx.event(rec.id, hold === 'cooldown' ? AUTOSCALE_EVENTS.cooldown : AUTOSCALE_EVENTS.ceiling(rec.maxAllocatedStorage ?? rec.allocatedStorage), ['failure']);
}

function grow(ctx: OpsContext, rec: InstanceRecord, d: Extract<AutoscaleDecision, { grow: true }>): InstanceRecord | undefined {
  ctx.event(rec.id, AUTOSCALE_EVENTS.applying, ['configuration change']);
  if (d.reachesMax) ctx.event(rec.id, AUTOSCALE_EVENTS.reachesMax, ['failure']);
  // Registry.update stamps lastStorageChange (the cooldown's start) because AllocatedStorage changes.
  const updated = ctx.registry.update(rec.id, (r) => {
    r.allocatedStorage = d.newAllocated;
    // A smaller pending AllocatedStorage would now shrink the volume at the next reboot: it is overtaken.
    if (r.pending.AllocatedStorage !== undefined && r.pending.AllocatedStorage <= d.newAllocated) {
      const { AllocatedStorage: _overtaken, ...rest } = r.pending;
      r.pending = rest;
    }
  });
  ctx.log.info(`storage autoscaling of ${rec.id}: AllocatedStorage ${rec.allocatedStorage} → ${d.newAllocated} GiB (${d.reason})`);
  ctx.event(rec.id, AUTOSCALE_EVENTS.finished, ['configuration change']);
  ctx.autoscale.reported.delete(rec.id);
  return updated;
}

/**
 * Applies the autoscaling decision to a fresh usage measurement and the FreeStorageSpace history the
 * sampler stored. Returns the instance's current
 * record (grown or not) for the quota check that follows, or undefined when it is gone.
 */
export function autoscaleStep(ctx: OpsContext, id: string, usedBytes: number, now: number): InstanceRecord | undefined {
  const rec = ctx.registry.get(id); // re-read: a request may have changed the record while usage was measured
  if (!rec || !AUTOSCALED.has(rec.status)) return rec;
  const decision = decideAutoscale({
    allocatedGiB: rec.allocatedStorage,
    maxAllocatedGiB: rec.maxAllocatedStorage,
    samples: usageHistory(ctx.metrics, id, rec.allocatedStorage, { at: now, usedBytes }, ctx.autoscale.settings),
    lastStorageChange: rec.lastStorageChange === undefined ? undefined : Date.parse(rec.lastStorageChange),
    now,
    settings: ctx.autoscale.settings,
  });
  if (!decision.grow) {
    reportHold(ctx, rec, decision.hold);
    return rec;
  }
  return grow(ctx, rec, decision);
}
