import type { DBInstanceAutomatedBackup, DBInstanceAutomatedBackupMessage } from '@aws-sdk/client-rds';
import type { OpHandler } from '../server/types.js';
import { LOCAL_REGION } from '../state/credentials.js';
import { instanceArn } from './arns.js';
import { automatedBackupArn, automatedBackupNotFound, backupStore, type AutomatedBackupRecord } from './backups-store.js';
import { windowOf } from './backups-window.js';
import type { OpsContext } from './context.js';
import { invalidValue } from './faults.js';
import { checkMaxRecords, page } from './instances-describe.js';
import { filters, int, str } from './params.js';

const FILTERS: Record<string, (b: AutomatedBackupRecord, v: string) => boolean> = {
  'db-instance-id': (b, v) => b.instanceId === v.toLowerCase() || instanceArn(b.instanceId) === v,
  'dbi-resource-id': (b, v) => b.id === v,
  status: (b, v) => statusOf(b) === v,
};

const statusOf = (b: AutomatedBackupRecord) => (b.bases.length === 0 ? 'creating' : b.status);

async function render(ctx: OpsContext, b: AutomatedBackupRecord): Promise<DBInstanceAutomatedBackup> {
  const w = await windowOf(ctx, b);
  const i = b.instance;
  return {
    DBInstanceArn: instanceArn(b.instanceId), DbiResourceId: b.id, Region: LOCAL_REGION, DBInstanceIdentifier: b.instanceId,
    RestoreWindow: w ? { EarliestTime: w.earliest, LatestTime: w.latest } : undefined,
    AllocatedStorage: i.allocatedStorage, Status: statusOf(b), Port: i.port, AvailabilityZone: i.availabilityZone,
    InstanceCreateTime: new Date(i.createTime), MasterUsername: i.masterUsername, Engine: i.engine, EngineVersion: i.engineVersion,
    LicenseModel: 'general-public-license', Iops: i.iops, Encrypted: i.storageEncrypted, StorageType: i.storageType,
    KmsKeyId: i.storageEncrypted ? i.kmsKeyId : undefined, IAMDatabaseAuthenticationEnabled: false,
    BackupRetentionPeriod: i.backupRetentionPeriod, DBInstanceAutomatedBackupsArn: automatedBackupArn(b.id), BackupTarget: 'region',
  };
}

/** DescribeDBInstanceAutomatedBackups: by DbiResourceId / DBInstanceIdentifier / ARN, filters, paging; the window read from the archive. */
export function describeDBInstanceAutomatedBackups(ctx: OpsContext): OpHandler<DBInstanceAutomatedBackupMessage> {
  return async (req) => {
    const fs = filters(req.flat);
    for (const f of fs) if (!FILTERS[f.Name]) throw invalidValue(`Unrecognized filter name: ${f.Name}. Supported: ${Object.keys(FILTERS).join(', ')}.`);
    const maxRecords = checkMaxRecords(int(req.flat, 'MaxRecords'));
    const dbi = str(req.flat, 'DbiResourceId');
    const instance = str(req.flat, 'DBInstanceIdentifier');
    const arn = str(req.flat, 'DBInstanceAutomatedBackupsArn');
    let all = backupStore(ctx.home).list();
    if (dbi !== undefined) all = all.filter((b) => b.id === dbi);
    if (instance !== undefined) all = all.filter((b) => FILTERS['db-instance-id'](b, instance));
    if (arn !== undefined) all = all.filter((b) => automatedBackupArn(b.id) === arn);
    if ((dbi !== undefined || arn !== undefined) && all.length === 0) throw automatedBackupNotFound(dbi ?? arn!);
    all = all.filter((b) => fs.every((f) => f.Values.some((v) => FILTERS[f.Name](b, v))));
    const result = page(all, maxRecords, str(req.flat, 'Marker'));
    return { DBInstanceAutomatedBackups: await Promise.all(result.items.map((b) => render(ctx, b))), Marker: result.marker };
  };
}
