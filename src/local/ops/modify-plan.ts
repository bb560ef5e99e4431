import type { FlatParams } from '../server/types.js';
import type { InstanceRecord, PendingChanges } from '../state/registry.js';
import { minStorageIncrease } from '../../core/validation.js';
import { invalidCombination } from './faults.js';
import { bool, int, str } from './params.js';
import {
  checkInstanceClass, checkMaxStorage, checkPassword, checkRetention, checkStorage,
} from './instances-validate.js';
import { MODIFY_PARAMS, refuseUnhonoured } from './instance-params.js';
import { readMetadata, type InstanceMetadata } from './instance-metadata.js';

/** What a ModifyDBInstance call changes, decided from the request and the current record alone. */
export interface ModifyPlan {
  applyImmediately: boolean;
  /** Metadata applied at once whatever ApplyImmediately says (as RDS does). */
  now: Partial<Pick<InstanceRecord, 'deletionProtection' | 'preferredBackupWindow' | 'preferredMaintenanceWindow' | 'maxAllocatedStorage' | 'backupRetentionPeriod'>> & Omit<InstanceMetadata, 'optionGroupName'>;
  /** The option group asked for: moved to now or at the maintenance window (og-apply.ts moveOptionGroup). */
  optionGroupName?: string;
  /** Clears MaxAllocatedStorage (autoscaling off: RDS takes Max = Allocated for that). */
  clearMaxAllocated: boolean;
  /** Changes that wait for the maintenance window unless ApplyImmediately. */
  deferred: PendingChanges;
  /** Always applied as soon as possible (RDS ignores ApplyImmediately for the password). */
  masterUserPassword?: string;
  /** EnableIAMDatabaseAuthentication changed: the node restarts with (or without) auth_pam. */
  iamAuth?: boolean;
  /** Turn on control-plane-managed password (a new one is generated). */
  manageMasterUserPassword?: boolean;
  /** RotateMasterUserPassword: a new managed password; the secret keeps the old one as AWSPREVIOUS. */
  rotateMasterUserPassword?: boolean;
}

/** AllocatedStorage can only grow, by at least 10% (RDS). */
export function checkStorageGrowth(next: number, rec: InstanceRecord): number | undefined {
  if (next === rec.allocatedStorage) return undefined;
  checkStorage(next, rec.storageType, rec.engine);
  if (next < rec.allocatedStorage) throw invalidCombination(`Invalid storage size: AllocatedStorage can't be decreased (from ${rec.allocatedStorage} to ${next} GiB).`);
  const min = minStorageIncrease(rec.allocatedStorage);
  if (next < min) throw invalidCombination(`Invalid storage size: the allocated storage must be increased by at least 10% (to ${min} GiB or more).`);
  return next;
}

function retentionChange(flat: FlatParams, rec: InstanceRecord, plan: ModifyPlan): void {
  const days = int(flat, 'BackupRetentionPeriod');
  if (days === undefined || days === rec.backupRetentionPeriod) return;
  checkRetention(days);
  // Switching backups on or off is an outage on RDS: it waits for the window unless ApplyImmediately.
  const toggles = (days === 0) !== (rec.backupRetentionPeriod === 0);
  if (toggles && !plan.applyImmediately) plan.deferred.BackupRetentionPeriod = days;
  else plan.now.backupRetentionPeriod = days;
}

function maxStorageChange(flat: FlatParams, rec: InstanceRecord, plan: ModifyPlan, allocated: number): void {
  const max = int(flat, 'MaxAllocatedStorage');
  if (max === undefined) return;
  if (max === allocated) plan.clearMaxAllocated = true;
  else plan.now.maxAllocatedStorage = checkMaxStorage(max, allocated);
}

function passwordChange(flat: FlatParams, rec: InstanceRecord, plan: ModifyPlan): void {
  const pw = str(flat, 'MasterUserPassword');
  const manage = bool(flat, 'ManageMasterUserPassword');
  if (pw !== undefined && manage === true) throw invalidCombination('You can\'t specify MasterUserPassword and ManageMasterUserPassword at the same time.');
  if (pw !== undefined && rec.manageMasterUserPassword && manage !== false) {
    throw invalidCombination('The master password is managed (ManageMasterUserPassword); set ManageMasterUserPassword=false to give your own MasterUserPassword.');
  }
  if (manage === false && rec.manageMasterUserPassword && pw === undefined) {
    throw invalidCombination('Turning off ManageMasterUserPassword requires a new MasterUserPassword.');
  }
  if (pw !== undefined) plan.masterUserPassword = checkPassword(pw);
  if (manage !== undefined && manage !== rec.manageMasterUserPassword) plan.manageMasterUserPassword = manage;
  if (bool(flat, 'RotateMasterUserPassword') === true) plan.rotateMasterUserPassword = rotationAllowed(rec, plan, pw, manage);
}

/** RDS rotates only a password it manages, only at once, and not while the same call changes who manages it. */
function rotationAllowed(rec: InstanceRecord, plan: ModifyPlan, pw: string | undefined, manage: boolean | undefined): true {
  if (!rec.manageMasterUserPassword || manage !== undefined) {
    throw invalidCombination('RotateMasterUserPassword applies only to a master user password that RDS manages in Secrets Manager (ManageMasterUserPassword), and not in the call that turns that on or off.');
  }
  if (pw !== undefined) throw invalidCombination("You can't specify MasterUserPassword and RotateMasterUserPassword at the same time.");
  if (!plan.applyImmediately) throw invalidCombination('You must specify ApplyImmediately=true when rotating the master user password (RotateMasterUserPassword).');
  return true;
}

/** One server version and one storage model run here: a request may repeat them, not change them. */
function checkSameEngineSettings(flat: FlatParams, rec: InstanceRecord): void {
  const version = str(flat, 'EngineVersion');
  if (version !== undefined && !rec.engineVersion.startsWith(version)) {
    throw invalidCombination(`Cannot upgrade ${rec.engine} from ${rec.engineVersion} to ${version}: this machine runs ${rec.engine} ${rec.engineVersion} only.`);
  }
  const type = str(flat, 'StorageType');
  if (type !== undefined && type !== rec.storageType) throw invalidCombination(`Changing StorageType (${rec.storageType} → ${type}) is not supported by the local endpoint yet.`);
  const iops = int(flat, 'Iops');
  if (iops !== undefined && iops !== rec.iops) throw invalidCombination(`Changing Iops is not supported by the local endpoint yet (it is ${rec.iops ?? 'not set'}).`);
}

/** `optionGroups`: the created option groups' names (see readMetadata). */
export function planModify(flat: FlatParams, rec: InstanceRecord, optionGroups: string[] = []): ModifyPlan {
  refuseUnhonoured(flat, MODIFY_PARAMS, 'ModifyDBInstance');
  checkSameEngineSettings(flat, rec);
  const { optionGroupName, ...now } = readMetadata(flat, rec, 'modify', optionGroups);
  const plan: ModifyPlan = { applyImmediately: bool(flat, 'ApplyImmediately') ?? false, now, optionGroupName, clearMaxAllocated: false, deferred: {} };
  const cls = str(flat, 'DBInstanceClass');
  if (cls !== undefined && cls !== rec.instanceClass) plan.deferred.DBInstanceClass = checkInstanceClass(cls, rec.engine);
  const storage = int(flat, 'AllocatedStorage');
  const grown = storage === undefined ? undefined : checkStorageGrowth(storage, rec);
  if (grown !== undefined) plan.deferred.AllocatedStorage = grown;
  maxStorageChange(flat, rec, plan, grown ?? rec.pending.AllocatedStorage ?? rec.allocatedStorage);
  retentionChange(flat, rec, plan);
  passwordChange(flat, rec, plan);
  const iam = bool(flat, 'EnableIAMDatabaseAuthentication');
  if (iam !== undefined && iam !== (rec.iamDatabaseAuthenticationEnabled ?? false)) plan.iamAuth = iam;
  const dp = bool(flat, 'DeletionProtection');
  if (dp !== undefined) plan.now.deletionProtection = dp;
  const bw = str(flat, 'PreferredBackupWindow');
  if (bw !== undefined) plan.now.preferredBackupWindow = bw;
  const mw = str(flat, 'PreferredMaintenanceWindow');
  if (mw !== undefined) plan.now.preferredMaintenanceWindow = mw;
  return plan;
}

/** true when the plan needs work on the process (not just a metadata write). */
export function needsJob(plan: ModifyPlan, pendingBefore: PendingChanges): boolean {
  const deferred = Object.keys(plan.deferred).length > 0 || Object.keys(pendingBefore).length > 0;
  return (plan.applyImmediately && deferred) || plan.masterUserPassword !== undefined || plan.manageMasterUserPassword !== undefined || plan.rotateMasterUserPassword === true || plan.iamAuth !== undefined;
}
