import type { DBSnapshot } from '@aws-sdk/client-rds';
import { fitTable, renderFields } from './table.js';

const when = (d?: Date) => (d ? `${d.toISOString().slice(0, 19)}Z` : undefined);

export function renderSnapshotList(snaps: DBSnapshot[], width = 80): string {
  if (snaps.length === 0) return 'No DB snapshots on this target.';
  const { text, dropped } = fitTable(
    ['SNAPSHOT', 'INSTANCE', 'STATUS', 'TYPE', 'CREATED (UTC)', 'STORAGE', 'ENCRYPTED'],
    snaps.map((s) => [
      s.DBSnapshotIdentifier, s.DBInstanceIdentifier, `${s.Status}${s.Status === 'creating' ? ` ${s.PercentProgress ?? 0}%` : ''}`,
      s.SnapshotType, when(s.SnapshotCreateTime), `${s.AllocatedStorage} GiB`, s.Encrypted ? 'yes' : 'no',
    ]),
    width,
    ['ENCRYPTED', 'STORAGE', 'TYPE'],
  );
  const example = `\`rdsctl snapshot describe ${snaps[0].DBSnapshotIdentifier}\``;
  return dropped.length ? `${text}\n(${dropped.join(', ')} not shown at ${width} columns: ${example} or --json)` : text;
}

export function renderSnapshot(s: DBSnapshot, width = 80): string {
  return renderFields([
    ['Snapshot', s.DBSnapshotIdentifier],
    ['Instance', s.DBInstanceIdentifier],
    ['Status', s.Status],
    ['Progress', s.PercentProgress !== undefined ? `${s.PercentProgress}%` : undefined],
    ['Type', s.SnapshotType],
    ['Created (UTC)', when(s.SnapshotCreateTime)],
    ['Engine', `${s.Engine ?? ''} ${s.EngineVersion ?? ''}`.trim()],
    ['Storage', s.AllocatedStorage !== undefined ? `${s.AllocatedStorage} GiB` : undefined],
    ['Encrypted', s.Encrypted ? `yes (${s.KmsKeyId})` : 'no'],
    ['ARN', s.DBSnapshotArn],
  ], width);
}
