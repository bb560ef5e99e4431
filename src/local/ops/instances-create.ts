import { randomInt } from 'node:crypto';
import type { OpHandler } from '../server/types.js';
import { requireIamAuthAvailable } from './iam-enable.js';
import { randomFrom } from '../state/credentials.js';
import { setServingPid, type InstanceRecord } from '../state/registry.js';
import { writeSecret, readSecret } from '../state/secrets.js';
import type { OpsContext } from './context.js';
import { instanceExists, instanceQuota, invalidCombination, invalidValue, storageQuota } from './faults.js';
import { INSTANCE_QUOTA, TOTAL_STORAGE_QUOTA_GIB, planCreate, type CreatePlan } from './instances-validate.js';
import { renderInstance, type InstanceResult } from './instances-render.js';
import { firstBaseBackup } from './backups-base.js';
import { createDatabase } from './instances-sql.js';
import { optionGroupNames } from './option-groups.js';
import { requireParameterGroup } from './pg-groups.js';
import { requireSubnetGroup } from './subnet-groups.js';
import { claimPort, pickInstancePort, releaseReservation } from './ports.js';
import { newManagedSecret } from './master-secret.js';

const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+=';

/** randomInt per character: 67 symbols do not divide 256, so `byte % 67` (randomFrom) would favour the first 55. */
export function generatePassword(): string {
  return Array.from({ length: 32 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');
}

function checkQuotas(ctx: OpsContext, plan: CreatePlan): void {
  const all = ctx.registry.list();
  if (all.length >= INSTANCE_QUOTA) throw instanceQuota(`You have reached the DB instance quota (${INSTANCE_QUOTA}) of this endpoint.`);
  const total = all.reduce((sum, r) => sum + r.allocatedStorage, 0);
  if (total + plan.allocatedStorage > TOTAL_STORAGE_QUOTA_GIB) {
    throw storageQuota(`The request would exceed the total storage quota of ${TOTAL_STORAGE_QUOTA_GIB} GiB (in use: ${total} GiB).`);
  }
}

/** Endpoint ports and every node's port are taken. */
export function takenPorts(ctx: OpsContext): Set<number> {
  return new Set(ctx.registry.list().flatMap((r) => [r.port, ...(r.nodes ?? []).map((n) => n.port)]));
}

async function choosePort(ctx: OpsContext, plan: CreatePlan): Promise<number> {
  const taken = takenPorts(ctx);
  if (plan.port === undefined) return pickInstancePort(taken);
  if (!(await claimPort(plan.port, taken))) throw invalidValue(`Port ${plan.port} is already in use on 127.0.0.1; choose another Port or omit it.`);
  return plan.port;
}

/** server_id must differ between every pair of nodes that may ever replicate: unique in the home. */
export function nextServerId(ctx: OpsContext): number {
  return 1 + Math.max(0, ...ctx.registry.list().flatMap((r) => (r.nodes ?? []).map((n) => n.serverId)));
}

/** A new instance: one primary node that listens on the endpoint port (docs/ARCHITECTURE.md). */
function newRecord(ctx: OpsContext, plan: CreatePlan, port: number): InstanceRecord {
  const nodes = [{ id: plan.id, role: 'primary' as const, port, serverId: nextServerId(ctx) }];
  return {
    id: plan.id, dbiResourceId: `db-${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 26)}`, engine: plan.engine,
    engineVersion: ctx.engineVersion, instanceClass: plan.instanceClass, masterUsername: plan.masterUsername,
    manageMasterUserPassword: plan.manageMasterUserPassword, dbName: plan.dbName, port, nodes,
    allocatedStorage: plan.allocatedStorage, maxAllocatedStorage: plan.maxAllocatedStorage, storageType: plan.storageType,
    iops: plan.iops, backupRetentionPeriod: plan.backupRetentionPeriod, preferredBackupWindow: plan.preferredBackupWindow,
    preferredMaintenanceWindow: plan.preferredMaintenanceWindow, storageEncrypted: plan.storageEncrypted, kmsKeyId: plan.kmsKeyId,
    deletionProtection: plan.deletionProtection, copyTagsToSnapshot: plan.copyTagsToSnapshot, createTime: new Date().toISOString(), status: 'creating',
    desiredState: 'running', initCompleted: false, pending: {}, tags: plan.tags, availabilityZone: 'us-east-1a',
    autoMinorVersionUpgrade: true, iamDatabaseAuthenticationEnabled: plan.iamDatabaseAuthenticationEnabled, ...plan.metadata,
  };
}

/** CreateDBInstance: validates, records `creating`, answers at once; the engine work runs in the job queue. */
export function createDBInstance(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const plan = planCreate(req.flat, { mysqlAvailable: ctx.mysqlAvailable, engineVersion: ctx.engineVersion, optionGroups: optionGroupNames(ctx.home) });
    requireSubnetGroup(ctx, plan.metadata.dbSubnetGroupName);
    requireIamAuthAvailable(plan.iamDatabaseAuthenticationEnabled);
    if (plan.metadata.parameterGroupName !== undefined) requireParameterGroup(ctx.home, plan.metadata.parameterGroupName);
    if (plan.engineVersion && !ctx.engineVersion.startsWith(plan.engineVersion)) {
      throw invalidCombination(`Cannot find version ${plan.engineVersion} for ${plan.engine}: this machine runs ${plan.engine} ${ctx.engineVersion}.`);
    }
    if (ctx.registry.get(plan.id)) throw instanceExists(plan.id);
    checkQuotas(ctx, plan);
    const port = await choosePort(ctx, plan);
    let rec: InstanceRecord;
    try {
      // Re-checked after the await: nothing else may have claimed the name meanwhile (single thread from here on).
      if (ctx.registry.get(plan.id)) throw instanceExists(plan.id);
      const managedSecret = plan.manageMasterUserPassword ? newManagedSecret() : undefined;
      rec = { ...newRecord(ctx, plan, port), masterUserSecretArn: managedSecret?.arn };
      writeSecret(ctx.home, rec.id, { username: plan.masterUsername, password: plan.masterUserPassword ?? generatePassword(), managed: plan.manageMasterUserPassword, managedSecret });
      ctx.registry.save(rec);
    } finally {
      releaseReservation(port);
    }
    ctx.event(rec.id, 'DB instance created', ['creation']);
    void ctx.jobs.run(rec.id, () => runCreate(ctx, rec.id));
    return { DBInstance: renderInstance(rec, ctx.caValidTill) };
  };
}

async function runCreate(ctx: OpsContext, id: string): Promise<void> {
  const rec = ctx.registry.get(id);
  const secret = readSecret(ctx.home, id);
  if (!rec || !secret) return;
  const paths = ctx.paths(id);
  let pid: number;
  try {
    ({ pid } = await ctx.engine.create(paths, ctx.spec(rec), { username: secret.username, password: secret.password }));
    if (rec.dbName) await createDatabase(rec, secret.password, ctx.ca.caCertFile);
    ctx.registry.update(id, (r) => { r.initCompleted = true; setServingPid(r, pid); });
    // As RDS: creating → backing-up → available; the first base backup opens the restore window.
    await firstBaseBackup(ctx, id);
  } catch (err) {
    // A failed instance keeps its files for inspection (error log) but no running process.
    await ctx.engine.stop(paths).catch(() => undefined);
    throw err;
  }
  ctx.registry.update(id, (r) => {
    r.initCompleted = true;
    setServingPid(r, pid);
    if (r.status === 'creating') r.status = 'available';
  });
  ctx.event(id, `DB instance is available (mariadbd pid ${pid}, port ${rec.port})`, ['availability']);
}
