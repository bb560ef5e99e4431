import type { BeforeMatch, Preview, TransactionView } from '../../services/restore-binlog.js';

/** restore --preview / --before, for a person: one line per transaction (time UTC, GTID, kind, tables and rows). */

export function tablesLine(t: TransactionView): string {
  // A DDL's statement names its tables itself.
  const parts = t.tables.filter((x) => x.insert + x.update + x.delete > 0 || t.statements.length === 0).map((x) => {
    const rows = [x.insert && `${x.insert} inserted`, x.update && `${x.update} updated`, x.delete && `${x.delete} deleted`].filter(Boolean).join(', ');
    return `${x.table}${rows ? ` (${rows})` : ''}`;
  });
  const ddl = t.statements.map((s) => (s.length > 60 ? `${s.slice(0, 57)}...` : s));
  return [...parts, ...ddl].join('; ') || '-';
}

export function transactionLine(t: TransactionView): string {
  return `  ${t.commitTime}  ${t.gtid.padEnd(10)}  ${t.kind.padEnd(14)}  ${tablesLine(t)}`;
}

export function renderPreview(sourceId: string, p: Preview): string {
  const lines = [`A restore of ${sourceId} to ${p.restoreTime} includes every transaction committed in that second or before.`];
  const none = `  (none in the binlogs the server still has${p.readableFrom ? `, from ${p.readableFrom}` : ''})`;
  lines.push(`Last ${p.included.length} included:`, ...(p.included.length ? p.included.map(transactionLine) : [none]));
  lines.push(`First ${p.excluded.length} left out:`, ...(p.excluded.length ? p.excluded.map(transactionLine) : ['  (none yet: nothing committed after that second)']));
  lines.push('Nothing was restored (--preview).');
  return lines.join('\n');
}

export function renderMatch(m: BeforeMatch): string {
  return [`Matched:`, transactionLine(m.match), ...(m.previous ? ['Last transaction kept:', transactionLine(m.previous)] : [])].join('\n');
}

/** aws --before: what else the restore to the second before the match loses (everything committed in that second). */
export function lostWarnings(m: BeforeMatch): string[] {
  const line = (t: TransactionView, where: string) => `also lost: ${t.commitTime} ${t.gtid} ${t.kind} ${tablesLine(t)} (committed in the match's second, ${where} it)`;
  return [...m.sameSecond.before.map((t) => line(t, 'before')), ...m.sameSecond.after.map((t) => line(t, 'after'))];
}
