import type { DBInstance } from '@aws-sdk/client-rds';
import type { PlannedChange } from '../../core/plans/modify-plan.js';
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

export function renderInstance(d: DBInstance): string {
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
    ['Backup retention', `${d.BackupRetentionPeriod} day(s)`],
    ['Deletion protection', d.DeletionProtection ? 'on' : 'off'],
    ['CA', d.CACertificateIdentifier],
    ['Created', d.InstanceCreateTime?.toISOString()],
    ['Resource id', d.DbiResourceId],
    ['Pending changes', pending.length ? pending.map(([k, v]) => `${k}=${String(v)}`).join(', ') : undefined],
    ['Status info', d.StatusInfos?.length ? d.StatusInfos.map((s) => `${s.StatusType}: ${s.Status}${s.Message ? ` (${s.Message})` : ''}`).join('; ') : undefined],
  ]);
}

export function renderPlan(id: string, changes: PlannedChange[], applied: boolean | 'dry-run'): string {
  const head = applied === 'dry-run' ? `Plan for ${id} (dry run, nothing changed):` : applied ? `Changed ${id}:` : `Scheduled for ${id}'s next maintenance window (pass --apply-immediately to apply now):`;
  const lines = changes.map((c) => `  ${c.field}: ${String(c.from ?? '-')} → ${String(c.to)}${c.note ? `  (${c.note})` : ''}`);
  return [head, ...lines].join('\n');
}
