import type { SqlShape } from '../shape/types.js';
import type { QueryPlan } from './types.js';

export type ProblemKind =
  | 'full-table-scan' | 'full-index-scan' | 'filesort' | 'temporary-table' | 'rows-examined-vs-sent'
  | 'join-without-index' | 'non-sargable' | 'or-across-columns';

export interface Problem {
  kind: ProblemKind;
  table?: string;
  detail: string;
}

export interface ProblemInput {
  plan: QueryPlan;
  shape?: SqlShape;
  /** Column data types by `table.column` (lower case), to spot implicit conversions. */
  columnTypes?: Map<string, string>;
  /** Measured per-execution rows (from the workload); the plan's estimates are used when absent. */
  rowsExamined?: number;
  rowsSent?: number;
  /** Tables smaller than this are not worth naming for a scan (default 100 rows). */
  minRows?: number;
}

const STRING_TYPES = /char|text|enum|set|binary|blob/;

/** Scans, sorts and temporary tables of fewer rows cost nothing worth an index (validation uses it too). */
export const MIN_ROWS_WORTH_NAMING = 100;

/** Names every problem a plan (plus the statement's shape) shows. Pure: plan data in, problems out. */
export function detectProblems(input: ProblemInput): Problem[] {
  return [...planProblems(input), ...ratioProblem(input), ...shapeProblems(input)];
}

function planProblems({ plan, minRows = MIN_ROWS_WORTH_NAMING }: ProblemInput): Problem[] {
  const out: Problem[] = [];
  const firstOfSelect = new Map<number, string>();
  for (const t of plan.tables) {
    const first = !firstOfSelect.has(t.selectId);
    if (first) firstOfSelect.set(t.selectId, t.table);
    const rows = Math.round(t.rowsPerScan);
    // <derived2>, <subquery3>, <union1,2>: rows the server materialized itself (also a long IN list turned
    // into a table): no index of ours applies to them; the problems lie in the query that fills them.
    if (/^<.*>$/.test(t.table)) continue;
    const inner = !first && (t.joinBuffer !== undefined || t.accessType === 'ALL' || t.accessType.startsWith('hash_'));
    if (inner && rows >= Math.min(minRows, 10)) {
      const how = t.joinBuffer ? ` (${t.joinBuffer})` : '';
      out.push({ kind: 'join-without-index', table: t.table, detail: `${t.table} is joined by scanning ${rows} rows per outer row${how}` });
    } else if (t.accessType === 'ALL' && rows >= minRows) {
      out.push({ kind: 'full-table-scan', table: t.table, detail: `reads all ~${rows} rows of ${t.table}` });
    } else if (t.accessType === 'index' && rows >= minRows) {
      out.push({ kind: 'full-index-scan', table: t.table, detail: `reads all ~${rows} entries of index ${t.key ?? '?'} on ${t.table}` });
    }
  }
  // Sorting or grouping a handful of rows in memory costs nothing worth an index: named from minRows read on.
  if (plan.rowsExamined < minRows) return out;
  const n = `~${fmt(plan.rowsExamined)}`;
  if (plan.filesort) out.push({ kind: 'filesort', detail: `sorts up to ${n} rows after reading them (no index gives the order)` });
  if (plan.temporaryTable) out.push({ kind: 'temporary-table', detail: `builds a temporary table of up to ${n} rows (GROUP BY/DISTINCT/ORDER BY not served by an index)` });
  return out;
}

function ratioProblem({ plan, rowsExamined, rowsSent }: ProblemInput): Problem[] {
  const examined = rowsExamined ?? plan.rowsExamined;
  const sent = Math.max(1, rowsSent ?? plan.rowsProduced);
  if (examined < 100 || examined < 10 * sent) return [];
  const source = rowsExamined !== undefined ? 'measured' : 'estimated';
  return [{ kind: 'rows-examined-vs-sent', detail: `${source} ${fmt(examined)} rows examined for ${fmt(sent)} sent (${Math.round(examined / sent)}×)` }];
}

function shapeProblems({ shape, columnTypes }: ProblemInput): Problem[] {
  if (!shape) return [];
  const out: Problem[] = [];
  for (const issue of shape.issues) {
    if (issue.kind === 'or-across-columns') {
      out.push({ kind: 'or-across-columns', detail: `${issue.detail}: one index cannot serve both sides (rewrite as UNION or index each column)` });
    } else if (issue.kind === 'compared-to-number') {
      const type = columnTypes?.get(`${issue.table}.${issue.column}`);
      if (type && STRING_TYPES.test(type)) {
        out.push({ kind: 'non-sargable', table: issue.table, detail: `${issue.detail}: ${type} column compared to a number converts every row (quote the value)` });
      }
    } else {
      const why = issue.kind === 'leading-wildcard' ? 'a leading wildcard cannot use an index' : 'a function or expression on the column hides it from indexes';
      out.push({ kind: 'non-sargable', table: issue.table, detail: `${issue.detail}: ${why}` });
    }
  }
  return out;
}

export function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}
