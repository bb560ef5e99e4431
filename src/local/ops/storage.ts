import type { InstanceRecord } from '../state/registry.js';
import { GiB } from './autoscale.js';
import { autoscaleStep } from './autoscale-apply.js';
import { forgetInstance } from './autoscale-samples.js';
import { readOnlyFor, type OpsContext } from './context.js';

/** Pure: what the storage check should do for an instance. */
export function storageVerdict(allocatedGiB: number, usedBytes: number, readOnlyForStorage: boolean): 'fill' | 'clear' | 'same' {
  const full = usedBytes >= allocatedGiB * GiB;
  if (full && !readOnlyForStorage) return 'fill';
  if (!full && readOnlyForStorage) return 'clear';
  return 'same';
}

const CHECKED = new Set(['available', 'storage-full', 'modifying']);

function measurable(ctx: OpsContext, rec: InstanceRecord | undefined): rec is InstanceRecord {
  return rec !== undefined && rec.desiredState === 'running' && CHECKED.has(rec.status) && ctx.engine.runningPid(ctx.paths(rec.id)) !== undefined;
}

/** Used ≥ allocated → storage-full and read-only until AllocatedStorage is raised (by a modify or autoscaling). */
async function enforceQuota(ctx: OpsContext, rec: InstanceRecord, usedBytes: number): Promise<void> {
  const verdict = storageVerdict(rec.allocatedStorage, usedBytes, Boolean(rec.readOnlyForStorage));
  if (verdict === 'same') return;
  await ctx.engine.setReadOnly(ctx.paths(rec.id), readOnlyFor({ ...rec, readOnlyForStorage: verdict === 'fill' })); // a replica stays read-only
  const usedGiB = (usedBytes / GiB).toFixed(2);
  ctx.registry.update(rec.id, (r) => {
    r.readOnlyForStorage = verdict === 'fill';
    if (verdict === 'fill' && r.status === 'available') r.status = 'storage-full';
    if (verdict === 'clear' && r.status === 'storage-full') r.status = 'available';
    r.statusReason = verdict === 'fill' ? `storage full: ${usedGiB} GiB used of ${r.allocatedStorage} GiB allocated` : undefined;
  });
  ctx.event(rec.id, verdict === 'fill'
    ? `The DB instance has reached the storage-full threshold (${usedGiB} GiB of ${rec.allocatedStorage} GiB) and is now read-only. Increase AllocatedStorage.`
    : `Storage is no longer full (${usedGiB} GiB of ${rec.allocatedStorage} GiB); the DB instance accepts writes again.`, ['low storage']);
}

/**
 * Measures one running instance, lets storage autoscaling grow it (MaxAllocatedStorage), then enforces
 * the quota like RDS. Autoscaling goes first: an instance it grows never turns storage-full, and a
 * storage-full one it grows is writable again. Safe to call from a job or the periodic loop.
 */
export async function checkStorageNow(ctx: OpsContext, id: string): Promise<void> {
  if (!measurable(ctx, ctx.registry.get(id))) {
    forgetInstance(ctx.autoscale, id); // a stopped or failed instance starts a fresh low-storage window
    return;
  }
  const { usedBytes } = await ctx.engine.storageUsage(ctx.paths(id));
  ctx.usage.set(id, usedBytes);
  const rec = autoscaleStep(ctx, id, usedBytes, Date.now());
  if (measurable(ctx, rec)) await enforceQuota(ctx, rec, usedBytes);
}

/** The periodic pass over every idle running instance. */
export async function checkAllStorage(ctx: OpsContext): Promise<void> {
  const ids = new Set<string>();
  for (const rec of ctx.registry.list()) {
    ids.add(rec.id);
    if (ctx.jobs.busy(rec.id)) continue;
    try {
      await checkStorageNow(ctx, rec.id);
    } catch (err) {
      ctx.log.warn(`storage check of ${rec.id} failed: ${(err as Error).message}`);
    }
  }
  for (const id of ctx.autoscale.reported.keys()) if (!ids.has(id)) forgetInstance(ctx.autoscale, id); // deleted instances
}
