import type { CreateDBInstanceMessage, DBInstance, ModifyDBInstanceMessage, RDSClient } from '@aws-sdk/client-rds';
import { notFoundError, usageError } from '../core/errors.js';
import { normalizeInstanceId } from '../core/identifiers.js';
import { planModify, type ModifyRequest, type PlannedChange } from '../core/plans/modify-plan.js';
import type { Progress } from './progress.js';
import { waitForInstance, type WaitOptions } from './wait.js';

export interface WaitSettings {
  wait: boolean;
  intervalMs: number;
  timeoutMs: number;
  onProgress: Progress;
}

const waitOpts = (w: WaitSettings): WaitOptions => ({ intervalMs: w.intervalMs, timeoutMs: w.timeoutMs, onProgress: w.onProgress });

export async function describeInstance(rds: RDSClient, id: string): Promise<DBInstance> {
  const { DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: normalizeInstanceId(id) }));
  const db = res.DBInstances?.[0];
  if (!db) throw notFoundError('INSTANCE_NOT_FOUND', `DB instance ${id} not found.`, { hint: 'Run `rdsctl list`.' });
  return db;
}

/** Every instance, following Marker pages. */
export async function listInstances(rds: RDSClient): Promise<DBInstance[]> {
  const { paginateDescribeDBInstances } = await import('@aws-sdk/client-rds');
  const all: DBInstance[] = [];
  for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 100 }, {})) all.push(...(page.DBInstances ?? []));
  return all;
}

export async function provisionInstance(rds: RDSClient, input: CreateDBInstanceMessage, w: WaitSettings): Promise<DBInstance> {
  const { CreateDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new CreateDBInstanceCommand(input));
  const id = input.DBInstanceIdentifier!;
  w.onProgress(`${id}: create requested (${input.DBInstanceClass}, ${input.AllocatedStorage} GiB, ${input.StorageEncrypted ? 'encrypted' : 'not encrypted'})`);
  if (!w.wait) return res.DBInstance!;
  const db = await waitForInstance(rds, id, (d) => d.DBInstanceStatus === 'available', waitOpts(w));
  return db!;
}

export interface ModifyResult {
  changes: PlannedChange[];
  /** Nothing waits for the maintenance window (all changes took effect or are being applied now). */
  applied: boolean;
  /** Changed fields the target put in PendingModifiedValues (only without ApplyImmediately). */
  pending: string[];
  instance: DBInstance;
}

/**
 * Without ApplyImmediately, RDS still applies some changes at once (DeletionProtection, MaxAllocatedStorage,
 * retention between two non-zero values, the password): only what the response lists as pending waits.
 */
function pendingFields(changes: PlannedChange[], db: DBInstance | undefined): string[] {
  const pending = db?.PendingModifiedValues ?? {};
  return changes.map((c) => c.field).filter((f) => (pending as Record<string, unknown>)[f] !== undefined);
}

/** Plan against the live description; with dryRun return the plan and touch nothing. */
export async function modifyInstance(
  rds: RDSClient,
  id: string,
  desired: ModifyRequest & { MasterUserPassword?: string },
  opts: { applyImmediately: boolean; dryRun: boolean; target: 'local' | 'aws' } & WaitSettings,
): Promise<ModifyResult> {
  const current = await describeInstance(rds, id);
  const changes = planModify(current, desired, opts.target);
  const passwordChange = desired.MasterUserPassword !== undefined;
  if (changes.length === 0 && !passwordChange) {
    throw usageError('NOTHING_TO_MODIFY', `Nothing to change on ${id}: it already has those settings.`, {
      hint: 'Pass at least one of --class, --storage, --max-storage, --backup-retention, --deletion-protection.',
    });
  }
  if (opts.dryRun) return { changes, applied: false, pending: [], instance: current };
  const { ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const params: ModifyDBInstanceMessage = { DBInstanceIdentifier: current.DBInstanceIdentifier!, ApplyImmediately: opts.applyImmediately };
  for (const c of changes) Object.assign(params, { [c.field]: c.to });
  if (passwordChange) params.MasterUserPassword = desired.MasterUserPassword;
  const res = await rds.send(new ModifyDBInstanceCommand(params));
  if (!opts.applyImmediately) {
    const pending = pendingFields(changes, res.DBInstance);
    return { changes, applied: pending.length === 0, pending, instance: res.DBInstance! };
  }
  if (!opts.wait) return { changes, applied: true, pending: [], instance: res.DBInstance! };
  const pending = Object.values(res.DBInstance?.PendingModifiedValues ?? {}).some((v) => v !== undefined);
  const expectChange = { pending: pending && res.DBInstance?.DBInstanceStatus === 'available' };
  const db = await waitForInstance(rds, current.DBInstanceIdentifier!, (d) => d.DBInstanceStatus === 'available', { ...waitOpts(opts), expectChange });
  return { changes, applied: true, pending: [], instance: db! };
}

type SimpleAction = 'reboot' | 'stop' | 'start';
const TARGET_STATUS: Record<SimpleAction, string> = { reboot: 'available', stop: 'stopped', start: 'available' };

export async function changePowerState(rds: RDSClient, id: string, action: SimpleAction, w: WaitSettings): Promise<DBInstance> {
  const sdk = await import('@aws-sdk/client-rds');
  const DBInstanceIdentifier = normalizeInstanceId(id);
  const res =
    action === 'reboot' ? await rds.send(new sdk.RebootDBInstanceCommand({ DBInstanceIdentifier }))
    : action === 'stop' ? await rds.send(new sdk.StopDBInstanceCommand({ DBInstanceIdentifier }))
    : await rds.send(new sdk.StartDBInstanceCommand({ DBInstanceIdentifier }));
  if (!w.wait) return res.DBInstance!;
  const target = TARGET_STATUS[action];
  const db = await waitForInstance(rds, DBInstanceIdentifier, (d) => d.DBInstanceStatus === target, waitOpts(w));
  return db!;
}

export interface DeletePlan {
  DBInstanceIdentifier: string;
  SkipFinalSnapshot: boolean;
  FinalDBSnapshotIdentifier?: string;
}

export async function deleteInstance(rds: RDSClient, plan: DeletePlan, w: WaitSettings): Promise<DBInstance | undefined> {
  const { DeleteDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new DeleteDBInstanceCommand(plan));
  if (!w.wait) return res.DBInstance;
  await waitForInstance(rds, plan.DBInstanceIdentifier, () => false, { ...waitOpts(w), goneIsDone: true });
  return res.DBInstance;
}
