import type { FlatParams } from '../server/types.js';
import { AwsFault } from '../server/types.js';

/**
 * Every input member of CreateDBInstance / ModifyDBInstance in the SDK's model (CreateDBInstanceMessage,
 * ModifyDBInstanceMessage) is in one of these tables: honoured (stored, applied where it means something,
 * returned by Describe) or refused with AWS's error. A refused member may still carry its neutral value
 * (what a client sends for "off": MultiAZ=false, MonitoringInterval=0, LicenseModel=general-public-license),
 * which means what the endpoint already does. A member missing from the table (a newer SDK) is refused
 * too, so nothing is ever accepted and dropped. test/unit/instance-params.test.ts checks the tables against
 * the SDK's model and docs/LOCAL-ENDPOINT.md.
 */
export type ParamRule =
  | { honoured: true; note?: string }
  | { honoured: false; code: 'InvalidParameterCombination' | 'InvalidParameterValue'; why: string; neutral?: (value: string) => boolean };

const honoured = (note?: string): ParamRule => ({ honoured: true, note });
const refused = (why: string, neutral?: (v: string) => boolean): ParamRule =>
  ({ honoured: false, code: 'InvalidParameterCombination', why, neutral });
const isFalse = (v: string) => v === 'false';
const is = (...values: string[]) => (v: string) => values.includes(v);

/** Shared by both operations. */
const COMMON: Record<string, ParamRule> = {
  DBInstanceIdentifier: honoured(),
  DBInstanceClass: honoured('decides the mariadbd settings'),
  AllocatedStorage: honoured('the storage quota'),
  MasterUserPassword: honoured(),
  ManageMasterUserPassword: honoured('password generated, served by the local Secrets Manager'),
  MasterUserSecretKmsKeyId: honoured('shown in MasterUserSecret'),
  VpcSecurityGroupIds: honoured('metadata'),
  DBSubnetGroupName: honoured('metadata; must exist (CreateDBSubnetGroup) or be `default`'),
  DBParameterGroupName: honoured('`default.mariadb10.11` or a created group (else DBParameterGroupNotFound); a change applies at the next reboot'),
  OptionGroupName: honoured('`default:mariadb-10-11` or a created group (else OptionGroupNotFoundFault); its MARIADB_AUDIT_PLUGIN applies without a restart; a move by ModifyDBInstance waits for the next reboot or start unless ApplyImmediately'),
  BackupRetentionPeriod: honoured('automated backups: base backups + binlog archive, pruned past it (docs/BACKUPS.md)'),
  PreferredBackupWindow: honoured('when the daily base backup starts (UTC)'),
  PreferredMaintenanceWindow: honoured('metadata; pending changes apply at the next reboot'),
  EngineVersion: honoured('must be the installed server\'s version'),
  AutoMinorVersionUpgrade: honoured('metadata'),
  CACertificateIdentifier: honoured('metadata (the local CA signs every certificate)'),
  CopyTagsToSnapshot: honoured("the instance's tags go to its snapshots"),
  DeletionProtection: honoured(),
  MaxAllocatedStorage: honoured('storage autoscaling'),
  EngineLifecycleSupport: honoured('metadata'),
  Iops: honoured('metadata'),
  StorageType: honoured('storage limits'),
  MultiAZ: refused('Multi-AZ is not supported by the local endpoint yet; omit MultiAZ or set it to false.', isFalse),
  PubliclyAccessible: refused('The local endpoint listens on 127.0.0.1 only; PubliclyAccessible must be false.', isFalse),
  EnableIAMDatabaseAuthentication: honoured('auth_pam + the control plane\'s token verifier (needs root); a change restarts the instance'),
  LicenseModel: refused('MariaDB has one license model: general-public-license.', is('general-public-license')),
  StorageThroughput: refused('StorageThroughput is not supported by the local endpoint (storage throughput is the machine\'s).'),
  DBSecurityGroups: refused('DB security groups are EC2-Classic; use VpcSecurityGroupIds.'),
  TdeCredentialArn: refused('TDE credentials are for Oracle and SQL Server, not mariadb.'),
  TdeCredentialPassword: refused('TDE credentials are for Oracle and SQL Server, not mariadb.'),
  Domain: refused('Kerberos authentication (Domain) is not available for mariadb.'),
  DomainFqdn: refused('Self-managed Active Directory is not available for mariadb.'),
  DomainOu: refused('Self-managed Active Directory is not available for mariadb.'),
  DomainAuthSecretArn: refused('Self-managed Active Directory is not available for mariadb.'),
  DomainDnsIps: refused('Self-managed Active Directory is not available for mariadb.'),
  DomainIAMRoleName: refused('Kerberos authentication (Domain) is not available for mariadb.'),
  MonitoringInterval: honoured('0, 1, 5, 10, 15, 30 or 60: how often the metrics sampler reads the instance (0: once a minute)'),
  MonitoringRoleArn: honoured('required when MonitoringInterval > 0 (an IAM role ARN; not assumed here)'),
  PromotionTier: refused('PromotionTier applies to Aurora DB clusters only.'),
  DatabaseInsightsMode: refused('Database Insights advanced mode is not supported by the local endpoint.', is('standard')),
  EnablePerformanceInsights: refused('Performance Insights is not supported by the local endpoint; EnablePerformanceInsights must be false.', isFalse),
  PerformanceInsightsKMSKeyId: refused('Performance Insights is not supported by the local endpoint.'),
  PerformanceInsightsRetentionPeriod: refused('Performance Insights is not supported by the local endpoint.'),
  ProcessorFeatures: refused('ProcessorFeatures are for Oracle, not mariadb.'),
  EnableCustomerOwnedIp: refused('Customer-owned IP addresses are an RDS on Outposts feature.', isFalse),
  NetworkType: refused('The local endpoint listens on IPv4 (127.0.0.1) only; NetworkType must be IPV4.', is('IPV4')),
  MultiTenant: refused('The multi-tenant configuration is for Oracle, not mariadb.', isFalse),
  DedicatedLogVolume: refused('Dedicated log volumes are not supported by the local endpoint.', isFalse),
  AdditionalStorageVolumes: refused('Additional storage volumes are for Oracle and SQL Server, not mariadb.'),
  TagSpecifications: refused('TagSpecifications (tags for the master user secret) are not supported by the local endpoint yet.'),
  DBCapacityReservationIdentifier: refused('Capacity reservations are not supported by the local endpoint.'),
  MasterUserAuthenticationType: refused('Only password authentication is supported by the local endpoint.', is('password')),
};

export const CREATE_PARAMS: Record<string, ParamRule> = {
  ...COMMON,
  Engine: honoured('mariadb'),
  DBName: honoured('the database is created'),
  MasterUsername: honoured(),
  Port: honoured('the endpoint port'),
  AvailabilityZone: honoured('metadata: us-east-1a, us-east-1b or us-east-1c'),
  StorageEncrypted: honoured('InnoDB encryption at rest'),
  KmsKeyId: honoured('shown as a key ARN (default: the aws/rds key); an unknown alias → KMSKeyNotAccessibleFault'),
  Tags: honoured(),
  EnableCloudwatchLogsExports: honoured('metadata: audit, error, general, slowquery'),
  BackupTarget: refused('Backups on Outposts are not supported; BackupTarget must be region.', is('region')),
  CharacterSetName: refused('CharacterSetName is for Oracle and SQL Server; set character_set_server in a DB parameter group.'),
  NcharCharacterSetName: refused('NcharCharacterSetName is for Oracle, not mariadb.'),
  DBClusterIdentifier: refused('DB clusters (Aurora, Multi-AZ clusters) are not supported by the local endpoint.'),
  Timezone: refused('Timezone is for SQL Server; set time_zone in a DB parameter group.'),
  CustomIamInstanceProfile: refused('RDS Custom is not supported by the local endpoint.'),
  DBSystemId: refused('DBSystemId is for RDS Custom for Oracle, not mariadb.'),
};

export const MODIFY_PARAMS: Record<string, ParamRule> = {
  ...COMMON,
  ApplyImmediately: honoured(),
  EngineVersion: honoured('only the installed version (another → InvalidParameterCombination)'),
  StorageType: honoured('only the current type (a change → InvalidParameterCombination)'),
  Iops: honoured('only the current value (a change → InvalidParameterCombination)'),
  AllowMajorVersionUpgrade: honoured('only one version is installed, so it changes nothing'),
  CloudwatchLogsExportConfiguration: honoured('metadata: EnableLogTypes, DisableLogTypes'),
  CertificateRotationRestart: honoured('the certificate does not change, so nothing restarts'),
  UseDefaultProcessorFeatures: honoured('there are no processor features to reset'),
  Engine: refused('The engine cannot be changed (only mariadb runs here).'),
  NewDBInstanceIdentifier: refused('Renaming a DB instance (NewDBInstanceIdentifier) is not supported by the local endpoint yet.'),
  DBPortNumber: refused('Changing the port (DBPortNumber) is not supported by the local endpoint yet.'),
  DisableDomain: refused('Kerberos authentication (Domain) is not available for mariadb.', isFalse),
  ReplicaMode: refused('ReplicaMode (mounted replicas) is for Oracle, not mariadb.'),
  AutomationMode: refused('RDS Custom is not supported by the local endpoint.'),
  ResumeFullAutomationModeMinutes: refused('RDS Custom is not supported by the local endpoint.'),
  AwsBackupRecoveryPointArn: refused('AWS Backup is not supported by the local endpoint.'),
  RotateMasterUserPassword: honoured('rotates the managed password now (ApplyImmediately): ALTER USER, the secret keeps the old one as AWSPREVIOUS'),
};

/** The Query protocol's own keys and members a later check reads (Action, Version). */
const PROTOCOL_KEYS = new Set(['Action', 'Version']);

/** The top-level member a flat key belongs to: `VpcSecurityGroupIds.VpcSecurityGroupId.1` → VpcSecurityGroupIds. */
function memberOf(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}

/**
 * Refuses any member that is not honoured, unless it carries its neutral value (or is empty, which the
 * Query protocol uses for "not set"). Unknown members are refused with InvalidParameterValue.
 */
export function refuseUnhonoured(flat: FlatParams, table: Record<string, ParamRule>, action: string): void {
  for (const [key, value] of Object.entries(flat)) {
    if (PROTOCOL_KEYS.has(key) || value === '') continue;
    const name = memberOf(key);
    const rule = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!rule) throw new AwsFault('InvalidParameterValue', `The parameter ${name} is not recognized by ${action} on the local endpoint.`, 400);
    if (rule.honoured) continue;
    if (key === name && rule.neutral?.(value)) continue;
    throw new AwsFault(rule.code, rule.why, 400);
  }
}

/** The honoured/refused table of docs/LOCAL-ENDPOINT.md (the unit test keeps the doc equal to it). */
export function paramsTableMarkdown(): string {
  const names = [...new Set([...Object.keys(CREATE_PARAMS), ...Object.keys(MODIFY_PARAMS)])].sort();
  const cell = (rule: ParamRule | undefined, neutralText: string) => {
    if (!rule) return '—';
    if (rule.honoured) return rule.note ? `honoured: ${rule.note}` : 'honoured';
    return `refused (${rule.code})${rule.neutral ? neutralText : ''}`;
  };
  const rows = names.map((n) => {
    const c = Object.hasOwn(CREATE_PARAMS, n) ? CREATE_PARAMS[n] : undefined;
    const m = Object.hasOwn(MODIFY_PARAMS, n) ? MODIFY_PARAMS[n] : undefined;
    const why = [c, m].find((r): r is Extract<ParamRule, { honoured: false }> => r !== undefined && !r.honoured)?.why ?? '';
    return `| ${n} | ${cell(c, '; its "off" value is accepted')} | ${cell(m, '; its "off" value is accepted')} | ${why} |`;
  });
  return ['| parameter | CreateDBInstance | ModifyDBInstance | why refused |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
