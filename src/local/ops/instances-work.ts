import { restartsInstance } from '../../core/plans/modify-plan.js';
import { setServingPid, type InstanceRecord } from '../state/registry.js';
import type { OpsContext } from './context.js';
import { takeOptionGroupMove } from './og-apply.js';

/**
 * The background halves of the operations (run inside the instance's job queue). Each step saves the
 * record before acting, so a control plane killed mid-way finds out on restart what it was doing.
 */

export function setStatus(ctx: OpsContext, id: string, status: string, change?: (r: InstanceRecord) => void): InstanceRecord | undefined {
  return ctx.registry.update(id, (r) => {
    r.status = status;
    if (status !== 'failed') r.statusReason = undefined;
    change?.(r);
  });
}

/** Moves PendingModifiedValues into the record; true when the change needs a restart (the rule is in core). */
export function takePending(ctx: OpsContext, id: string): { restart: boolean; changed: string[] } {
  let restart = false;
  const changed: string[] = [];
  ctx.registry.update(id, (r) => {
    const p = r.pending;
    restart = restartsInstance(Object.entries(p).filter(([, v]) => v !== undefined).map(([k]) => k));
    if (p.DBInstanceClass !== undefined) {
      r.instanceClass = p.DBInstanceClass;
      changed.push(`DBInstanceClass=${p.DBInstanceClass}`);
    }
    if (p.AllocatedStorage !== undefined) {
      r.allocatedStorage = p.AllocatedStorage;
      changed.push(`AllocatedStorage=${p.AllocatedStorage}`);
    }
    if (p.BackupRetentionPeriod !== undefined) {
      r.backupRetentionPeriod = p.BackupRetentionPeriod;
      changed.push(`BackupRetentionPeriod=${p.BackupRetentionPeriod}`);
    }
    r.pending = {};
  });
  return { restart, changed };
}

/**
 * After a start from a freshly written my.cnf: the parameter group's values (static ones and the group
 * itself) and the option group as it is now (server_audit loaded, a change made without ApplyImmediately)
 * took effect. The one place where "pending until the next reboot" ends.
 */
function configTookEffect(r: InstanceRecord): void {
  if (r.parameterApplyStatus === 'pending-reboot') r.parameterApplyStatus = 'in-sync';
  if (r.optionGroupStatus === 'pending-apply' || r.optionGroupStatus === 'pending-maintenance-apply') r.optionGroupStatus = 'in-sync';
}

/** Rewrites my.cnf from the record (class → buffer pool, connections) and restarts mariadbd. */
export async function restartWithConfig(ctx: OpsContext, id: string): Promise<number> {
  const rec = ctx.registry.update(id, takeOptionGroupMove);
  if (!rec) throw new Error(`instance ${id} vanished`);
  const paths = ctx.paths(id);
  await ctx.engine.writeConfig(paths, ctx.spec(rec));
  await ctx.engine.stop(paths);
  const { pid } = await ctx.engine.start(paths, ctx.spec(rec));
  ctx.registry.update(id, (r) => {
    setServingPid(r, pid);
    configTookEffect(r);
  });
  return pid;
}

/** Starts a stopped process from the record's config. */
export async function startProcess(ctx: OpsContext, id: string): Promise<number> {
  const rec = ctx.registry.update(id, takeOptionGroupMove);
  if (!rec) throw new Error(`instance ${id} vanished`);
  const paths = ctx.paths(id);
  await ctx.engine.writeConfig(paths, ctx.spec(rec));
  const { pid } = await ctx.engine.start(paths, ctx.spec(rec));
  ctx.registry.update(id, (r) => {
    setServingPid(r, pid);
    configTookEffect(r);
  });
  return pid;
}

/** The status an up-and-running instance should show: storage-full stays until storage is raised. */
export function runningStatus(rec: InstanceRecord): string {
  return rec.readOnlyForStorage ? 'storage-full' : 'available';
}
