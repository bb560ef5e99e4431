import { maxStorageProblem } from '../../core/validation.js';
import { identifierProblem, masterPasswordProblem, masterUsernameProblem } from '../../core/identifiers.js';
import { findInstanceClass } from '../../core/instance-classes.js';
import { AwsFault, type FlatParams } from '../server/types.js';
import { storageKeyArn } from './arns.js';
import { invalidCombination, invalidValue, missingParameter } from './faults.js';
import { bool, int, required, str, tags } from './params.js';
import type { Tag } from '../state/registry.js';
import { CREATE_PARAMS, refuseUnhonoured } from './instance-params.js';
import { readMetadata, type InstanceMetadata } from './instance-metadata.js';

/** Pure validation of RDS instance parameters: data in, data (or an AwsFault) out. */

export const STORAGE_LIMITS: Record<string, [number, number]> = {
  gp2: [20, 65536], gp3: [20, 65536], io1: [100, 65536], io2: [100, 65536], standard: [5, 3072],
};
/** RDS's default total-storage quota per account and region. */
export const TOTAL_STORAGE_QUOTA_GIB = 100000;
export const INSTANCE_QUOTA = 40;

/** maxLength: 63 for instances, 255 for snapshots (rds-semantics.md). */
export function checkIdentifier(id: string, param = 'DBInstanceIdentifier', maxLength = 63): string {
  const problem = identifierProblem(id, maxLength);
  if (problem) {
    throw invalidValue(`The parameter ${param} is not a valid identifier (it ${problem}). Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`);
  }
  return id.toLowerCase();
}

export function checkInstanceClass(name: string, engine: string): string {
  if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(name)) throw invalidValue(`Invalid DB Instance class: ${name}`);
  if (!findInstanceClass(name)) {
    throw invalidCombination(`RDS does not support creating a DB instance with the following combination: DBInstanceClass=${name}, Engine=${engine}, EngineVersion=default, LicenseModel=general-public-license.`);
  }
  return name;
}

export function checkStorage(gib: number, storageType: string, engine: string): number {
  const [min, max] = STORAGE_LIMITS[storageType] ?? [20, 65536];
  if (gib < min || gib > max) throw invalidValue(`Invalid storage size for engine name ${engine} and storage type ${storageType}: ${gib}`);
  return gib;
}

export function checkRetention(days: number): number {
  if (days < 0 || days > 35) throw invalidValue(`Invalid backup retention period: ${days}. The backup retention period must be between 0 and 35 days.`);
  return days;
}

export function checkStorageType(t: string): string {
  if (!(t in STORAGE_LIMITS)) throw invalidValue(`Invalid storage type: ${t}. Valid values: gp2, gp3, io1, io2, standard.`);
  return t;
}

export function checkPassword(pw: string): string {
  const problem = masterPasswordProblem(pw);
  if (problem) throw invalidValue(`The parameter MasterUserPassword is not a valid password (it ${problem}). Only printable ASCII characters besides '/', '@', '"', ' ' may be used.`);
  return pw;
}

export function checkMaxStorage(max: number | undefined, allocated: number): number | undefined {
  if (max === undefined) return undefined;
  const problem = maxStorageProblem(max, allocated);
  if (problem) throw invalidCombination(`Invalid max storage size: MaxAllocatedStorage ${max} ${problem}.`);
  return max;
}

export interface CreatePlan {
  id: string;
  engine: 'mariadb' | 'mysql';
  engineVersion?: string;
  instanceClass: string;
  allocatedStorage: number;
  maxAllocatedStorage?: number;
  storageType: string;
  iops?: number;
  masterUsername: string;
  /** undefined when ManageMasterUserPassword: the control plane generates one. */
  masterUserPassword?: string;
  manageMasterUserPassword: boolean;
  dbName?: string;
  port?: number;
  backupRetentionPeriod: number;
  preferredBackupWindow: string;
  preferredMaintenanceWindow: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  iamDatabaseAuthenticationEnabled: boolean;
  deletionProtection: boolean;
  copyTagsToSnapshot: boolean;
  tags: Tag[];
  /** Metadata-only settings (instance-metadata.ts). */
  metadata: InstanceMetadata;
}

export interface CreateEnv {
  /** A MySQL 8 mysqld is installed (engine mysql possible). */
  mysqlAvailable: boolean;
  /** The installed server's version (defaults and families derive from it). */
  engineVersion: string;
  /** The created option groups (absent: only the default one exists). */
  optionGroups?: string[];
}

function checkEngine(flat: FlatParams, env: CreateEnv): 'mariadb' | 'mysql' {
  const engine = required(flat, 'Engine');
  if (engine !== 'mariadb' && engine !== 'mysql') throw invalidValue(`Invalid DB engine: ${engine}. The local endpoint runs mariadb (and mysql when a MySQL 8 server is installed).`);
  if (engine === 'mysql' && !env.mysqlAvailable) {
    throw invalidCombination('Engine mysql needs a MySQL 8 mysqld on this machine and none is installed; use Engine=mariadb or install MySQL 8.');
  }
  // Refused here rather than accepted and then failed: the engine layer runs MariaDB only for now.
  if (engine === 'mysql') {
    throw invalidCombination('A MySQL 8 mysqld is installed, but the local endpoint runs MariaDB instances only for now; use Engine=mariadb, or --target aws for MySQL.');
  }
  return engine;
}

function checkMasterCredentials(flat: FlatParams): Pick<CreatePlan, 'masterUsername' | 'masterUserPassword' | 'manageMasterUserPassword'> {
  const masterUsername = required(flat, 'MasterUsername');
  const userProblem = masterUsernameProblem(masterUsername);
  if (userProblem) throw invalidValue(`The parameter MasterUsername is not a valid user name (it ${userProblem}).`);
  const manage = bool(flat, 'ManageMasterUserPassword') ?? false;
  const pw = str(flat, 'MasterUserPassword');
  if (manage && pw !== undefined) throw invalidCombination('You can\'t specify MasterUserPassword and ManageMasterUserPassword at the same time.');
  if (!manage && !pw) throw invalidValue('The parameter MasterUserPassword must be provided and must not be blank.');
  return { masterUsername, masterUserPassword: pw === undefined ? undefined : checkPassword(pw), manageMasterUserPassword: manage };
}

export function checkDbName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) throw invalidValue(`The parameter DBName is not valid: ${name}. It must begin with a letter and contain 1 to 64 letters, digits or underscores.`);
  return name;
}

export function checkPort(port: number | undefined): number | undefined {
  if (port !== undefined && (port < 1150 || port > 65535)) throw invalidValue(`Invalid port ${port}: the port must be from 1150 to 65535.`);
  return port;
}

/** CreateDBInstance parameters → a plan, or the AwsFault RDS would answer. */
export function planCreate(flat: FlatParams, env: CreateEnv): CreatePlan {
  const id = checkIdentifier(required(flat, 'DBInstanceIdentifier'));
  const engine = checkEngine(flat, env);
  const instanceClass = checkInstanceClass(required(flat, 'DBInstanceClass'), engine);
  refuseUnhonoured(flat, CREATE_PARAMS, 'CreateDBInstance');
  const storageType = checkStorageType(str(flat, 'StorageType') ?? (flat.Iops ? 'io1' : 'gp3'));
  const storage = int(flat, 'AllocatedStorage');
  if (storage === undefined) throw missingParameter('AllocatedStorage');
  const allocatedStorage = checkStorage(storage, storageType, engine);
  const storageEncrypted = bool(flat, 'StorageEncrypted') ?? false;
  const kmsKeyId = str(flat, 'KmsKeyId');
  if (kmsKeyId && !storageEncrypted) throw invalidCombination('KmsKeyId can be specified only when StorageEncrypted is true.');
  return {
    id, engine, instanceClass, allocatedStorage, storageType, storageEncrypted, kmsKeyId: storageEncrypted ? requireStorageKey(kmsKeyId) : undefined,
    engineVersion: str(flat, 'EngineVersion'),
    maxAllocatedStorage: checkMaxStorage(int(flat, 'MaxAllocatedStorage'), allocatedStorage),
    iops: int(flat, 'Iops'),
    ...checkMasterCredentials(flat),
    dbName: checkDbName(str(flat, 'DBName')),
    port: checkPort(int(flat, 'Port')),
    backupRetentionPeriod: checkRetention(int(flat, 'BackupRetentionPeriod') ?? 1),
    preferredBackupWindow: str(flat, 'PreferredBackupWindow') ?? '03:00-03:30',
    preferredMaintenanceWindow: str(flat, 'PreferredMaintenanceWindow') ?? 'sun:05:00-sun:05:30',
    deletionProtection: bool(flat, 'DeletionProtection') ?? false,
    iamDatabaseAuthenticationEnabled: bool(flat, 'EnableIAMDatabaseAuthentication') ?? false,
    copyTagsToSnapshot: bool(flat, 'CopyTagsToSnapshot') ?? false,
    tags: tags(flat),
    metadata: readMetadata(flat, { engine, engineVersion: env.engineVersion }, 'create', env.optionGroups),
  };
}

/** KmsKeyId → the key ARN Describe shows; an alias other than aws/rds is a key this endpoint has not got. */
function requireStorageKey(kmsKeyId: string | undefined): string {
  const arn = storageKeyArn(kmsKeyId);
  if (arn === undefined) {
    throw new AwsFault('KMSKeyNotAccessibleFault', `The specified KMS key ${kmsKeyId} does not exist or is not accessible: the local endpoint knows alias/aws/rds, key ARNs and key ids.`, 400);
  }
  return arn;
}
