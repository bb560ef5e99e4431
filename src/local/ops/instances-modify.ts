import type { OpHandler } from '../server/types.js';
import type { InstanceRecord } from '../state/registry.js';
import { writeSecret } from '../state/secrets.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidState } from './faults.js';
import { generatePassword } from './instances-create.js';
import { renderInstance } from './instances-render.js';
import { checkIdentifier } from './instances-validate.js';
import { restartWithConfig, runningStatus, setStatus, takePending } from './instances-work.js';
import { needsJob, planModify, type ModifyPlan } from './modify-plan.js';
import { required } from './params.js';
import { checkStorageNow } from './storage.js';
import { followMasterSecret } from './replicas-status.js';
import { groupOf } from './pg-apply.js';
import { requireParameterGroup } from './pg-groups.js';
import { requireSubnetGroup } from './subnet-groups.js';
import { applyOptionGroup, optionGroupOf } from './og-apply.js';
import { optionGroupNames } from './option-groups.js';

const MODIFIABLE = new Set(['available', 'storage-full']);

function applyMetadata(rec: InstanceRecord, plan: ModifyPlan): void {
  // A new parameter group takes effect at the next reboot, as on RDS.
  if (plan.now.parameterGroupName !== undefined && plan.now.parameterGroupName !== groupOf(rec)) rec.parameterApplyStatus = 'pending-reboot';
  Object.assign(rec, plan.now);
  if (plan.clearMaxAllocated) rec.maxAllocatedStorage = undefined;
  rec.pending = { ...rec.pending, ...plan.deferred };
}

/** ModifyDBInstance: metadata at once; class/storage now (ApplyImmediately) or at the next reboot. */
export function modifyDBInstance(ctx: OpsContext): OpHandler {
  return async (req) => {
    const id = checkIdentifier(required(req.flat, 'DBInstanceIdentifier'));
    const rec = ctx.registry.get(id);
    if (!rec) throw instanceNotFound(id);
    const plan = planModify(req.flat, rec, optionGroupNames(ctx.home));
    requireSubnetGroup(ctx, plan.now.dbSubnetGroupName);
    if (plan.now.parameterGroupName !== undefined) requireParameterGroup(ctx.home, plan.now.parameterGroupName);
    const optionGroupMoves = plan.now.optionGroupName !== undefined && plan.now.optionGroupName !== optionGroupOf(rec);
    if (!MODIFIABLE.has(rec.status)) throw invalidState(`Database instance is not in available state (it is ${rec.status}).`);
    const job = needsJob(plan, rec.pending);
    const reworks = plan.applyImmediately && (Object.keys(plan.deferred).length > 0 || Object.keys(rec.pending).length > 0);
    const updated = ctx.registry.update(id, (r) => {
      applyMetadata(r, plan);
      if (job) r.status = reworks ? 'modifying' : 'resetting-master-credentials';
    })!;
    if (job) void ctx.jobs.run(id, () => runModify(ctx, id, plan));
    else ctx.event(id, 'DB instance modified', ['configuration change']);
    // Applied at once (ApplyImmediately or not): the option needs no restart (og-apply.ts).
    if (optionGroupMoves) applyOptionGroup(ctx, id);
    return { DBInstance: renderInstance(ctx.registry.get(id) ?? updated, ctx.caValidTill) };
  };
}

async function changePassword(ctx: OpsContext, id: string, plan: ModifyPlan): Promise<void> {
  const rec = ctx.registry.get(id)!;
  const managed = plan.manageMasterUserPassword ?? rec.manageMasterUserPassword;
  const password = plan.masterUserPassword ?? (plan.manageMasterUserPassword ? generatePassword() : undefined);
  if (password === undefined) return;
  await ctx.engine.setMasterPassword(ctx.paths(id), { username: rec.masterUsername, password });
  writeSecret(ctx.home, id, { username: rec.masterUsername, password, managed });
  followMasterSecret(ctx, id, { username: rec.masterUsername, password, managed }); // ALTER USER replicates to them
  ctx.registry.update(id, (r) => {
    r.manageMasterUserPassword = managed;
  });
  ctx.event(id, 'Reset master credentials', ['configuration change']);
}

async function runModify(ctx: OpsContext, id: string, plan: ModifyPlan): Promise<void> {
  await changePassword(ctx, id, plan);
  if (plan.applyImmediately) {
    const { restart, changed } = takePending(ctx, id);
    if (restart) await restartWithConfig(ctx, id);
    if (changed.length > 0) ctx.event(id, `Applied the modifications ${changed.join(', ')}`, ['configuration change']);
    await checkStorageNow(ctx, id);
  }
  const rec = ctx.registry.get(id);
  if (rec) setStatus(ctx, id, runningStatus(rec));
}
