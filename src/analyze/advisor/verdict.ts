import { fmt, MIN_ROWS_WORTH_NAMING } from '../plan/problems.js';
import type { QueryPlan } from '../plan/types.js';
import type { MeasuredRun, PlanDelta, ValidatedRecommendation } from '../report/types.js';
import type { Recommendation } from './types.js';

/** A read run on the copy, or why it was not (a write, MySQL 8, a server error). */
export type Measured = MeasuredRun | { notMeasured: string };

const keysOf = (p: QueryPlan) => [...new Set(p.tables.map((t) => t.key).filter((k): k is string => Boolean(k)))];
const isRun = (m: Measured | undefined): m is MeasuredRun => m !== undefined && 'rowsRead' in m;
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The measured figure: rows the engine handed over plus the row combinations join buffers compared. */
export const measuredRows = (r: MeasuredRun) => r.rowsRead + r.joinBufferRows;

/** ", join buffer 562k → 0 comparisons" when a join buffer did part of the work. */
export const joinBufferNote = (b: MeasuredRun, a: MeasuredRun) =>
  (b.joinBufferRows || a.joinBufferRows ? ` (of which join-buffer comparisons ${fmt(b.joinBufferRows)} → ${fmt(a.joinBufferRows)})` : '');

/** EXPLAIN estimate: 1 − after/before on rows examined; MySQL's cost breaks a tie in rows. */
export function reduction(before: QueryPlan, after: QueryPlan): number {
  if (before.rowsExamined > 0 && after.rowsExamined !== before.rowsExamined) return 1 - after.rowsExamined / before.rowsExamined;
  if (before.cost && after.cost) return 1 - after.cost / before.cost;
  return 0;
}

/**
 * Before/after of one query. The figure that decides is the measured one (rows the copy's engine handed
 * over running the read, plus join-buffer comparisons, before and after) whenever both runs finished.
 * A run stopped by the time limit proves nothing either way (its counters miss the join-buffer work it was
 * doing), so then EXPLAIN's estimate decides and `estimateReason` says why. EXPLAIN ignores LIMIT: only the
 * measurement sees an index that lets an ORDER BY … LIMIT stop after LIMIT rows.
 */
export function planDelta(b: QueryPlan, a: QueryPlan, mb?: Measured, ma?: Measured): PlanDelta {
  const estimated = reduction(b, a);
  const base = { before: { rowsExamined: b.rowsExamined, cost: b.cost, keys: keysOf(b) }, after: { rowsExamined: a.rowsExamined, cost: a.cost, keys: keysOf(a) },
    estimatedReduction: estimated };
  const estimate = (why?: string): PlanDelta => ({ ...base, basis: 'estimated', reduction: estimated, ...(why ? { estimateReason: why } : {}) });
  if (!isRun(mb) || !isRun(ma)) return estimate((mb && !isRun(mb) ? mb.notMeasured : undefined) ?? (ma && !isRun(ma) ? ma.notMeasured : undefined));
  if (mb.timedOut || ma.timedOut) {
    const which = ma.timedOut ? `with the indexes${mb.timedOut ? ' and without them' : ''}` : `without the indexes (with them it took ${fmt(ma.ms)} ms)`;
    return { ...estimate(`timed out on the copy after ${fmt((ma.timedOut ? ma : mb).ms)} ms ${which}`), measured: { before: mb, after: ma } };
  }
  const cut = measuredRows(mb) > 0 ? 1 - measuredRows(ma) / measuredRows(mb) : 0;
  const sortGone = (mb.filesort && !ma.filesort) || (mb.temporaryTable && !ma.temporaryTable);
  // A sort of fewer rows than are worth naming costs nothing worth an index (as in the problem list).
  const sortAvoided = sortGone && measuredRows(ma) <= measuredRows(mb) && measuredRows(mb) >= MIN_ROWS_WORTH_NAMING;
  return { ...base, basis: 'measured', reduction: Math.max(-1, cut), measured: { before: mb, after: ma }, ...(sortAvoided ? { sortAvoided } : {}) };
}

/** Indexes the query's new plan uses: the executed plan when it ran, else EXPLAIN's. */
export const usedKeys = (d: PlanDelta) => (d.basis === 'measured' ? d.measured!.after.keys : d.after.keys);

const helps = (d: PlanDelta, threshold: number) => d.reduction >= threshold || d.sortAvoided === true;

/** "1201 → 24 rows read measured, filesort avoided; EXPLAIN estimated −0%" / "~58k → ~1 rows examined, EXPLAIN estimate (not measured: …)". */
export function deltaFigures(d: PlanDelta): string {
  if (d.basis === 'estimated') return `~${fmt(d.before.rowsExamined)} → ~${fmt(d.after.rowsExamined)} rows examined, EXPLAIN estimate${d.estimateReason ? ` (not measured: ${d.estimateReason})` : ''}`;
  const m = d.measured!;
  const sort = (r: MeasuredRun) => [r.filesort ? 'filesort' : '', r.temporaryTable ? 'temporary table' : ''].filter(Boolean).join(' + ');
  const sorts = sort(m.before) && !sort(m.after) ? `, ${sort(m.before)} avoided` : sort(m.before) !== sort(m.after) && sort(m.after) ? `, ${sort(m.after)} after` : '';
  return `${fmt(measuredRows(m.before))} → ${fmt(measuredRows(m.after))} rows read measured${joinBufferNote(m.before, m.after)}${sorts}; EXPLAIN estimated −${pct(d.estimatedReduction)}`;
}

/**
 * Keep or reject one recommendation from the deltas of the queries it was proposed for. Only those count:
 * another query picking it may owe its gain to a sibling index. Kept when some query whose new plan uses it
 * reads at least `threshold` fewer rows, or (measured) no longer sorts and reads no more rows.
 */
export function judgeRecommendation(r: Recommendation, perQuery: Map<string, PlanDelta>, threshold: number): ValidatedRecommendation {
  const usedBy = r.queries.filter((id) => { const d = perQuery.get(id); return d !== undefined && usedKeys(d).includes(r.name); });
  const deltas = usedBy.map((id) => perQuery.get(id)!);
  const best = [...deltas].sort((x, y) => Number(helps(y, threshold)) - Number(helps(x, threshold)) || y.reduction - x.reduction)[0];
  const winners = deltas.filter((d) => helps(d, threshold));
  const kept = winners.length > 0;
  const what = (d: PlanDelta) => (d.basis === 'measured' ? 'rows read' : 'rows examined');
  const note = !best ? 'the optimizer did not choose it for any query'
    : kept ? `cuts ${what(best)} by ${pct(Math.max(0, best.reduction))} for ${winners.length} quer${winners.length === 1 ? 'y' : 'ies'} (${deltaFigures(best)})`
      : `used, but cuts ${what(best)} by only ${pct(Math.max(0, best.reduction))} (threshold ${pct(threshold)}; ${deltaFigures(best)})`;
  // A kept index is shown against the queries whose plans use it, not those a shared prefix merely matched.
  return { ...r, queries: kept ? usedBy : r.queries,
    validation: { kept, bestReduction: Math.max(0, best?.reduction ?? 0), ...(best ? { basis: best.basis } : {}), usedBy, note } };
}
