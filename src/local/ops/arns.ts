import { formatArn, rdsArn, rdsArnName, type RdsResourceType } from '../../core/arn.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../state/credentials.js';

/** ARNs of the local endpoint's resources: its region and account, spelled in one place. */
export function localRdsArn(type: RdsResourceType, name: string): string {
  return rdsArn(LOCAL_REGION, LOCAL_ACCOUNT, type, name);
}

export function localArn(service: string, resource: string): string {
  return formatArn({ service, region: LOCAL_REGION, account: LOCAL_ACCOUNT, resource });
}

export function instanceArn(id: string): string {
  return localRdsArn('db', id);
}

/** The name in one of this endpoint's RDS ARNs (its region and account only), or undefined. */
export function localRdsArnName(text: string, type: RdsResourceType): string | undefined {
  const parsed = rdsArnName(text, type);
  return parsed && parsed.region === LOCAL_REGION && parsed.account === LOCAL_ACCOUNT ? parsed.name : undefined;
}

/**
 * The account's default RDS key (alias aws/rds), as RDS uses it for StorageEncrypted without KmsKeyId. One
 * account here (LOCAL_ACCOUNT), so one fixed key id; Describe shows its key ARN as RDS does.
 */
export const LOCAL_RDS_KEY_ARN = localArn('kms', 'key/1d96233e-b001-4320-b6f1-6cac7c331a43');
const DEFAULT_ALIASES = new Set(['alias/aws/rds', localArn('kms', 'alias/aws/rds')]);

/** The account's aws/secretsmanager key, which encrypts a managed master password secret by default. */
export const LOCAL_SECRETSMANAGER_KEY_ARN = localArn('kms', 'key/5c7a1f0e-8d2b-4e6a-9f3c-0b1d2e3f4a5b');

/** MasterUserSecret.KmsKeyId: the given key (a key id made a key ARN), else the aws/secretsmanager key. */
export function secretKeyArn(kmsKeyId: string | undefined): string {
  if (kmsKeyId === undefined || kmsKeyId === 'alias/aws/secretsmanager' || kmsKeyId === localArn('kms', 'alias/aws/secretsmanager')) return LOCAL_SECRETSMANAGER_KEY_ARN;
  return /^(mrk-)?[0-9a-f]{8}-[0-9a-f-]{27}$/.test(kmsKeyId) ? localArn('kms', `key/${kmsKeyId}`) : kmsKeyId;
}

/**
 * The key ARN of an encrypted instance, snapshot or restore: the requested key (key ARN, or key id made an
 * ARN), else the aws/rds key. Records from before took `key/<DbiResourceId>`: shown as the aws/rds key too.
 * Any other alias names a key this endpoint cannot know (it has no KMS): undefined, the caller refuses it.
 */
export function storageKeyArn(kmsKeyId: string | undefined): string | undefined {
  if (kmsKeyId === undefined || DEFAULT_ALIASES.has(kmsKeyId) || /:key\/db-[A-Z2-7]+$/.test(kmsKeyId)) return LOCAL_RDS_KEY_ARN;
  if (/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(kmsKeyId)) return kmsKeyId;
  if (/^(mrk-)?[0-9a-f]{8}-?[0-9a-f-]{27,}$|^mrk-[0-9a-f]{32}$/.test(kmsKeyId)) return localArn('kms', `key/${kmsKeyId}`);
  return undefined;
}
