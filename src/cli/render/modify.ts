import type { ModifyPlan, PlannedChange } from '../../core/plans/modify-plan.js';
import type { ChangeState } from '../../services/instances.js';

const line = (c: PlannedChange) => `  ${c.field}: ${String(c.from ?? '-')} → ${String(c.to)}${c.note ? `  (${c.note})` : ''}`;

export interface ModifyView {
  id: string;
  plan: ModifyPlan;
  outcome: Array<PlannedChange & { state: ChangeState }>;
  /** The status the instance is in now (for changes still being applied). */
  status?: string;
  /** Its read replicas (ReadReplicaDBInstanceIdentifiers): a restart of the source does not break them. */
  replicas?: string[];
}

/** A DBA changing a source's class asks first what happens to its replicas. */
function replicaLine(v: ModifyView): string[] {
  if (!v.plan.restart || !v.replicas?.length) return [];
  return [`Its read replicas keep replicating across the restart (they reconnect):`, ...v.replicas.map((r) => `  ${r}`)];
}

/** What a restart means, in the words a DBA checks before saying yes. */
function restartLine(v: ModifyView, dryRun: boolean): string[] {
  const restarting = v.outcome.filter((c) => c.note?.startsWith('restarts'));
  const fields = restarting.map((c) => c.field).join(', ');
  if (v.plan.restart === 'maintenance-window') return [`${v.id} restarts in its next maintenance window to apply ${fields}.`];
  if (v.plan.restart !== 'now') return [];
  if (dryRun) return [`This restarts ${v.id} to apply ${fields} (brief outage).`];
  if (restarting.some((c) => c.state === 'in-progress')) return [`${v.id} restarts now to apply ${fields} (brief outage).`];
  return [`${v.id} was restarted to apply ${fields}.`];
}

/**
 * The plan (dry run) or the result of `modify`: every change that takes effect — its own and those
 * pending from earlier that RDS applies with ApplyImmediately — and what is only requested so far.
 * Lines stay within 80 columns: a section's aside goes on its own line after the section.
 */
export function renderModify(v: ModifyView, dryRun: boolean): string {
  const own = new Set(v.plan.changes.map((c) => c.field));
  const earlier = v.outcome.some((c) => !own.has(c.field));
  const mark = (c: PlannedChange) => (own.has(c.field) ? line(c) : `*${line(c).slice(1)}`);
  const footnote = earlier ? ['  (* pending from an earlier modify, applied with this one)'] : [];
  const still = v.plan.stillPending.length
    ? ['Still pending from an earlier modify (next maintenance window):', ...v.plan.stillPending.map(line), '  (--apply-immediately applies them too)']
    : [];
  if (dryRun) return [`Plan for ${v.id} (dry run, nothing changed):`, ...v.outcome.map(mark), ...footnote, ...restartLine(v, true), ...replicaLine(v), ...still].join('\n');
  const of = (s: ChangeState) => v.outcome.filter((c) => c.state === s).map(mark);
  const section = (title: string, rows: string[], aside?: string) => (rows.length ? [title, ...rows, ...(aside ? [`  (${aside})`] : [])] : []);
  return [
    ...section(`Changed ${v.id}:`, of('done')),
    ...section(`Requested for ${v.id}, being applied (status ${v.status ?? 'unknown'}):`, of('in-progress'), `\`rdsctl describe ${v.id}\` shows when it is done`),
    ...section(`Scheduled for ${v.id}'s next maintenance window:`, of('pending'), 'pass --apply-immediately to apply now'),
    ...footnote,
    ...restartLine(v, false),
    ...replicaLine(v),
    ...still,
  ].join('\n');
}

/** reboot: which pending changes it applies (local), or that they keep waiting (RDS). */
export function rebootNote(id: string, pending: PlannedChange[], applies: boolean, waited: boolean): string | undefined {
  if (pending.length === 0) return undefined;
  if (applies) return [`The reboot ${waited ? 'applied' : 'applies'} ${id}'s pending changes:`, ...pending.map(line)].join('\n');
  const flags = pending.map((c) => FLAG_OF[c.field]?.(c.to)).filter(Boolean).join(' ');
  return [
    `${id}'s pending changes still wait for its maintenance window:`,
    ...pending.map(line),
    '  (a reboot does not apply them on RDS)',
    ...(flags ? [`To apply them now: rdsctl modify ${id} ${flags} --apply-immediately`] : []),
  ].join('\n');
}

const FLAG_OF: Record<string, (v: unknown) => string> = {
  DBInstanceClass: (v) => `--class ${String(v)}`,
  AllocatedStorage: (v) => `--storage ${String(v)}`,
  BackupRetentionPeriod: (v) => `--backup-retention ${String(v)}`,
};
