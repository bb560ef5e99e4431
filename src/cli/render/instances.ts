import type { DBInstance } from '@aws-sdk/client-rds';
import { fitTable, renderFields } from './table.js';

/**
 * At most `width` columns. ENCRYPTED goes first (a local endpoint then fits 80), then the endpoint (50+
 * characters on AWS); the table says what it left out and names a real command to see it.
 */
export function renderInstanceList(dbs: DBInstance[], width = 80): string {
  if (dbs.length === 0) return 'No DB instances on this target. Create one with `rdsctl provision <id>`.';
  const { text, dropped } = fitTable(
    ['IDENTIFIER', 'STATUS', 'CLASS', 'ENGINE', 'STORAGE', 'ENCRYPTED', 'ENDPOINT'],
    dbs.map((d) => [
      d.DBInstanceIdentifier,
      d.DBInstanceStatus,
      d.DBInstanceClass,
      `${d.Engine} ${d.EngineVersion ?? ''}`.trim(),
      `${d.AllocatedStorage} GiB`,
      d.StorageEncrypted ? 'yes' : 'no',
      d.Endpoint ? `${d.Endpoint.Address}:${d.Endpoint.Port}` : undefined,
    ]),
    width,
    ['ENDPOINT', 'ENCRYPTED'],
  );
  const example = `\`rdsctl describe ${dbs[0].DBInstanceIdentifier}\``;
  return dropped.length ? `${text}\n(${dropped.join(', ')} not shown at ${width} columns: ${example} or --json)` : text;
}

/** `local`: the local endpoint keeps the retention setting but takes no automated backups (yet): say so. */
export function renderInstance(d: DBInstance, target: 'local' | 'aws' = 'aws', width = 80): string {
  const pending = Object.entries(d.PendingModifiedValues ?? {}).filter(([, v]) => v !== undefined);
  return renderFields([
    ['Identifier', d.DBInstanceIdentifier],
    ['Status', d.DBInstanceStatus],
    ['Engine', `${d.Engine} ${d.EngineVersion ?? ''}`.trim()],
    ['Class', d.DBInstanceClass],
    ['Endpoint', d.Endpoint ? `${d.Endpoint.Address}:${d.Endpoint.Port}` : undefined],
    ['Master user', d.MasterUsername],
    // The database created with the instance (--db-name): where an application connects by default.
    ['Database', d.DBName ?? 'none created (--db-name at provision)'],
    ['Storage', `${d.AllocatedStorage} GiB${d.MaxAllocatedStorage ? ` (autoscaling to ${d.MaxAllocatedStorage} GiB)` : ''}${d.StorageType ? `, ${d.StorageType}` : ''}`],
    // The key id, not its 70-character ARN (which --json keeps): the line fits 80 columns.
    ['Encrypted', d.StorageEncrypted ? `yes${d.KmsKeyId ? ` (KMS key ${d.KmsKeyId.replace(/^arn:.*:key\//, '')})` : ''}` : 'no'],
    ['Backup retention', `${d.BackupRetentionPeriod} day(s)`],
    ['Latest restorable', d.LatestRestorableTime?.toISOString().replace('.000Z', 'Z')],
    ['Deletion protection', d.DeletionProtection ? 'on' : 'off'],
    ['IAM DB auth', d.IAMDatabaseAuthenticationEnabled ? 'enabled' : 'off'],
    ['CA', d.CACertificateIdentifier],
    ['Created', d.InstanceCreateTime?.toISOString()],
    ['Resource id', d.DbiResourceId],
    ['Pending changes', pending.length ? pending.map(([k, v]) => `${k}=${String(v)}`).join(', ') : undefined],
    ['Status info', d.StatusInfos?.length ? d.StatusInfos.map((s) => `${s.StatusType}: ${s.Status}${s.Message ? ` (${s.Message})` : ''}`).join('; ') : undefined],
  ], width);
}
