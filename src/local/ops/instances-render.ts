import type { InstanceRecord } from '../state/registry.js';
import { instanceArn } from './context.js';

/** The CA the local endpoint's server certificates chain to (shown as CACertificateIdentifier). */
export const LOCAL_CA_ID = 'rdsctl-local-ca';
export const LOCAL_HOST = '127.0.0.1';

function pendingValues(rec: InstanceRecord): Record<string, unknown> {
  const p = rec.pending;
  return { DBInstanceClass: p.DBInstanceClass, AllocatedStorage: p.AllocatedStorage, BackupRetentionPeriod: p.BackupRetentionPeriod };
}

function masterUserSecret(rec: InstanceRecord): Record<string, unknown> | undefined {
  if (!rec.manageMasterUserPassword) return undefined;
  return {
    SecretArn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:rds!${rec.dbiResourceId}`,
    SecretStatus: 'active',
    KmsKeyId: 'alias/aws/secretsmanager',
  };
}

/** An instance record in the shape RDS returns as <DBInstance> (XML member names included). */
export function renderInstance(rec: InstanceRecord, caValidTill?: Date): Record<string, unknown> {
  const hasEndpoint = rec.status !== 'creating' || rec.initCompleted;
  return {
    DBInstanceIdentifier: rec.id,
    DBInstanceClass: rec.instanceClass,
    Engine: rec.engine,
    DBInstanceStatus: rec.status,
    MasterUsername: rec.masterUsername,
    DBName: rec.dbName,
    Endpoint: hasEndpoint ? { Address: LOCAL_HOST, Port: rec.port, HostedZoneId: 'Z2R2ITUGPM61AM' } : undefined,
    AllocatedStorage: rec.allocatedStorage,
    InstanceCreateTime: rec.createTime,
    PreferredBackupWindow: rec.preferredBackupWindow,
    BackupRetentionPeriod: rec.backupRetentionPeriod,
    DBSecurityGroups: { DBSecurityGroup: [] },
    VpcSecurityGroups: { VpcSecurityGroupMembership: [] },
    DBParameterGroups: { DBParameterGroup: [{ DBParameterGroupName: `default.${rec.engine}${rec.engineVersion.split('.').slice(0, 2).join('.')}`, ParameterApplyStatus: 'in-sync' }] },
    AvailabilityZone: rec.availabilityZone,
    PreferredMaintenanceWindow: rec.preferredMaintenanceWindow,
    PendingModifiedValues: pendingValues(rec),
    MultiAZ: false,
    EngineVersion: rec.engineVersion,
    AutoMinorVersionUpgrade: false,
    ReadReplicaDBInstanceIdentifiers: { ReadReplicaDBInstanceIdentifier: [] },
    LicenseModel: 'general-public-license',
    Iops: rec.iops,
    PubliclyAccessible: false,
    StorageType: rec.storageType,
    DbInstancePort: rec.port,
    StorageEncrypted: rec.storageEncrypted,
    KmsKeyId: rec.storageEncrypted ? (rec.kmsKeyId ?? `arn:aws:kms:us-east-1:000000000000:key/${rec.dbiResourceId}`) : undefined,
    DbiResourceId: rec.dbiResourceId,
    CACertificateIdentifier: LOCAL_CA_ID,
    CopyTagsToSnapshot: false,
    DBInstanceArn: instanceArn(rec.id),
    IAMDatabaseAuthenticationEnabled: false,
    DeletionProtection: rec.deletionProtection,
    MaxAllocatedStorage: rec.maxAllocatedStorage,
    TagList: { Tag: rec.tags },
    CertificateDetails: { CAIdentifier: LOCAL_CA_ID, ValidTill: caValidTill },
    MasterUserSecret: masterUserSecret(rec),
    NetworkType: 'IPV4',
    BackupTarget: 'region',
  };
}
