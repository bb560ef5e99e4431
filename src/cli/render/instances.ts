import type { DBInstance } from '@aws-sdk/client-rds';
import { renderFields, renderTable } from './table.js';

export function renderInstanceList(dbs: DBInstance[]): string {
  if (dbs.length === 0) return 'No DB instances on this target. Create one with `rdsctl provision <id>`.';
  return renderTable(
    ['IDENTIFIER', 'STATUS', 'CLASS', 'ENGINE', 'STORAGE', 'ENDPOINT', 'ENCRYPTED'],
    dbs.map((d) => [
      d.DBInstanceIdentifier,
      d.DBInstanceStatus,
      d.DBInstanceClass,
      `${d.Engine} ${d.EngineVersion ?? ''}`.trim(),
      `${d.AllocatedStorage} GiB`,
      d.Endpoint ? `${d.Endpoint.Address}:${d.Endpoint.Port}` : undefined,
      d.StorageEncrypted ? 'yes' : 'no',
    ]),
  );
}

/** `local`: the local endpoint keeps the retention setting but takes no automated backups (yet): say so. */
export function renderInstance(d: DBInstance, target: 'local' | 'aws' = 'aws'): string {
  const pending = Object.entries(d.PendingModifiedValues ?? {}).filter(([, v]) => v !== undefined);
  return renderFields([
    ['Identifier', d.DBInstanceIdentifier],
    ['Status', d.DBInstanceStatus],
    ['Engine', `${d.Engine} ${d.EngineVersion ?? ''}`.trim()],
    ['Class', d.DBInstanceClass],
    ['Endpoint', d.Endpoint ? `${d.Endpoint.Address}:${d.Endpoint.Port}` : undefined],
    ['Master user', d.MasterUsername],
    ['Storage', `${d.AllocatedStorage} GiB${d.MaxAllocatedStorage ? ` (autoscaling to ${d.MaxAllocatedStorage} GiB)` : ''}${d.StorageType ? `, ${d.StorageType}` : ''}`],
    ['Encrypted', d.StorageEncrypted ? `yes${d.KmsKeyId ? ` (${d.KmsKeyId})` : ''}` : 'no'],
    ['Backup retention', `${d.BackupRetentionPeriod} day(s)${target === 'local' && d.BackupRetentionPeriod ? ' (setting only: the local target takes no automated backups yet)' : ''}`],
    ['Deletion protection', d.DeletionProtection ? 'on' : 'off'],
    ['CA', d.CACertificateIdentifier],
    ['Created', d.InstanceCreateTime?.toISOString()],
    ['Resource id', d.DbiResourceId],
    ['Pending changes', pending.length ? pending.map(([k, v]) => `${k}=${String(v)}`).join(', ') : undefined],
    ['Status info', d.StatusInfos?.length ? d.StatusInfos.map((s) => `${s.StatusType}: ${s.Status}${s.Message ? ` (${s.Message})` : ''}`).join('; ') : undefined],
  ]);
}
