import { applyBudget } from '../analyze/advisor/choose.js';
import { addIndexDdl, dropIndexDdl } from '../analyze/advisor/ddl.js';
import type { Recommendation } from '../analyze/advisor/types.js';
import type { QueryPlan } from '../analyze/plan/types.js';
import type { PlanDelta, ValidatedRecommendation } from '../analyze/report/types.js';
import type { SqlSession } from './analyze-db.js';
import { explainStatement } from './analyze-explain.js';

/** A throwaway copy of the involved tables where candidate indexes may be built. Never the user's server. */
export interface ValidationTarget {
  session: SqlSession;
  mode: 'validate-on' | 'temporary-instance';
  label: string;
  /** Source database → database on the copy. */
  mapDb(db: string): string;
  cleanup(): Promise<void>;
}

export interface ValidationQuery {
  id: string;
  db: string;
  sample: string;
}

export interface ValidationOutcome {
  recommendations: ValidatedRecommendation[];
  perQuery: Map<string, PlanDelta>;
}

const keysOf = (p: QueryPlan) => [...new Set(p.tables.map((t) => t.key).filter((k): k is string => Boolean(k)))];

/** 1 − after/before on rows examined; MySQL's cost breaks a tie in rows. */
export function reduction(before: QueryPlan, after: QueryPlan): number {
  if (before.rowsExamined > 0 && after.rowsExamined !== before.rowsExamined) return 1 - after.rowsExamined / before.rowsExamined;
  if (before.cost && after.cost) return 1 - after.cost / before.cost;
  return 0;
}

async function planAll(vt: ValidationTarget, queries: ValidationQuery[]): Promise<Map<string, QueryPlan>> {
  const plans = new Map<string, QueryPlan>();
  for (const q of queries) {
    const r = await explainStatement(vt.session, vt.mapDb(q.db), q.sample);
    if ('plan' in r) plans.set(q.id, r.plan);
  }
  return plans;
}

/**
 * Builds every recommendation on the copy (MySQL 8: INVISIBLE, seen only by this session through
 * use_invisible_indexes), re-EXPLAINs each affected query and keeps a recommendation only when some query
 * whose new plan uses it reads at least `threshold` fewer rows (at most `perTableBudget` per table, best
 * first). What is not kept is then dropped and the queries re-EXPLAINed, until only kept indexes remain
 * on the copy: the before/after shown is what the recommended set alone gives. The copy's indexes are
 * dropped afterwards.
 */
export async function validateRecommendations(vt: ValidationTarget, recs: Recommendation[], queries: ValidationQuery[], threshold: number, perTableBudget = Infinity): Promise<ValidationOutcome> {
  const affected = queries.filter((q) => recs.some((r) => r.queries.includes(q.id)));
  const before = await planAll(vt, affected);
  const built = new Set<Recommendation>();
  const failed = new Map<string, string>();
  const invisible = vt.session.flavor === 'mysql8';
  if (invisible) await vt.session.query("SET SESSION optimizer_switch = 'use_invisible_indexes=on'");
  const drop = async (r: Recommendation) => {
    built.delete(r);
    await vt.session.query(dropIndexDdl(vt.mapDb(r.db), r.table, r.name)).catch(() => undefined);
  };
  try {
    for (const r of recs) {
      try {
        await vt.session.query(addIndexDdl(vt.mapDb(r.db), r.table, r.name, r.columns, { invisible, online: false }));
        built.add(r);
      } catch (err) {
        failed.set(r.name, (err as Error).message);
      }
    }
    let outcome = judge(recs, before, await planAll(vt, affected), failed, threshold, perTableBudget);
    for (let round = 0; round < recs.length; round++) {
      const verdict = new Map(outcome.recommendations.map((r) => [r.name, r.validation?.kept === true]));
      const gone = [...built].filter((r) => !verdict.get(r.name));
      if (!gone.length) break;
      for (const r of gone) await drop(r);
      const next = judge([...built], before, await planAll(vt, affected), failed, threshold, perTableBudget);
      outcome = { perQuery: next.perQuery, recommendations: outcome.recommendations.map((r) => next.recommendations.find((x) => x.name === r.name) ?? r) };
    }
    return outcome;
  } finally {
    for (const r of [...built]) await drop(r);
  }
}

function judge(recs: Recommendation[], before: Map<string, QueryPlan>, after: Map<string, QueryPlan>, failed: Map<string, string>, threshold: number, perTableBudget: number): ValidationOutcome {
  const perQuery = new Map<string, PlanDelta>();
  for (const [id, b] of before) {
    const a = after.get(id);
    if (!a) continue;
    perQuery.set(id, { before: { rowsExamined: b.rowsExamined, cost: b.cost, keys: keysOf(b) },
      after: { rowsExamined: a.rowsExamined, cost: a.cost, keys: keysOf(a) }, reduction: reduction(b, a) });
  }
  const judged = recs.map((r): ValidatedRecommendation => {
    if (failed.has(r.name)) return { ...r, validation: { kept: false, bestReduction: 0, usedBy: [], note: `could not be built on the copy: ${failed.get(r.name)}` } };
    // Only the queries it was proposed for count: another query picking it may owe its gain to a sibling index.
    const usedBy = r.queries.filter((id) => perQuery.get(id)?.after.keys.includes(r.name));
    const best = Math.max(0, ...usedBy.map((id) => perQuery.get(id)!.reduction));
    const kept = usedBy.length > 0 && best >= threshold;
    const note = !usedBy.length ? 'the optimizer did not choose it for any query'
      : kept ? `cuts rows examined by ${Math.round(best * 100)}% for ${usedBy.length} quer${usedBy.length === 1 ? 'y' : 'ies'}`
        : `used, but cuts rows examined by only ${Math.round(best * 100)}% (threshold ${Math.round(threshold * 100)}%)`;
    // A kept index is shown against the queries whose plans use it, not those a shared prefix merely matched.
    return { ...r, queries: kept ? usedBy : r.queries, validation: { kept, bestReduction: best, usedBy, note } };
  });
  return { recommendations: overBudget(judged, perTableBudget), perQuery };
}

/** The per-table budget among the kept ones, best first: the rest are not kept (and leave the copy). */
function overBudget(recs: ValidatedRecommendation[], perTableBudget: number): ValidatedRecommendation[] {
  const { over } = applyBudget(recs.filter((r) => r.validation?.kept), perTableBudget);
  return recs.map((r) => (over.includes(r) ? { ...r, validation: { ...r.validation!, kept: false,
    note: `${r.validation!.note}, but over the per-table budget of ${perTableBudget}` } } : r));
}
