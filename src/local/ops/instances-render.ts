import type { DBInstance, PendingModifiedValues } from '@aws-sdk/client-rds';
import type { InstanceRecord } from '../state/registry.js';
import { instanceArn, localArn, secretKeyArn, storageKeyArn } from './arns.js';
import { LOCAL_VPC_ID, defaultOptionGroup } from './instance-metadata.js';
import { renderParameterGroups } from './pg-apply.js';

/** The CA the local endpoint's server certificates chain to (shown as CACertificateIdentifier). */
export const LOCAL_CA_ID = 'rdsctl-local-ca';
export const LOCAL_HOST = '127.0.0.1';

function pendingValues(rec: InstanceRecord): PendingModifiedValues {
  const p = rec.pending;
  return { DBInstanceClass: p.DBInstanceClass, AllocatedStorage: p.AllocatedStorage, BackupRetentionPeriod: p.BackupRetentionPeriod };
}

function masterUserSecret(rec: InstanceRecord): DBInstance['MasterUserSecret'] {
  if (!rec.manageMasterUserPassword) return undefined;
  return {
    // Records from before the local Secrets Manager get theirs at the next control-plane start (adoptLegacySecrets).
    SecretArn: rec.masterUserSecretArn ?? localArn('secretsmanager', `secret:rds!${rec.dbiResourceId}`),
    SecretStatus: 'active',
    KmsKeyId: secretKeyArn(rec.masterUserSecretKmsKeyId),
  };
}

/** Identity, placement and engine fields of <DBInstance>. */
function identity(rec: InstanceRecord): DBInstance {
  const hasEndpoint = rec.initCompleted; // as on RDS: no endpoint until the instance has been created
  return {
    DBInstanceIdentifier: rec.id,
    DBInstanceClass: rec.instanceClass,
    Engine: rec.engine,
    DBInstanceStatus: rec.status,
    MasterUsername: rec.masterUsername,
    DBName: rec.dbName,
    Endpoint: hasEndpoint ? { Address: LOCAL_HOST, Port: rec.port, HostedZoneId: 'Z2R2ITUGPM61AM' } : undefined,
    InstanceCreateTime: new Date(rec.createTime),
    AvailabilityZone: rec.availabilityZone,
    MultiAZ: false,
    EngineVersion: rec.engineVersion,
    AutoMinorVersionUpgrade: rec.autoMinorVersionUpgrade ?? true,
    LicenseModel: 'general-public-license',
    PubliclyAccessible: false,
    DbInstancePort: rec.port,
    DbiResourceId: rec.dbiResourceId,
    DBInstanceArn: instanceArn(rec.id),
    NetworkType: 'IPV4',
    PendingModifiedValues: pendingValues(rec),
    TagList: rec.tags,
  };
}

/** Storage, backup, security and group fields of <DBInstance>. */
function settings(rec: InstanceRecord, caValidTill?: Date): DBInstance {
  return {
    AllocatedStorage: rec.allocatedStorage,
    MaxAllocatedStorage: rec.maxAllocatedStorage,
    StorageType: rec.storageType,
    Iops: rec.iops,
    PreferredBackupWindow: rec.preferredBackupWindow,
    PreferredMaintenanceWindow: rec.preferredMaintenanceWindow,
    BackupRetentionPeriod: rec.backupRetentionPeriod,
    BackupTarget: 'region',
    CopyTagsToSnapshot: rec.copyTagsToSnapshot ?? false,
    DBSecurityGroups: [],
    VpcSecurityGroups: (rec.vpcSecurityGroupIds ?? []).map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    DBParameterGroups: renderParameterGroups(rec),
    ...metadata(rec),
    ReadReplicaDBInstanceIdentifiers: [],
    StorageEncrypted: rec.storageEncrypted,
    KmsKeyId: rec.storageEncrypted ? storageKeyArn(rec.kmsKeyId) : undefined,
    CACertificateIdentifier: rec.caCertificateIdentifier ?? LOCAL_CA_ID,
    CertificateDetails: { CAIdentifier: rec.caCertificateIdentifier ?? LOCAL_CA_ID, ValidTill: caValidTill },
    IAMDatabaseAuthenticationEnabled: rec.iamDatabaseAuthenticationEnabled ?? false,
    DeletionProtection: rec.deletionProtection,
    MasterUserSecret: masterUserSecret(rec),
  };
}

/** OptionGroupMemberships: with a move waiting for the maintenance window (og-apply.ts moveOptionGroup), both groups. */
function optionGroupMemberships(r: InstanceRecord): Array<{ OptionGroupName: string; Status: string }> {
  const current = { OptionGroupName: r.optionGroupName ?? defaultOptionGroup(r.engine, r.engineVersion), Status: r.optionGroupStatus ?? 'in-sync' };
  if (r.pendingOptionGroupName === undefined) return [current];
  return [{ ...current, Status: 'pending-maintenance-removal' }, { OptionGroupName: r.pendingOptionGroupName, Status: 'pending-maintenance-apply' }];
}

/** Subnet group, option group, log exports, lifecycle support: metadata as sent (instance-metadata.ts). */
function metadata(rec: InstanceRecord): DBInstance {
  return {
    DBSubnetGroup: rec.dbSubnetGroupName
      ? { DBSubnetGroupName: rec.dbSubnetGroupName, VpcId: LOCAL_VPC_ID, SubnetGroupStatus: 'Complete' }
      : undefined,
    OptionGroupMemberships: optionGroupMemberships(rec),
    EnabledCloudwatchLogsExports: rec.cloudwatchLogsExports?.length ? rec.cloudwatchLogsExports : undefined,
    EngineLifecycleSupport: rec.engineLifecycleSupport ?? 'open-source-rds-extended-support',
    PerformanceInsightsEnabled: false,
    MonitoringInterval: rec.monitoringInterval ?? 0,
    MonitoringRoleArn: rec.monitoringRoleArn,
    EnhancedMonitoringResourceArn: rec.monitoringInterval ? localArn('logs', `log-group:RDSOSMetrics:log-stream:${rec.dbiResourceId}`) : undefined,
  };
}

/** The output of every single-instance operation (Create/Modify/Reboot/Stop/Start/DeleteDBInstanceResult). */
export interface InstanceResult {
  DBInstance: DBInstance;
}

/** An instance record as RDS describes it (the SDK's DBInstance shape; the protocol layer encodes it). */
export function renderInstance(rec: InstanceRecord, caValidTill?: Date): DBInstance {
  return { ...identity(rec), ...settings(rec, caValidTill) };
}
