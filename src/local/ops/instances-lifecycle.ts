import type { OpHandler, OpRequest } from '../server/types.js';
import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { instanceFile, type InstanceRecord } from '../state/registry.js';
import { removeSecret } from '../state/secrets.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidCombination, invalidState } from './faults.js';
import { renderInstance } from './instances-render.js';
import { checkIdentifier } from './instances-validate.js';
import { restartWithConfig, runningStatus, setStatus, startProcess, takePending } from './instances-work.js';
import { bool, required, str } from './params.js';

function load(ctx: OpsContext, req: OpRequest): InstanceRecord {
  const id = checkIdentifier(required(req.flat, 'DBInstanceIdentifier'));
  const rec = ctx.registry.get(id);
  if (!rec) throw instanceNotFound(id);
  return rec;
}

/** Sets the transitional status now, answers with it, and queues the work. */
function begin(ctx: OpsContext, rec: InstanceRecord, status: string, work: () => Promise<void>, change?: (r: InstanceRecord) => void) {
  const updated = setStatus(ctx, rec.id, status, change)!;
  void ctx.jobs.run(rec.id, work);
  return { DBInstance: renderInstance(updated, ctx.caValidTill) };
}

/** RebootDBInstance: restarts mariadbd; also the "maintenance window" that applies PendingModifiedValues. */
export function rebootDBInstance(ctx: OpsContext): OpHandler {
  return async (req) => {
    const rec = load(ctx, req);
    if (bool(req.flat, 'ForceFailover')) throw invalidCombination('ForceFailover needs a Multi-AZ DB instance; this one is Single-AZ.');
    if (rec.status !== 'available' && rec.status !== 'storage-full') throw invalidState(`DBInstance ${rec.id} is not in available state (it is ${rec.status}).`);
    return begin(ctx, rec, 'rebooting', () => runReboot(ctx, rec.id));
  };
}

export async function runReboot(ctx: OpsContext, id: string): Promise<void> {
  const { changed } = takePending(ctx, id);
  await restartWithConfig(ctx, id);
  if (changed.length > 0) ctx.event(id, `Applied the pending modifications ${changed.join(', ')}`, ['configuration change']);
  ctx.event(id, 'DB instance restarted', ['availability']);
  const rec = ctx.registry.get(id);
  if (rec) setStatus(ctx, id, runningStatus(rec));
}

export function stopDBInstance(ctx: OpsContext): OpHandler {
  return async (req) => {
    const rec = load(ctx, req);
    if (str(req.flat, 'DBSnapshotIdentifier')) throw invalidCombination('Snapshots are not supported by the local endpoint yet: stop without DBSnapshotIdentifier.');
    if (rec.status !== 'available') throw invalidState(`Instance ${rec.id} is not in available state (it is ${rec.status}).`);
    return begin(ctx, rec, 'stopping', () => runStop(ctx, rec.id), (r) => {
      r.desiredState = 'stopped';
    });
  };
}

export async function runStop(ctx: OpsContext, id: string): Promise<void> {
  await ctx.engine.stop(ctx.paths(id));
  setStatus(ctx, id, 'stopped', (r) => {
    r.pid = undefined;
  });
  ctx.event(id, 'DB instance stopped', ['notification']);
}

export function startDBInstance(ctx: OpsContext): OpHandler {
  return async (req) => {
    const rec = load(ctx, req);
    if (rec.status !== 'stopped') throw invalidState(`Instance ${rec.id} is not stopped, it is ${rec.status}.`);
    return begin(ctx, rec, 'starting', () => runStart(ctx, rec.id), (r) => {
      r.desiredState = 'running';
    });
  };
}

export async function runStart(ctx: OpsContext, id: string): Promise<void> {
  await startProcess(ctx, id);
  ctx.event(id, 'DB instance started', ['notification']);
  const rec = ctx.registry.get(id);
  if (rec) setStatus(ctx, id, runningStatus(rec));
}

function checkFinalSnapshot(req: OpRequest): void {
  const skip = bool(req.flat, 'SkipFinalSnapshot') ?? false;
  const finalId = str(req.flat, 'FinalDBSnapshotIdentifier');
  if (skip && finalId) throw invalidCombination('Cannot specify both SkipFinalSnapshot=true and a FinalDBSnapshotIdentifier.');
  if (!skip && !finalId) throw invalidCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is true.');
  if (!skip) {
    throw invalidCombination('Final snapshots are not supported by the local endpoint yet, so the instance was not deleted. Pass SkipFinalSnapshot=true to delete it without a snapshot.');
  }
}

export function deleteDBInstance(ctx: OpsContext): OpHandler {
  return async (req) => {
    const rec = load(ctx, req);
    if (rec.deletionProtection) {
      throw invalidCombination(`Cannot delete protected DB Instance ${rec.id}, please disable deletion protection and try again.`);
    }
    checkFinalSnapshot(req);
    if (rec.status === 'deleting') throw invalidState(`Instance ${rec.id} is already being deleted.`);
    return begin(ctx, rec, 'deleting', () => runDelete(ctx, rec.id), (r) => {
      r.desiredState = 'deleted';
    });
  };
}

/**
 * Stops mariadbd, removes the secret, the instance folder (data, config, keys) and the record, in that
 * order. The record (instance.json) lives in the instance folder: it goes last, so DescribeDBInstances
 * says `deleting` until everything else is gone (a waiter that sees DBInstanceNotFound may trust it, and
 * a crash half-way leaves a record whose desired state `deleted` recovery finishes). The emptied folder
 * leaves instances/ by one rename, so the record and the folder vanish together.
 */
export async function runDelete(ctx: OpsContext, id: string): Promise<void> {
  const paths = ctx.paths(id);
  await ctx.engine.stop(paths);
  removeSecret(ctx.home, id);
  const record = path.basename(instanceFile(ctx.home, id));
  for (const entry of await readdir(paths.root).catch(() => [] as string[])) {
    if (entry !== record) await rm(path.join(paths.root, entry), { recursive: true, force: true });
  }
  const trash = path.join(ctx.home, `.deleting-${id}`); // outside instances/: never listed
  await rm(trash, { recursive: true, force: true });
  await rename(paths.root, trash).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await ctx.engine.destroy(paths); // the socket folder outside the root, if the engine made one
  await rm(trash, { recursive: true, force: true });
  ctx.registry.remove(id);
  ctx.usage.delete(id);
  ctx.event(id, 'DB instance deleted', ['deletion']);
}
