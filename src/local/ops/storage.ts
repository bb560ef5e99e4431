import type { OpsContext } from './context.js';

const GiB = 1024 ** 3;

/** Pure: what the storage check should do for an instance. */
export function storageVerdict(allocatedGiB: number, usedBytes: number, readOnlyForStorage: boolean): 'fill' | 'clear' | 'same' {
  const full = usedBytes >= allocatedGiB * GiB;
  if (full && !readOnlyForStorage) return 'fill';
  if (!full && readOnlyForStorage) return 'clear';
  return 'same';
}

const CHECKED = new Set(['available', 'storage-full', 'modifying']);

/**
 * Measures one running instance and enforces its quota like RDS: used ≥ allocated → storage-full and
 * read-only until AllocatedStorage is raised. Safe to call from a job or the periodic loop.
 */
export async function checkStorageNow(ctx: OpsContext, id: string): Promise<void> {
  const rec = ctx.registry.get(id);
  if (!rec || rec.desiredState !== 'running' || !CHECKED.has(rec.status)) return;
  const paths = ctx.paths(id);
  if (ctx.engine.runningPid(paths) === undefined) return;
  const { usedBytes } = await ctx.engine.storageUsage(paths);
  ctx.usage.set(id, usedBytes);
  const verdict = storageVerdict(rec.allocatedStorage, usedBytes, Boolean(rec.readOnlyForStorage));
  if (verdict === 'same') return;
  await ctx.engine.setReadOnly(paths, verdict === 'fill');
  const usedGiB = (usedBytes / GiB).toFixed(2);
  ctx.registry.update(id, (r) => {
    r.readOnlyForStorage = verdict === 'fill';
    if (verdict === 'fill' && r.status === 'available') r.status = 'storage-full';
    if (verdict === 'clear' && r.status === 'storage-full') r.status = 'available';
    r.statusReason = verdict === 'fill' ? `storage full: ${usedGiB} GiB used of ${r.allocatedStorage} GiB allocated` : undefined;
  });
  ctx.event(id, verdict === 'fill'
    ? `The DB instance has reached the storage-full threshold (${usedGiB} GiB of ${rec.allocatedStorage} GiB) and is now read-only. Increase AllocatedStorage.`
    : `Storage is no longer full (${usedGiB} GiB of ${rec.allocatedStorage} GiB); the DB instance accepts writes again.`, ['low storage']);
}

/** The periodic pass over every idle running instance. */
export async function checkAllStorage(ctx: OpsContext): Promise<void> {
  for (const rec of ctx.registry.list()) {
    if (ctx.jobs.busy(rec.id)) continue;
    try {
      await checkStorageNow(ctx, rec.id);
    } catch (err) {
      ctx.log.warn(`storage check of ${rec.id} failed: ${(err as Error).message}`);
    }
  }
}
