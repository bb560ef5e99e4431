import type { OpHandler } from '../server/types.js';
import { requireIamAuthAvailable } from './iam-enable.js';
import type { InstanceRecord } from '../state/registry.js';
import { readSecret, writeSecret, type ManagedSecret } from '../state/secrets.js';
import { newManagedSecret, rotatedSecret } from './master-secret.js';
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
import { applyOptionGroup, moveOptionGroup } from './og-apply.js';
import { optionGroupNames } from './option-groups.js';

const MODIFIABLE = new Set(['available', 'storage-full']);

function applyMetadata(rec: InstanceRecord, plan: ModifyPlan): void {
  // A new parameter group takes effect at the next reboot, as on RDS.
  if (plan.now.parameterGroupName !== undefined && plan.now.parameterGroupName !== groupOf(rec)) rec.parameterApplyStatus = 'pending-reboot';
  Object.assign(rec, plan.now);
  // Shown at once (as RDS does); the node restarts with auth_pam in the job.
  if (plan.iamAuth !== undefined) rec.iamDatabaseAuthenticationEnabled = plan.iamAuth;
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
    requireIamAuthAvailable(plan.iamAuth);
    if (plan.now.parameterGroupName !== undefined) requireParameterGroup(ctx.home, plan.now.parameterGroupName);
    let groupMoves = false;
    if (!MODIFIABLE.has(rec.status)) throw invalidState(`Database instance is not in available state (it is ${rec.status}).`);
    const job = needsJob(plan, rec.pending);
    const reworks = plan.iamAuth !== undefined || (plan.applyImmediately && (Object.keys(plan.deferred).length > 0 || Object.keys(rec.pending).length > 0));
    const updated = ctx.registry.update(id, (r) => {
      applyMetadata(r, plan);
      groupMoves = moveOptionGroup(r, plan.optionGroupName, plan.applyImmediately);
      if (job) r.status = reworks ? 'modifying' : 'resetting-master-credentials';
    })!;
    if (job) void ctx.jobs.run(id, () => runModify(ctx, id, plan));
    else ctx.event(id, 'DB instance modified', ['configuration change']);
    // The option needs no restart (og-apply.ts). ApplyImmediately also applies what waits for the
    // maintenance window (a move, a group change), as it does PendingModifiedValues.
    if (groupMoves || (plan.applyImmediately && rec.optionGroupStatus === 'pending-maintenance-apply')) applyOptionGroup(ctx, id);
    return { DBInstance: renderInstance(ctx.registry.get(id) ?? updated, ctx.caValidTill) };
  };
}

/** The Secrets Manager secret after the change: a new one when management turns on, the next version on rotation. */
function nextManagedSecret(ctx: OpsContext, id: string, plan: ModifyPlan): ManagedSecret | undefined {
  const before = readSecret(ctx.home, id);
  if (plan.rotateMasterUserPassword && before?.managedSecret) return rotatedSecret(before.managedSecret, before.password);
  if (plan.manageMasterUserPassword === true || plan.rotateMasterUserPassword) return newManagedSecret();
  return plan.manageMasterUserPassword === false ? undefined : before?.managedSecret;
}

async function changePassword(ctx: OpsContext, id: string, plan: ModifyPlan): Promise<void> {
  const rec = ctx.registry.get(id)!;
  const managed = plan.manageMasterUserPassword ?? rec.manageMasterUserPassword;
  const generated = plan.manageMasterUserPassword || plan.rotateMasterUserPassword;
  const password = plan.masterUserPassword ?? (generated ? generatePassword() : undefined);
  if (password === undefined) return;
  const managedSecret = managed ? nextManagedSecret(ctx, id, plan) : undefined;
  await ctx.engine.setMasterPassword(ctx.paths(id), { username: rec.masterUsername, password });
  writeSecret(ctx.home, id, { username: rec.masterUsername, password, managed, managedSecret });
  followMasterSecret(ctx, id, { username: rec.masterUsername, password, managed }); // ALTER USER replicates to them
  ctx.registry.update(id, (r) => {
    r.manageMasterUserPassword = managed;
    r.masterUserSecretArn = managedSecret?.arn;
  });
  ctx.event(id, plan.rotateMasterUserPassword ? 'Rotated the master user password (a new Secrets Manager secret version is AWSCURRENT)' : 'Reset master credentials', ['configuration change']);
}

async function runModify(ctx: OpsContext, id: string, plan: ModifyPlan): Promise<void> {
  await changePassword(ctx, id, plan);
  let restarted = false;
  if (plan.applyImmediately) {
    const { restart, changed } = takePending(ctx, id);
    if (restart) await restartWithConfig(ctx, id);
    restarted = restart;
    if (changed.length > 0) ctx.event(id, `Applied the modifications ${changed.join(', ')}`, ['configuration change']);
    await checkStorageNow(ctx, id);
  }
  if (plan.iamAuth !== undefined) {
    if (!restarted) await restartWithConfig(ctx, id); // auth_pam and the PAM binds are start-time settings
    ctx.event(id, `IAM database authentication ${plan.iamAuth ? 'enabled' : 'disabled'}`, ['configuration change']);
  }
  const rec = ctx.registry.get(id);
  if (rec) setStatus(ctx, id, runningStatus(rec));
}
