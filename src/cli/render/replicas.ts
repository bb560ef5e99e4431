import type { DBInstance } from '@aws-sdk/client-rds';
import type { ReplicaPlan } from '../../core/plans/replica-plan.js';
import type { ReplicaSqlView } from '../../services/replica-targets.js';
import type { VerifyReport } from '../../services/replicas-verify.js';
import { fitTable } from './table.js';

export interface ReplicaRow {
  id: string;
  status?: string;
  replication?: string;
  endpoint?: string;
  lagSeconds?: number | null;
  gtidBehind?: number;
  note?: string;
}

/** One row per replica: the API's view (status, StatusInfos, endpoint) and, where reachable over SQL, lag. */
export function replicaRows(replicas: DBInstance[], sql: ReplicaSqlView[] = []): ReplicaRow[] {
  return replicas.map((r) => {
    const id = r.DBInstanceIdentifier!;
    const info = r.StatusInfos?.find((s) => s.StatusType === 'read replication');
    const s = sql.find((x) => x.id === id);
    return {
      id, status: r.DBInstanceStatus, replication: info?.Status, endpoint: r.Endpoint?.Address ? `${r.Endpoint.Address}:${r.Endpoint.Port}` : undefined,
      lagSeconds: s?.status?.secondsBehind, gtidBehind: s?.gtidDistance, note: info?.Message || s?.status?.lastError || s?.problem,
    };
  });
}

const lag = (v: number | null | undefined) => (v === null ? 'stopped' : v === undefined ? undefined : String(v));

/** The table within `width` columns; endpoints that do not fit go below it, one per line. */
export function renderReplicaTable(rows: ReplicaRow[], width: number): string {
  if (!rows.length) return '(no read replicas)';
  const headers = ['REPLICA', 'STATUS', 'REPLICATION', 'LAG S', 'GTID BEHIND', 'ENDPOINT'];
  const cells = rows.map((r) => [r.id, r.status, r.replication, lag(r.lagSeconds), r.gtidBehind, r.endpoint]);
  const { text, dropped } = fitTable(headers, cells, width, ['ENDPOINT', 'GTID BEHIND']);
  const below = dropped.includes('ENDPOINT') ? ['', 'Endpoints:', ...rows.flatMap((r) => [`  ${r.id}`, `    ${r.endpoint ?? '(none yet)'}`])] : [];
  const notes = rows.filter((r) => r.note).map((r) => `${r.id}: ${r.note}`);
  return [text, ...below, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

export function renderReplicaPlan(plan: ReplicaPlan, dryRun: boolean, chain: string[]): string {
  const head = `${plan.source}: ${plan.current.length} → ${plan.count} read replica(s)${dryRun ? ' (dry run, nothing changed)' : ''}`;
  const lines = [
    ...plan.create.map((n) => `  + create ${n}`),
    ...plan.delete.map((n) => `  - delete ${n} (newest first; no final snapshot)`),
  ];
  if (!lines.length) lines.push('  nothing to do');
  if (chain.length && plan.create.length) lines.push(`  (${plan.source} is itself a replica of ${chain[0]}: the new replicas replicate from ${plan.source})`);
  return [head, ...lines].join('\n');
}

export function renderVerify(r: VerifyReport): string {
  const head = `Compared ${r.tables} table(s), ${r.chunks} chunk(s), ${r.rows} row(s) on the primary at GTID ${r.position || '(none)'} in ${(r.elapsedMs / 1000).toFixed(1)} s.`;
  const per = r.replicas.flatMap((v) => {
    if (!v.differing.length) return [`  ${v.id}: same data${v.retried ? ` (${v.retried} chunk re-check(s) while rows changed)` : ''}`];
    return [`  ${v.id}: ${v.differing.length} chunk(s) DIFFER`, ...v.differing.map((d) => {
      const rep = d.replica === 'missing' ? 'table missing' : `${d.replica.rows} rows, crc ${d.replica.crc}`;
      return `    ${d.table} chunk ${d.chunk} (${d.range}): primary ${d.primary.rows} rows, crc ${d.primary.crc}; replica ${rep}`;
    })];
  });
  return [head, ...per].join('\n');
}
