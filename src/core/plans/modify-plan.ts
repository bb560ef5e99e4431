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
}

export interface ModifyRequest extends ModifiableState {}

export interface PlannedChange {
  field: keyof ModifiableState;
  from: string | number | boolean | undefined;
  to: string | number | boolean;
  /** Why this change matters to a DBA (restart, irreversible …). */
  note?: string;
}

/**
 * Pure: what `modify` would change on an instance in `current` state. Validates the request the way
 * RDS does (storage can only grow, by ≥ 10%) so a bad request fails before any API call.
 */
export function planModify(current: ModifiableState, desired: ModifyRequest, target: 'local' | 'aws' = 'local'): PlannedChange[] {
  const changes: PlannedChange[] = [];
  if (desired.DBInstanceClass !== undefined && desired.DBInstanceClass !== current.DBInstanceClass) {
    requireClassFor(desired.DBInstanceClass, target);
    changes.push({ field: 'DBInstanceClass', from: current.DBInstanceClass, to: desired.DBInstanceClass, note: 'restarts the database (brief outage)' });
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
  if (desired.MaxAllocatedStorage !== undefined && desired.MaxAllocatedStorage !== current.MaxAllocatedStorage) {
    requireMaxStorage(desired.MaxAllocatedStorage, desired.AllocatedStorage ?? current.AllocatedStorage ?? 0);
    changes.push({ field: 'MaxAllocatedStorage', from: current.MaxAllocatedStorage, to: desired.MaxAllocatedStorage });
  }
  if (desired.BackupRetentionPeriod !== undefined && desired.BackupRetentionPeriod !== current.BackupRetentionPeriod) {
    requireRetention(desired.BackupRetentionPeriod);
    const note = desired.BackupRetentionPeriod === 0 ? 'disables automated backups and point-in-time restore' : undefined;
    changes.push({ field: 'BackupRetentionPeriod', from: current.BackupRetentionPeriod, to: desired.BackupRetentionPeriod, note });
  }
  if (desired.DeletionProtection !== undefined && desired.DeletionProtection !== current.DeletionProtection) {
    changes.push({ field: 'DeletionProtection', from: current.DeletionProtection, to: desired.DeletionProtection });
  }
  return changes;
}
