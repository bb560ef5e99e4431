import { joinBufferNote, measuredRows } from '../advisor/verdict.js';
import { fmt } from '../plan/problems.js';
import type { AnalysisReport, MeasuredRun, PlanDelta, PlanSummary, QueryReport, ValidatedRecommendation } from './types.js';

type Style = 'red' | 'yellow' | 'green' | 'dim' | 'bold' | 'cyan';
export type Paint = (style: Style, text: string) => string;

const PROBLEM_LABEL: Record<string, string> = {
  'full-table-scan': 'full table scan', 'full-index-scan': 'full index scan', filesort: 'filesort', 'temporary-table': 'temporary table',
  'rows-examined-vs-sent': 'rows examined ≫ rows sent', 'join-without-index': 'join without index', 'non-sargable': 'non-sargable predicate',
  'or-across-columns': 'OR across columns',
};

const oneLine = (sql: string, max = 110) => { const s = sql.replace(/\s+/g, ' ').trim(); return s.length > max ? `${s.slice(0, max - 1)}…` : s; };
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function planLine(p: PlanSummary): string {
  const steps = p.tables.map((t) => `${t.table} ${t.access}${t.key ? ` ${t.key}` : ''} ~${fmt(t.rows)}${t.loops > 1 ? ` ×${fmt(t.loops)}` : ''}${t.joinBuffer ? ` (${t.joinBuffer})` : ''}`);
  const extra = [p.filesort ? 'filesort' : '', p.temporaryTable ? 'temporary' : ''].filter(Boolean);
  const cost = p.cost !== undefined ? `, cost ${p.cost}` : '';
  return `${steps.join(' → ') || '(no tables)'}${extra.length ? `; ${extra.join(', ')}` : ''} — ~${fmt(p.rowsExamined)} rows examined${cost}`;
}

function queryBlock(q: QueryReport, rank: number, paint: Paint, sampleWidth: number): string[] {
  const perExec = q.rowsExamined > 0 ? `${fmt(q.rowsExamined)} rows examined/exec (measured)` : q.plan ? `~${fmt(q.plan.rowsExamined)} rows examined/exec (plan)` : '';
  const head = `${String(rank).padStart(2)}. ${paint('bold', q.id)}  ×${q.count}${q.totalTime ? `  ${q.totalTime.toFixed(3)} s total` : ''}  ${perExec}${q.db ? `  [${q.db}]` : ''}`;
  const lines = [head, `    ${paint('dim', oneLine(q.sample, sampleWidth))}`];
  // 1064: the server could not parse the statement at all (a typo such as `SELEC`), not a failed EXPLAIN of a query.
  const failedHow = q.explainError?.errno === 1064 ? 'syntax error (parse failure):' : 'EXPLAIN failed:';
  if (q.explainError) lines.push(`    ${paint('red', failedHow)} ${q.explainError.message}${q.explainError.errno ? ` (errno ${q.explainError.errno})` : ''}`);
  if (q.plan) lines.push(`    plan: ${planLine(q.plan)}`);
  for (const p of q.problems) lines.push(`    ${paint('yellow', PROBLEM_LABEL[p.kind] ?? p.kind)}: ${p.detail}`);
  if (q.parseError) lines.push(`    ${paint('dim', `(no index advice: the SQL parser could not read it: ${q.parseError})`)}`);
  if (q.recommendations.length) lines.push(`    fix: ${q.recommendations.join(', ')}`);
  if (q.validation) lines.push(...deltaLines(q.validation, paint));
  return lines;
}

const signed = (x: number) => (x >= 0 ? `−${pct(x)}` : `+${pct(-x)}`);
const sorts = (r: MeasuredRun) => [r.filesort ? 'filesort' : '', r.temporaryTable ? 'temporary table' : ''].filter(Boolean).join(' + ') || 'no sort';

/** Before/after of one query, saying which figure was measured on the copy and which is EXPLAIN's estimate. */
function deltaLines(v: PlanDelta, paint: Paint): string[] {
  const cut = paint(v.reduction >= 0.5 || v.sortAvoided ? 'green' : 'yellow', signed(v.reduction));
  const keys = `keys ${v.before.keys.join(', ') || 'none'} → ${v.after.keys.join(', ') || 'none'}`;
  const estimate = `~${fmt(v.before.rowsExamined)} → ~${fmt(v.after.rowsExamined)} rows examined`;
  if (v.basis === 'estimated' || !v.measured) {
    const lines = [`    before/after (EXPLAIN estimate): ${estimate} (${cut}), ${keys}`];
    if (v.estimateReason) lines.push(`    ${paint('dim', `not measured: ${v.estimateReason} (judged by the EXPLAIN estimate)`)}`);
    return lines;
  }
  const { before: b, after: a } = v.measured;
  return [`    before/after (measured on the copy): ${fmt(measuredRows(b))} → ${fmt(measuredRows(a))} rows read${joinBufferNote(b, a)} (${cut}), ${sorts(b)} → ${sorts(a)}, ${keys}`,
    `    ${paint('dim', `EXPLAIN estimated ${estimate} (${signed(v.estimatedReduction)})`)}`];
}

function recBlock(r: ValidatedRecommendation, i: number, paint: Paint): string[] {
  const lines = [`${String(i + 1).padStart(2)}. ${paint('green', r.name)} on ${r.db}.${r.table} (${r.columns.join(', ')})`,
    `    why: ${r.reason}; serves ${r.queries.join(', ')}`,
    `    expected (estimate): ~${fmt(r.benefit)} fewer rows read per workload run${r.writeCost ? `, write cost ~${fmt(r.writeCost)}` : ''}`];
  if (r.supersedes.length) lines.push(`    extends ${r.supersedes.join(', ')}: redundant once this exists (a foreign key is served by the new one: an index the server made for it alone goes by itself; otherwise hide it first, drop later)`);
  if (r.validation) lines.push(`    validated: ${r.validation.note}`);
  lines.push(`    ${paint('cyan', r.ddl)}`);
  return lines;
}

// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/**
 * Folds a line at spaces to `width` visible columns; continuation lines are indented 4 more than the
 * line itself. A single word longer than the width (an identifier) stays whole. SQL folded this way still
 * runs when pasted into the mariadb client.
 */
export function wrapLine(line: string, width: number): string[] {
  if (visible(line) <= width) return [line];
  const lead = /^ */.exec(line)![0];
  const indent = `${lead}    `;
  const out: string[] = [];
  let cur = lead;
  for (const word of line.slice(lead.length).split(' ')) {
    const start = cur === lead || cur === indent;
    if (!start && visible(cur) + 1 + visible(word) > width) {
      out.push(cur.trimEnd());
      cur = indent + word;
    } else cur += (start ? '' : ' ') + word;
  }
  out.push(cur);
  return out;
}

/**
 * The terminal report: problem queries ranked, then recommendations with their DDL, then index hygiene.
 * `width` folds long lines for the terminal (the CLI passes its width, 80 when not a terminal).
 */
export function renderReport(r: AnalysisReport, paint: Paint = (_s, t) => t, maxQueries = 25, width = Infinity): string {
  return renderLines(r, paint, maxQueries, Number.isFinite(width) ? width - 4 : 110)
    .flatMap((l) => (Number.isFinite(width) ? wrapLine(l, width) : [l])).join('\n');
}

function renderLines(r: AnalysisReport, paint: Paint, maxQueries: number, sampleWidth: number): string[] {
  const out: string[] = [];
  out.push(paint('bold', `analyze-queries — ${r.server.label} (${r.server.version})`));
  const skipped = r.queries.filter((q) => q.skipped).length;
  out.push(`workload: ${r.workload.source} · ${r.workload.events} events · ${r.workload.classes} classes · ${r.workload.analyzed} analyzed · ${r.workload.malformed} malformed${skipped ? ` · ${skipped} not queries (DDL, SET, SHOW …: skipped)` : ''}`);
  out.push(validationLine(r));
  // A query a recommendation serves is listed too, so every id under "serves" can be looked up above.
  const bad = r.queries.filter((q) => q.problems.length || q.explainError || q.recommendations.length);
  out.push('', paint('bold', `Problem queries (${bad.length} of ${r.queries.length}, ranked by executions × rows examined)`));
  bad.slice(0, maxQueries).forEach((q, i) => out.push(...queryBlock(q, i + 1, paint, sampleWidth)));
  if (bad.length > maxQueries) out.push(paint('dim', `  … ${bad.length - maxQueries} more problem queries (--json lists them all)`));
  if (!bad.length) out.push('  none');
  out.push('', paint('bold', `Recommended indexes (${r.recommendations.length})`));
  r.recommendations.forEach((rec, i) => out.push(...recBlock(rec, i, paint)));
  if (!r.recommendations.length) out.push('  none');
  if (r.rejected.length) {
    out.push('', paint('bold', `Considered and not recommended (${r.rejected.length})`));
    for (const x of r.rejected) out.push(`  - ${x.name} (${x.columns.join(', ')}): ${x.validation?.note ?? ''}`);
  }
  out.push(...hygiene(r, paint));
  if (r.applied) {
    out.push('', paint('bold', 'Applied'));
    for (const a of r.applied) out.push(`  ${a.ok ? paint('green', 'ok ') : paint('red', 'ERR')} ${a.ddl}${a.error ? ` — ${a.error}` : ''}`);
  } else if (r.ddl.length) {
    out.push('', paint('dim', 'Nothing was changed. Save the DDL with --ddl-out file.sql, or build it with --apply (ADD INDEX only).'));
  }
  return out;
}

function validationLine(r: AnalysisReport): string {
  const v = r.validation;
  if (v.note) return `validation: on, but ${v.note}`;
  if (v.mode === 'off') return 'validation: off (recommendations are estimates)';
  const where = `${v.mode === 'validate-on' ? 'on the copy' : 'on'} ${v.target}`;
  const basis = v.measured !== undefined || v.estimated !== undefined
    ? ` · ${v.measured ?? 0} quer${v.measured === 1 ? 'y' : 'ies'} measured on the copy, ${v.estimated ?? 0} estimated by EXPLAIN (writes are never run)` : '';
  const limit = v.statementTimeoutMs ? `${v.statementTimeoutMs / 1000} s` : 'the limit';
  const timeouts = v.timedOut ? ` · ${v.timedOut} measurement${v.timedOut === 1 ? '' : 's'} timed out (${limit} per statement)` : '';
  return `validation: ${where} · keep when rows read drop ≥ ${pct(v.threshold)} or a sort goes away${basis}${timeouts}`;
}

function hygiene(r: AnalysisReport, paint: Paint): string[] {
  const out: string[] = [];
  if (r.redundant.length) {
    out.push('', paint('bold', `Redundant indexes (${r.redundant.length}) — hide first, drop once nothing got slower`));
    for (const x of r.redundant) out.push(`  - ${x.db}.${x.table}.${x.index}: ${x.detail}`, `    ${paint('cyan', x.hideDdl)}`);
  }
  out.push('', `index usage: ${r.usage.source}${r.unused.length ? '' : ' — no unused indexes found'}`);
  for (const x of r.unused) out.push(`  - ${x.db}.${x.table}.${x.index}: ${x.detail}`, `    ${paint('cyan', x.hideDdl)}`);
  return out;
}
