import { usageError } from '../errors.js';
import { requireClassFor } from '../instance-classes.js';
import { minStorageIncrease, requireMaxStorage, requireRetention, requireStorage } from '../validation.js';

/** The fields `rdsctl modify` can change, as DescribeDBInstances reports them. */
export interface ModifiableState {
  DBInstanceClass?: string;
  AllocatedStorage?: number;
  MaxAllocatedStorage?: number;
  BackupRetentionPeriod?: number;
  DeletionProtection?: boolean;
  /** DescribeDBInstances' DBParameterGroups (rdsctl names one group per instance). */
  DBParameterGroups?: { DBParameterGroupName?: string }[];
  /** On/off settings `rdsctl audit --fix` turns on (Security Hub RDS.2, .5, .13, .17), as described. */
  CopyTagsToSnapshot?: boolean;
  AutoMinorVersionUpgrade?: boolean;
  PubliclyAccessible?: boolean;
  MultiAZ?: boolean;
  IAMDatabaseAuthenticationEnabled?: boolean;
  EnabledCloudwatchLogsExports?: string[];
}

/** `MaxAllocatedStorage: false` turns storage autoscaling off (sent as MaxAllocatedStorage = AllocatedStorage). */
export interface ModifyRequest extends Omit<ModifiableState, 'MaxAllocatedStorage' | 'DBParameterGroups' | 'IAMDatabaseAuthenticationEnabled' | 'EnabledCloudwatchLogsExports'> {
  MaxAllocatedStorage?: number | false;
  DBParameterGroupName?: string;
  EnableIAMDatabaseAuthentication?: boolean;
  /** Log types to add to the exports (CloudwatchLogsExportConfiguration.EnableLogTypes). */
  EnableLogTypes?: string[];
}

/** The plan's field for added log exports; `to` is the comma-separated list of types added. */
export const LOG_EXPORTS_FIELD = 'CloudwatchLogsExportConfiguration';
const SWITCHES = ['CopyTagsToSnapshot', 'AutoMinorVersionUpgrade', 'PubliclyAccessible', 'MultiAZ'] as const;

/** The on/off settings and log exports (rdsctl audit --fix): one change each that differs from the description. */
function switchChanges(current: CurrentInstance, desired: ModifyRequest): PlannedChange[] {
  const changes: PlannedChange[] = [];
  for (const field of SWITCHES) {
    const want = desired[field];
    if (want !== undefined && want !== Boolean(current[field])) changes.push({ field, from: current[field], to: want });
  }
  const iam = desired.EnableIAMDatabaseAuthentication;
  if (iam !== undefined && iam !== Boolean(current.IAMDatabaseAuthenticationEnabled)) {
    changes.push({ field: 'EnableIAMDatabaseAuthentication', from: current.IAMDatabaseAuthenticationEnabled, to: iam });
  }
  const have = current.EnabledCloudwatchLogsExports ?? [];
  const add = (desired.EnableLogTypes ?? []).filter((t) => !have.includes(t));
  if (add.length) changes.push({ field: LOG_EXPORTS_FIELD, from: have.join(',') || undefined, to: add.join(','), note: 'adds these log exports' });
  return changes;
}

export interface PlannedChange {
  field: string;
  from: string | number | boolean | undefined;
  to: string | number | boolean;
  /** Why this change matters to a DBA (restart, irreversible …). */
  note?: string;
}

/**
 * RDS rule, shared with the local endpoint (src/local/ops/instances-work.ts): of the changes rdsctl makes,
 * only a new instance class restarts the database. Everything else is applied online.
 */
export const RESTART_FIELDS: ReadonlySet<string> = new Set(['DBInstanceClass']);
export const restartsInstance = (fields: Iterable<string>): boolean => [...fields].some((f) => RESTART_FIELDS.has(f));

/**
 * RebootDBInstance on RDS restarts the engine only: deferred changes keep waiting for the maintenance
 * window. The local endpoint has no clock-driven window, so its reboot is the window and applies them
 * (docs/LOCAL-ENDPOINT.md).
 */
export const rebootAppliesPending = (target: 'local' | 'aws'): boolean => target === 'local';

/** The instance as described, with what waits in PendingModifiedValues. */
export interface CurrentInstance extends ModifiableState {
  pending?: Record<string, unknown>;
}

/** PendingModifiedValues as changes from the current values (secrets shown hidden). */
export function pendingChanges(current: CurrentInstance): PlannedChange[] {
  return Object.entries(current.pending ?? {})
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
    .map(([field, v]) => {
      const secret = /Password/i.test(field);
      const from = secret ? '(hidden)' : ((current as Record<string, unknown>)[field] as PlannedChange['from']);
      const change: PlannedChange = { field, from, to: secret ? '(new, hidden)' : (v as PlannedChange['to']) };
      if (RESTART_FIELDS.has(field)) change.note = 'restarts the database';
      return change;
    });
}

export interface ModifyPlan {
  /** What this request changes. */
  changes: PlannedChange[];
  /** Changes already pending from an earlier modify that this request applies too (ApplyImmediately). */
  alsoApplied: PlannedChange[];
  /** Changes already pending that keep waiting for the maintenance window. */
  stillPending: PlannedChange[];
  /** When the instance restarts because of this request: now, at the maintenance window, or not at all. */
  restart?: 'now' | 'maintenance-window';
}

/**
 * Pure: the whole effect of `modify` on an instance in `current` state. RDS applies every pending change
 * together with a request sent with ApplyImmediately=true, so those are part of the plan.
 */
export function planModification(
  current: CurrentInstance, desired: ModifyRequest, opts: { target?: 'local' | 'aws'; applyImmediately: boolean },
): ModifyPlan {
  const changes = planModify(current, desired, opts.target ?? 'local');
  const asked = new Set(changes.map((c) => c.field));
  const pending = pendingChanges(current).filter((c) => !asked.has(c.field));
  const alsoApplied = opts.applyImmediately ? pending : [];
  const stillPending = opts.applyImmediately ? [] : pending;
  const restartNow = opts.applyImmediately && restartsInstance([...changes, ...alsoApplied].map((c) => c.field));
  const restartLater = !opts.applyImmediately && restartsInstance(changes.map((c) => c.field));
  return { changes, alsoApplied, stillPending, restart: restartNow ? 'now' : restartLater ? 'maintenance-window' : undefined };
}

/** The storage a ceiling is measured against: the requested size, else the pending one, else the current one. */
function effectiveStorage(current: CurrentInstance, desired: ModifyRequest): number {
  const pending = current.pending?.AllocatedStorage;
  return desired.AllocatedStorage ?? (typeof pending === 'number' ? pending : undefined) ?? current.AllocatedStorage ?? 0;
}

function maxStorageChange(current: CurrentInstance, desired: ModifyRequest): PlannedChange | undefined {
  const max = desired.MaxAllocatedStorage;
  if (max === undefined) return undefined;
  const allocated = effectiveStorage(current, desired);
  // RDS turns autoscaling off when the ceiling equals the allocated storage (then it reports none).
  if (max === false || max === allocated) {
    const on = current.MaxAllocatedStorage !== undefined && current.MaxAllocatedStorage !== current.AllocatedStorage;
    return on ? { field: 'MaxAllocatedStorage', from: current.MaxAllocatedStorage, to: allocated, note: 'turns storage autoscaling off' } : undefined;
  }
  if (max === current.MaxAllocatedStorage) return undefined;
  requireMaxStorage(max, allocated);
  return { field: 'MaxAllocatedStorage', from: current.MaxAllocatedStorage, to: max };
}

/**
 * Pure: what `modify` would change on an instance in `current` state. Validates the request the way
 * RDS does (storage can only grow, by ≥ 10%) so a bad request fails before any API call.
 */
export function planModify(current: CurrentInstance, desired: ModifyRequest, target: 'local' | 'aws' = 'local'): PlannedChange[] {
  const changes: PlannedChange[] = [];
  if (desired.DBInstanceClass !== undefined && desired.DBInstanceClass !== current.DBInstanceClass) {
    requireClassFor(desired.DBInstanceClass, target);
    changes.push({ field: 'DBInstanceClass', from: current.DBInstanceClass, to: desired.DBInstanceClass, note: 'restarts the database' });
  }
  if (desired.AllocatedStorage !== undefined && desired.AllocatedStorage !== current.AllocatedStorage) {
    requireStorage(desired.AllocatedStorage);
    const from = current.AllocatedStorage ?? 0;
    if (desired.AllocatedStorage < from) {
      throw usageError('STORAGE_DECREASE', `Storage cannot shrink (${from} → ${desired.AllocatedStorage} GiB): RDS only grows storage.`, {
        hint: 'To shrink, restore a snapshot into a smaller new instance.',
      });
    }
    const min = minStorageIncrease(from);
    if (desired.AllocatedStorage < min) {
      throw usageError('STORAGE_INCREASE_TOO_SMALL', `Storage must grow by at least 10% (to ≥ ${min} GiB).`, {
        hint: `Pass --storage ${min} or more.`,
      });
    }
    changes.push({ field: 'AllocatedStorage', from: current.AllocatedStorage, to: desired.AllocatedStorage, note: 'cannot be undone' });
  }
  const max = maxStorageChange(current, desired);
  if (max) changes.push(max);
  if (desired.BackupRetentionPeriod !== undefined && desired.BackupRetentionPeriod !== current.BackupRetentionPeriod) {
    requireRetention(desired.BackupRetentionPeriod);
    const note = desired.BackupRetentionPeriod === 0 ? 'disables automated backups and point-in-time restore' : undefined;
    changes.push({ field: 'BackupRetentionPeriod', from: current.BackupRetentionPeriod, to: desired.BackupRetentionPeriod, note });
  }
  if (desired.DeletionProtection !== undefined && desired.DeletionProtection !== current.DeletionProtection) {
    changes.push({ field: 'DeletionProtection', from: current.DeletionProtection, to: desired.DeletionProtection });
  }
  const group = current.DBParameterGroups?.[0]?.DBParameterGroupName;
  if (desired.DBParameterGroupName !== undefined && desired.DBParameterGroupName.toLowerCase() !== group) {
    // RDS associates the group at once but its values take effect at the next reboot.
    changes.push({ field: 'DBParameterGroupName', from: group, to: desired.DBParameterGroupName, note: 'takes effect at the next reboot' });
  }
  return [...changes, ...switchChanges(current, desired)];
}
