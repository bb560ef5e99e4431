import type { DBInstance } from '@aws-sdk/client-rds';
import { humanNumber, sparkline } from '../../core/metrics-view.js';
import type { StatusReport } from '../../services/status.js';
import { ruleText } from './alarms.js';

/** The latest restorable time (point-in-time restore goes up to it), or why there is none. */
export function backupsText(d: DBInstance): string {
  if (d.BackupRetentionPeriod === 0) return 'automated backups off (BackupRetentionPeriod 0)';
  const kept = d.BackupRetentionPeriod === undefined ? '' : ` (${d.BackupRetentionPeriod} day${d.BackupRetentionPeriod === 1 ? '' : 's'} kept)`;
  if (!d.LatestRestorableTime) return `latest restorable time not reported yet${kept}`;
  return `latest restorable ${d.LatestRestorableTime.toISOString().replace('T', ' ').slice(0, 19)} UTC${kept}`;
}

/** One screen: status and endpoint, latest restorable time, replicas with lag, the last hour's metrics with a sparkline, alarms in ALARM, pending changes. */
export function renderStatus(s: StatusReport, width: number): string {
  const d = s.db;
  const ep = d.Endpoint ? `${d.Endpoint.Address}:${d.Endpoint.Port}` : '(no endpoint yet)';
  const pending = Object.entries(d.PendingModifiedValues ?? {}).filter(([, v]) => v !== undefined);
  const out = [
    `${d.DBInstanceIdentifier}  ${d.DBInstanceStatus}  ${d.DBInstanceClass}  ${d.Engine} ${d.EngineVersion}  ${d.AllocatedStorage} GiB`,
    `endpoint  ${ep}`,
  ];
  out.push(`backups   ${backupsText(d)}`);
  if (d.ReadReplicaSourceDBInstanceIdentifier) out.push(`replica of ${d.ReadReplicaSourceDBInstanceIdentifier}`);
  for (const r of s.replicas) out.push(`replica   ${r.id}  ${r.status ?? '?'}  lag ${r.lagSeconds === undefined ? '–' : `${humanNumber(r.lagSeconds)} s`}`);
  out.push(`pending   ${pending.length ? pending.map(([k, v]) => `${k}=${String(v)}`).join(', ') : 'none'}`);
  out.push('', 'last hour (1-minute averages)');
  const nameW = Math.max(...s.metrics.map((m) => m.name.length));
  const chart = Math.max(8, Math.min(40, width - nameW - 20));
  for (const m of s.metrics) {
    const v = m.latest === undefined ? '–' : `${humanNumber(m.latest)}${m.show && !m.show.startsWith('/') && m.show !== '%' ? ' ' : ''}${m.show}`;
    out.push(`${m.name.padEnd(nameW)}  ${v.padStart(12)}  ${sparkline(m.values, chart)}`);
  }
  out.push('', s.alarming.length ? `alarms in ALARM (${s.alarming.length})` : 'alarms in ALARM: none');
  for (const a of s.alarming) out.push(`  ${a.AlarmName}: ${a.MetricName} ${ruleText(a)}`);
  return out.join('\n');
}
