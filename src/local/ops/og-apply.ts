import { withAdmin } from '../engine/admin.js';
import { applyAuditSettings } from '../engine/audit.js';
import type { InstanceRecord } from '../state/registry.js';
import type { OpsContext } from './context.js';
import { defaultOptionGroup } from './instance-metadata.js';
import { AUDIT_OPTION, effectiveSettings } from './og-catalog.js';
import { optionGroupStore } from './option-groups.js';

/**
 * How an option group reaches its instances: MARIADB_AUDIT_PLUGIN becomes the engine spec's `audit`
 * (my.cnf keeps the settings over restarts; the start path installs or removes the plugin), and a change
 * is applied to the running serving node at once by the control plane, as root over its socket (no
 * restart: server_audit is loaded and configured at runtime, as RDS applies the option). Without
 * ApplyImmediately the group's definition changes at once but each instance keeps running with what it
 * has until its next maintenance window, which locally is the next reboot or start (the restart writes
 * my.cnf from the group): OptionGroupMemberships Status `pending-maintenance-apply` meanwhile, RDS's value.
 */

/** The group an instance uses (the default one when the record names none). */
export function optionGroupOf(rec: Pick<InstanceRecord, 'optionGroupName' | 'engine' | 'engineVersion'>): string {
  return (rec.optionGroupName ?? defaultOptionGroup(rec.engine, rec.engineVersion)).toLowerCase();
}

/** The audit plugin's settings for the instance (undefined: its group has no MARIADB_AUDIT_PLUGIN). */
export function auditSettings(home: string, rec: InstanceRecord): Record<string, string> | undefined {
  if (!rec.optionGroupName) return undefined;
  const option = optionGroupStore(home).get(rec.optionGroupName.toLowerCase())?.options[AUDIT_OPTION];
  return option ? effectiveSettings(option.settings) : undefined;
}

async function applyNow(ctx: OpsContext, id: string): Promise<void> {
  const rec = ctx.registry.get(id);
  if (!rec) return;
  const spec = ctx.spec(rec);
  const paths = ctx.paths(id);
  await ctx.engine.writeConfig(paths, spec);
  // Stopped: my.cnf has it, so the next start applies it.
  const done = ctx.engine.runningPid(paths) !== undefined ? await withAdmin(paths, (c) => applyAuditSettings(c, spec.audit)) : 'stopped';
  ctx.registry.update(id, (r) => {
    r.optionGroupStatus = done === 'not-loaded' ? 'pending-apply' : 'in-sync';
  });
  const group = optionGroupOf(rec);
  const what = {
    on: `Audit log on (${AUDIT_OPTION} of the option group ${group})`,
    off: `Audit log off (the option group ${group} has no ${AUDIT_OPTION})`,
    stopped: `The option group ${group} applies at the next start`,
    'not-loaded': `The option group ${group} applies at the next reboot (this server was started without server_audit loaded)`,
  }[done];
  ctx.event(id, what, ['configuration change']);
}

/**
 * A group change with ApplyImmediately=false: the instance applies it at its next reboot or start
 * (instances-work.ts configTookEffect), as a pending-reboot parameter change does. An `applying` instance
 * keeps its queued apply, which reads the group when it runs and so applies this change too.
 */
export function deferOptionGroup(ctx: OpsContext, id: string): void {
  ctx.registry.update(id, (r) => {
    if (r.optionGroupStatus !== 'applying' && r.optionGroupStatus !== 'pending-apply') r.optionGroupStatus = 'pending-maintenance-apply';
  });
}

/**
 * ModifyDBInstance to another group. With ApplyImmediately the instance moves at once; without, as on
 * RDS, it stays on its group until its maintenance window (locally the next reboot or start, where
 * `takeOptionGroupMove` runs before the restart writes my.cnf), both memberships showing it meanwhile:
 * the old group `pending-maintenance-removal`, the new one `pending-maintenance-apply`. Asking for the
 * group it is on drops a waiting move. Returns whether the node must apply a group now.
 */
export function moveOptionGroup(r: InstanceRecord, to: string | undefined, immediately: boolean): boolean {
  if (immediately && to === undefined && r.pendingOptionGroupName !== undefined) to = r.pendingOptionGroupName;
  if (to === undefined) return false;
  const moves = to !== optionGroupOf(r);
  if (!immediately) {
    r.pendingOptionGroupName = moves ? to : undefined;
    return false;
  }
  r.pendingOptionGroupName = undefined;
  r.optionGroupName = to;
  return moves;
}

/** A move made without ApplyImmediately takes effect with the config a restart writes. */
export function takeOptionGroupMove(r: InstanceRecord): void {
  if (r.pendingOptionGroupName === undefined) return;
  r.optionGroupName = r.pendingOptionGroupName;
  r.pendingOptionGroupName = undefined;
}

/** After a group changed or an instance moved to another group: `applying` until the node has it. */
export function applyOptionGroup(ctx: OpsContext, id: string): void {
  ctx.registry.update(id, (r) => {
    r.optionGroupStatus = 'applying';
  });
  void ctx.jobs.run(id, () => applyNow(ctx, id).catch((err: unknown) => {
    ctx.registry.update(id, (r) => {
      r.optionGroupStatus = 'failed';
    });
    ctx.event(id, `Could not apply the option group: ${(err as Error).message}`, ['configuration change']);
  }));
}
