import { applyBudget } from '../analyze/advisor/choose.js';
import { addIndexDdl, dropIndexDdl } from '../analyze/advisor/ddl.js';
import { catalogKey, type Recommendation, type TableStats } from '../analyze/advisor/types.js';
import { judgeRecommendation, planDelta, reduction, type Measured } from '../analyze/advisor/verdict.js';
import type { QueryPlan } from '../analyze/plan/types.js';
import type { PlanDelta, ValidatedRecommendation } from '../analyze/report/types.js';
import { usageError } from '../core/errors.js';
import type { SqlSession } from './analyze-db.js';
import { explainStatement } from './analyze-explain.js';
import { MEASURE_TIMEOUT_MS, measureReads } from './analyze-measure.js';

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

/** EXPLAIN's estimate of the cut (re-exported: the MySQL 8 validation test checks it). */
export { reduction };

export interface MeasureOptions {
  /** Per-statement time limit for a measured run on the copy (default MEASURE_TIMEOUT_MS). */
  statementTimeoutMs?: number;
}

interface Observation {
  plans: Map<string, QueryPlan>;
  runs: Map<string, Measured>;
}

/** What decides how a read executes: with the same plan on the same data, it reads the same rows. */
const planKey = (id: string, p: QueryPlan) => JSON.stringify([id, p.filesort, p.temporaryTable,
  p.tables.map((t) => [t.table, t.accessType, t.key, t.usedKeyParts, t.ref, t.joinBuffer, t.coveringIndex])]);

/**
 * EXPLAIN every affected query on the copy, and run each read there to count what it really reads — once
 * per distinct plan: a query whose plan did not change since an earlier run (most of them, after a round
 * drops a few indexes) keeps that run's figures instead of executing again.
 */
async function observe(vt: ValidationTarget, queries: ValidationQuery[], opts: MeasureOptions, runsByPlan: Map<string, Measured>): Promise<Observation> {
  const plans = new Map<string, QueryPlan>();
  for (const q of queries) {
    const r = await explainStatement(vt.session, vt.mapDb(q.db), q.sample);
    if ('plan' in r) plans.set(q.id, r.plan);
  }
  const fresh = queries.filter((q) => plans.has(q.id) && !runsByPlan.has(planKey(q.id, plans.get(q.id)!)));
  const results = await measureReads(vt.session, fresh.map((q) => ({ db: vt.mapDb(q.db), sql: q.sample })), opts.statementTimeoutMs ?? MEASURE_TIMEOUT_MS);
  fresh.forEach((q, i) => { const m = results[i]; runsByPlan.set(planKey(q.id, plans.get(q.id)!), 'run' in m ? m.run : m); });
  const runs = new Map<string, Measured>();
  for (const [id, p] of plans) runs.set(id, runsByPlan.get(planKey(id, p))!);
  return { plans, runs };
}

/**
 * Builds every recommendation on the copy (MySQL 8: INVISIBLE, seen only by this session through
 * use_invisible_indexes), re-EXPLAINs each affected query, runs each affected read (never a write) to count
 * the rows it really reads, and keeps a recommendation only when some query whose new plan uses it reads at
 * least `threshold` fewer rows or no longer sorts (judgeRecommendation; at most `perTableBudget` per table,
 * best first). What is not kept is then dropped and the queries observed again, until only kept indexes remain
 * on the copy: the before/after shown is what the recommended set alone gives. The copy's indexes are
 * dropped afterwards.
 */
export async function validateRecommendations(vt: ValidationTarget, recs: Recommendation[], queries: ValidationQuery[], threshold: number,
  perTableBudget = Infinity, opts: MeasureOptions = {}): Promise<ValidationOutcome> {
  const affected = queries.filter((q) => recs.some((r) => r.queries.includes(q.id)));
  const runsByPlan = new Map<string, Measured>();
  const before = await observe(vt, affected, opts, runsByPlan);
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
    let outcome = judge(recs, before, await observe(vt, affected, opts, runsByPlan), failed, threshold, perTableBudget);
    for (let round = 0; round < recs.length; round++) {
      const verdict = new Map(outcome.recommendations.map((r) => [r.name, r.validation?.kept === true]));
      const gone = [...built].filter((r) => !verdict.get(r.name));
      if (!gone.length) break;
      for (const r of gone) await drop(r);
      const next = judge([...built], before, await observe(vt, affected, opts, runsByPlan), failed, threshold, perTableBudget);
      outcome = { perQuery: next.perQuery, recommendations: outcome.recommendations.map((r) => next.recommendations.find((x) => x.name === r.name) ?? r) };
    }
    return outcome;
  } finally {
    for (const r of [...built]) await drop(r);
  }
}

function judge(recs: Recommendation[], before: Observation, after: Observation, failed: Map<string, string>, threshold: number, perTableBudget: number): ValidationOutcome {
  const perQuery = new Map<string, PlanDelta>();
  for (const [id, b] of before.plans) {
    const a = after.plans.get(id);
    if (a) perQuery.set(id, planDelta(b, a, before.runs.get(id), after.runs.get(id)));
  }
  const judged = recs.map((r): ValidatedRecommendation => (failed.has(r.name)
    ? { ...r, validation: { kept: false, bestReduction: 0, usedBy: [], note: `could not be built on the copy: ${failed.get(r.name)}` } }
    : judgeRecommendation(r, perQuery, threshold)));
  return { recommendations: overBudget(judged, perTableBudget), perQuery };
}

/** The per-table budget among the kept ones, best first: the rest are not kept (and leave the copy). */
function overBudget(recs: ValidatedRecommendation[], perTableBudget: number): ValidatedRecommendation[] {
  const { over } = applyBudget(recs.filter((r) => r.validation?.kept), perTableBudget);
  return recs.map((r) => (over.includes(r) ? { ...r, validation: { ...r.validation!, kept: false,
    note: `${r.validation!.note}, but over the per-table budget of ${perTableBudget}` } } : r));
}

/**
 * Tables (source `db.table` keys) the copy does not hold. A copy holding none of them is refused: every
 * candidate would fail to build there and the run would end "validated" with nothing proven.
 */
export async function missingOnCopy(vt: ValidationTarget, tables: TableStats[]): Promise<Set<string>> {
  const dbs = [...new Set(tables.map((t) => vt.mapDb(t.db)))];
  const rows = await vt.session.query<Record<string, unknown>>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${dbs.map(() => '?').join(',')})`, dbs);
  const present = new Set(rows.map((r) => catalogKey(String(r.s), String(r.t))));
  const missing = new Set(tables.filter((t) => !present.has(catalogKey(vt.mapDb(t.db), t.table))).map((t) => catalogKey(t.db, t.table)));
  if (tables.length && missing.size === tables.length) {
    const names = tables.slice(0, 4).map((t) => `${t.db}.${t.table}`).join(', ') + (tables.length > 4 ? ', …' : '');
    throw usageError('VALIDATION_COPY_EMPTY', `The validation copy ${vt.label} has none of the tables the workload reads (${names}).`, {
      hint: `Point --validate-on at a database holding a copy of them (e.g. mariadb-dump ${tables[0].db} … | mariadb <copy>), or use --no-validate for estimates only.` });
  }
  return missing;
}
