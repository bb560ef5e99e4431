import type { CreateDBInstanceMessage, DBInstance, ModifyDBInstanceMessage, RDSClient } from '@aws-sdk/client-rds';
import { notFoundError, usageError } from '../core/errors.js';
import { normalizeInstanceId } from '../core/identifiers.js';
import { notServing } from '../core/instance-state.js';
import { LOG_EXPORTS_FIELD, pendingChanges, planModification, rebootAppliesPending, type ModifyPlan, type ModifyRequest, type PlannedChange } from '../core/plans/modify-plan.js';
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

/**
 * The one check for commands that need a running instance (connect, connect --shell, analyze-queries):
 * describe, and refuse with exit 5 and the command that fixes it unless the instance takes connections.
 */
export async function describeServingInstance(rds: RDSClient, id: string): Promise<DBInstance> {
  const db = await describeInstance(rds, id);
  const problem = notServing(db.DBInstanceIdentifier ?? id, db.DBInstanceStatus);
  if (problem) throw problem;
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

/** Where each change of a modify stands when the command returns. */
export type ChangeState = 'planned' | 'done' | 'in-progress' | 'pending';

export interface ModifyResult {
  plan: ModifyPlan;
  /** Every change the request makes or applies (its own, then those already pending), with its state. */
  outcome: Array<PlannedChange & { state: ChangeState }>;
  /** Nothing waits for the maintenance window (all changes took effect or are being applied now). */
  applied: boolean;
  /** Changed fields the target put in PendingModifiedValues (only without ApplyImmediately). */
  pending: string[];
  instance: DBInstance;
}

const PASSWORD_CHANGE: PlannedChange = { field: 'MasterUserPassword', from: '(hidden)', to: '(new, hidden)' };

/** true when the description already shows the change (autoscaling off: no ceiling, or one equal to the storage). */
function shows(db: DBInstance, c: PlannedChange): boolean {
  if (c.field === 'MasterUserPassword') return false;
  if (c.field === 'MaxAllocatedStorage' && c.note === 'turns storage autoscaling off') {
    return db.MaxAllocatedStorage === undefined || db.MaxAllocatedStorage === db.AllocatedStorage;
  }
  return (db as Record<string, unknown>)[c.field] === c.to;
}

/**
 * Without ApplyImmediately, RDS still applies some changes at once (DeletionProtection, MaxAllocatedStorage,
 * retention between two non-zero values): only what the response lists as pending waits, and an instance
 * that answers `available` made the others. With ApplyImmediately (or a password) a change is "done" only
 * once we waited or a description shows it; until then it is only requested and being applied.
 */
function outcomeOf(all: PlannedChange[], db: DBInstance, applyImmediately: boolean, waited: boolean): ModifyResult['outcome'] {
  const pending = (db.PendingModifiedValues ?? {}) as Record<string, unknown>;
  const metadataOnly = !applyImmediately && db.DBInstanceStatus === 'available';
  return all.map((c) => {
    const password = c.field === 'MasterUserPassword';
    if (!applyImmediately && !password && pending[c.field] !== undefined) return { ...c, state: 'pending' as const };
    const done = waited || shows(db, c) || (metadataOnly && !password);
    return { ...c, state: done ? ('done' as const) : ('in-progress' as const) };
  });
}

/** Plan against the live description (pending changes included); with dryRun return the plan and touch nothing. */
export async function modifyInstance(
  rds: RDSClient,
  id: string,
  desired: ModifyRequest & { MasterUserPassword?: string; ManageMasterUserPassword?: false },
  opts: { applyImmediately: boolean; dryRun: boolean; target: 'local' | 'aws' } & WaitSettings,
): Promise<ModifyResult> {
  const current = await describeInstance(rds, id);
  const pendingNow = Object.fromEntries(Object.entries(current.PendingModifiedValues ?? {}));
  const plan = planModification({ ...current, pending: pendingNow }, desired, { target: opts.target, applyImmediately: opts.applyImmediately });
  const passwordChange = desired.MasterUserPassword !== undefined;
  if (passwordChange) plan.changes.push(PASSWORD_CHANGE);
  if (plan.changes.length === 0) {
    throw usageError('NOTHING_TO_MODIFY', `Nothing to change on ${current.DBInstanceIdentifier}: it already has those settings.`, {
      hint: 'Pass at least one of --class, --storage, --max-storage, --no-max-storage, --backup-retention, --[no-]deletion-protection, --parameter-group, --new-password-stdin.',
    });
  }
  const all = [...plan.changes, ...plan.alsoApplied];
  if (opts.dryRun) return { plan, outcome: all.map((c) => ({ ...c, state: 'planned' as const })), applied: false, pending: [], instance: current };
  const { ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const params: ModifyDBInstanceMessage = { DBInstanceIdentifier: current.DBInstanceIdentifier!, ApplyImmediately: opts.applyImmediately };
  for (const c of plan.changes) {
    if (c.field === LOG_EXPORTS_FIELD) params.CloudwatchLogsExportConfiguration = { EnableLogTypes: String(c.to).split(',') };
    else if (c !== PASSWORD_CHANGE) Object.assign(params, { [c.field]: c.to });
  }
  if (passwordChange) params.MasterUserPassword = desired.MasterUserPassword;
  if (desired.ManageMasterUserPassword === false) params.ManageMasterUserPassword = false;
  const res = await rds.send(new ModifyDBInstanceCommand(params));
  let db = res.DBInstance!;
  const waits = opts.wait && (opts.applyImmediately || passwordChange);
  if (waits) {
    // A password alone is done when RDS no longer lists it as pending; deferred changes may stay listed.
    const pending = Object.values(db.PendingModifiedValues ?? {}).some((v) => v !== undefined);
    const expectChange = { pending: opts.applyImmediately && pending && db.DBInstanceStatus === 'available' };
    const done = (d: DBInstance) => d.DBInstanceStatus === 'available' && (!passwordChange || d.PendingModifiedValues?.MasterUserPassword === undefined);
    db = (await waitForInstance(rds, current.DBInstanceIdentifier!, done, { ...waitOpts(opts), expectChange }))!;
  }
  const outcome = outcomeOf(all, db, opts.applyImmediately, waits);
  const pending = outcome.filter((c) => c.state === 'pending').map((c) => c.field);
  return { plan, outcome, applied: pending.length === 0, pending, instance: db };
}

type SimpleAction = 'reboot' | 'stop' | 'start';
const TARGET_STATUS: Record<SimpleAction, string> = { reboot: 'available', stop: 'stopped', start: 'available' };

export interface PowerResult {
  instance: DBInstance;
  /** reboot: the changes that were pending before it (PendingModifiedValues). */
  pending: PlannedChange[];
  /** reboot: whether this target applies them with the reboot (local) or keeps them for the window (RDS). */
  appliesPending: boolean;
}

export async function changePowerState(rds: RDSClient, id: string, action: SimpleAction, w: WaitSettings & { target: 'local' | 'aws' }): Promise<PowerResult> {
  const sdk = await import('@aws-sdk/client-rds');
  const DBInstanceIdentifier = normalizeInstanceId(id);
  let pending: PlannedChange[] = [];
  if (action === 'reboot') {
    const current = await describeInstance(rds, DBInstanceIdentifier);
    pending = pendingChanges({ ...current, pending: Object.fromEntries(Object.entries(current.PendingModifiedValues ?? {})) });
  }
  const appliesPending = action === 'reboot' && pending.length > 0 && rebootAppliesPending(w.target);
  if (appliesPending) w.onProgress(`${DBInstanceIdentifier}: the reboot applies ${pending.map((c) => `${c.field} → ${String(c.to)}`).join(', ')}`);
  const res =
    action === 'reboot' ? await rds.send(new sdk.RebootDBInstanceCommand({ DBInstanceIdentifier }))
    : action === 'stop' ? await rds.send(new sdk.StopDBInstanceCommand({ DBInstanceIdentifier }))
    : await rds.send(new sdk.StartDBInstanceCommand({ DBInstanceIdentifier }));
  if (!w.wait) return { instance: res.DBInstance!, pending, appliesPending };
  const target = TARGET_STATUS[action];
  const db = await waitForInstance(rds, DBInstanceIdentifier, (d) => d.DBInstanceStatus === target, waitOpts(w));
  return { instance: db!, pending, appliesPending };
}

export interface DeletePlan {
  DBInstanceIdentifier: string;
  SkipFinalSnapshot: boolean;
  FinalDBSnapshotIdentifier?: string;
  /** false keeps the automated backups as `retained` (point-in-time restore by DbiResourceId afterwards). */
  DeleteAutomatedBackups?: boolean;
}

export async function deleteInstance(rds: RDSClient, plan: DeletePlan, w: WaitSettings): Promise<DBInstance | undefined> {
  const { DeleteDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new DeleteDBInstanceCommand(plan));
  if (!w.wait) return res.DBInstance;
  await waitForInstance(rds, plan.DBInstanceIdentifier, () => false, { ...waitOpts(w), goneIsDone: true });
  return res.DBInstance;
}
