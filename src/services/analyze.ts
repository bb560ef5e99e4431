import { candidatesFor, type AnalyzedQuery } from '../analyze/advisor/candidates.js';
import { applyBudget, chooseIndexes } from '../analyze/advisor/choose.js';
import { findRedundant, findUnused } from '../analyze/advisor/redundant.js';
import { catalogKey, type Catalog, type Recommendation, type TableStats } from '../analyze/advisor/types.js';
import { detectProblems } from '../analyze/plan/problems.js';
import type { AnalysisReport, PlanDelta, QueryReport, ValidatedRecommendation } from '../analyze/report/types.js';
import { analysisFailure } from '../analyze/report/failure.js';
import { summarizePlan } from '../analyze/report/types.js';
import { shapeOf } from '../analyze/shape/parse-sql.js';
import type { SqlShape } from '../analyze/shape/types.js';
import type { QueryClass } from '../analyze/types.js';
import { readCatalog, readUsage, sampleDistinct } from './analyze-catalog.js';
import type { SqlSession } from './analyze-db.js';
import { explainableText, explainStatement, isNotAQuery } from './analyze-explain.js';
import { MEASURE_TIMEOUT_MS } from './analyze-measure.js';
import { missingOnCopy, validateRecommendations, type ValidationTarget } from './analyze-validate.js';

export interface AnalyzeInput {
  /** The user's server: EXPLAIN and information_schema reads only (read-only session). */
  session: SqlSession;
  classes: QueryClass[];
  workload: { source: string; events: number; malformed: number };
  defaultDb?: string;
  top?: number;
  /** Keep a validated recommendation only when it cuts rows examined by this fraction (0.5 = 50%). */
  threshold?: number;
  perTableBudget?: number;
  /** Opens the throwaway copy for the tables the recommendations touch; absent = no validation. */
  openValidation?: (tables: TableStats[], dbs: string[]) => Promise<ValidationTarget>;
  /** Per-statement time limit of a measured run on the copy (default MEASURE_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  onProgress?: (message: string) => void;
}

interface Work {
  cls: QueryClass;
  db: string;
  shape?: SqlShape;
  parseError?: string;
  analyzed?: AnalyzedQuery;
  report: QueryReport;
}

/** analyze-queries end to end: shape → catalog → EXPLAIN → problems → advice → validation → report data. */
export async function analyzeQueries(input: AnalyzeInput): Promise<AnalysisReport> {
  const progress = input.onProgress ?? (() => undefined);
  const classes = (await rankForTop(input)).slice(0, input.top ?? input.classes.length);
  const work = classes.map((cls) => newWork(cls, cls.db ?? input.defaultDb ?? ''));
  progress(`parsing ${work.length} statements`);
  await shapeAll(work, undefined);
  const catalog = await readCatalog(input.session, tableKeys(work));
  await shapeAll(work.filter((w) => (w.shape?.tables.length ?? 0) > 1), resolverFor(catalog, work));
  progress(`explaining ${work.length} statements on ${input.session.label}`);
  for (const w of work) await explainInto(input.session, w, catalog);
  await sampleColumns(input.session, catalog, work);
  const recs = advise(work, catalog, input);
  const outcome = await validate(input, recs, work, catalog, progress);
  return buildReport(input, work, catalog, outcome);
}

/**
 * --top keeps the classes with the most total time. A --queries file has no timings: ranked by time alone,
 * the "top" were the first fingerprints in alphabetical order. Without timings, rank by what the plans say
 * instead (executions × estimated rows examined): EXPLAIN is cheap.
 */
async function rankForTop(input: AnalyzeInput): Promise<QueryClass[]> {
  const untimed = input.classes.every((c) => c.totalTime === 0 && c.rowsExamined === 0);
  if (!input.top || input.top >= input.classes.length || !untimed) return input.classes;
  const weight = new Map<QueryClass, number>();
  for (const c of input.classes) {
    const r = explainableText(c.sample) ? await explainStatement(input.session, c.db ?? input.defaultDb, c.sample) : undefined;
    weight.set(c, r && 'plan' in r ? Math.max(1, c.count) * r.plan.rowsExamined : 0);
  }
  return [...input.classes].sort((a, b) => weight.get(b)! - weight.get(a)!);
}

function newWork(cls: QueryClass, db: string): Work {
  const perExec = (v: number) => (cls.count > 0 ? v / cls.count : v);
  return { cls, db, report: { id: cls.id, fingerprint: cls.fingerprint, sample: cls.sample, db: db || undefined, count: cls.count,
    totalTime: cls.totalTime, rowsExamined: perExec(cls.rowsExamined), rowsSent: perExec(cls.rowsSent), problems: [], recommendations: [], impact: 0 } };
}

async function shapeAll(work: Work[], resolve: ((c: string, t: string[]) => string | undefined) | undefined): Promise<void> {
  for (const w of work) {
    const r = await shapeOf(w.cls.sample, resolve);
    if (r.ok) { w.shape = r.shape; w.parseError = undefined; } else w.parseError = r.error;
  }
}

/** The server's own schemas: a monitoring query on them is workload, but no index of ours belongs there. */
const SYSTEM_SCHEMAS = new Set(['performance_schema', 'information_schema', 'mysql', 'sys']);

function tableKeys(work: Work[]): Set<string> {
  const keys = new Set<string>();
  for (const w of work) for (const t of w.shape?.tables ?? []) {
    const db = t.db ?? w.db;
    if (db && !SYSTEM_SCHEMAS.has(db.toLowerCase())) keys.add(catalogKey(db, t.table));
  }
  return keys;
}

function resolverFor(catalog: Catalog, work: Work[]) {
  const dbs = [...new Set(work.map((w) => w.db))];
  return (col: string, tables: string[]) =>
    tables.find((t) => dbs.some((db) => catalog.get(catalogKey(db, t))?.columns.has(col)));
}

async function explainInto(session: SqlSession, w: Work, catalog: Catalog): Promise<void> {
  if (isNotAQuery(w.cls.sample)) { w.report.skipped = 'not a SELECT, UPDATE, DELETE, INSERT or REPLACE: nothing to EXPLAIN'; return; }
  const r = await explainStatement(session, w.db || undefined, w.cls.sample);
  if ('error' in r) { w.report.explainError = r.error; return; }
  w.report.plan = summarizePlan(r.plan);
  w.report.parseError = w.parseError;
  if (w.shape) w.analyzed = { id: w.cls.id, db: w.db, count: Math.max(1, w.cls.count), shape: w.shape, plan: r.plan };
  const types = new Map<string, string>();
  for (const t of w.shape?.tables ?? []) {
    for (const [c, info] of catalog.get(catalogKey(t.db ?? w.db, t.table))?.columns ?? []) types.set(`${t.table}.${c}`, info.type);
  }
  const measured = w.cls.rowsExamined > 0;
  w.report.problems = detectProblems({ plan: r.plan, shape: w.shape, columnTypes: types,
    rowsExamined: measured ? w.report.rowsExamined : undefined, rowsSent: measured ? w.report.rowsSent : undefined });
  w.report.impact = Math.max(1, w.cls.count) * (measured ? w.report.rowsExamined : r.plan.rowsExamined);
}

/** Distinct counts for the columns the advisor will order by selectivity, where no index already says. */
async function sampleColumns(session: SqlSession, catalog: Catalog, work: Work[]): Promise<void> {
  const wanted = new Map<string, Set<string>>();
  for (const w of work) for (const t of w.shape?.tables ?? []) {
    const key = catalogKey(t.db ?? w.db, t.table);
    const set = wanted.get(key) ?? new Set<string>();
    [...t.equality, ...t.range, ...t.join].forEach((c) => set.add(c));
    wanted.set(key, set);
  }
  for (const [key, cols] of wanted) {
    const stats = catalog.get(key);
    if (stats) await sampleDistinct(session, stats, [...cols]);
  }
}

function advise(work: Work[], catalog: Catalog, input: AnalyzeInput): Recommendation[] {
  const candidates = work.flatMap((w) => (w.analyzed ? candidatesFor(w.analyzed, catalog) : []));
  const writes = new Map<string, number>();
  const add = (db: string, t: string, n: number) => writes.set(catalogKey(db, t), (writes.get(catalogKey(db, t)) ?? 0) + Math.max(1, n));
  for (const w of work) for (const t of w.shape?.writes ?? []) add(w.db, t, w.cls.count);
  // Writes outside --top still cost every new index: their target table from the fingerprint is enough.
  const analyzed = new Set(work.map((w) => w.cls));
  for (const c of input.classes.filter((x) => !analyzed.has(x))) {
    const t = dmlTarget(c.fingerprint);
    if (t) add(t.db ?? c.db ?? input.defaultDb ?? '', t.table, c.count);
  }
  return chooseIndexes(candidates, catalog, { perTableBudget: input.perTableBudget, writesPerTable: writes, keepVariants: Boolean(input.openValidation) });
}

/** Target table of an INSERT/REPLACE/UPDATE/DELETE fingerprint (single-table forms). */
export function dmlTarget(sql: string): { db?: string; table: string } | undefined {
  const m = /^\s*(?:insert|replace)\s+(?:(?:low_priority|delayed|high_priority|ignore)\s+)*(?:into\s+)?([`\w.]+)|^\s*update\s+(?:(?:low_priority|ignore)\s+)*([`\w.]+)|^\s*delete\s+(?:(?:low_priority|quick|ignore)\s+)*from\s+([`\w.]+)/i.exec(sql);
  const name = m && (m[1] ?? m[2] ?? m[3]);
  if (!name) return undefined;
  const parts = name.replace(/`/g, '').toLowerCase().split('.');
  return parts.length === 2 ? { db: parts[0], table: parts[1] } : { table: parts[0] };
}

interface Outcome {
  recommendations: ValidatedRecommendation[];
  perQuery: Map<string, PlanDelta>;
  target?: { mode: ValidationTarget['mode']; label: string };
}

async function validate(input: AnalyzeInput, recs: Recommendation[], work: Work[], catalog: Catalog, progress: (m: string) => void): Promise<Outcome> {
  if (!input.openValidation || !recs.length) return { recommendations: recs, perQuery: new Map() };
  const tables = [...new Set(recs.map((r) => catalogKey(r.db, r.table)))].map((k) => catalog.get(k)!);
  const queries = work.filter((w) => w.analyzed && recs.some((r) => r.queries.includes(w.cls.id)));
  // The copy needs every table the affected queries read, not only the indexed ones.
  for (const w of queries) for (const t of w.shape?.tables ?? []) {
    const s = catalog.get(catalogKey(t.db ?? w.db, t.table));
    if (s && !tables.includes(s)) tables.push(s);
  }
  const vt = await input.openValidation(tables, [...new Set(tables.map((t) => t.db))]);
  try {
    const missing = await missingOnCopy(vt, tables);
    const present = recs.filter((r) => !missing.has(catalogKey(r.db, r.table)));
    progress(`validating ${present.length} candidate index(es) on ${vt.label}: measuring each affected read there`);
    const list = queries.map((w) => ({ id: w.cls.id, db: w.db, sample: w.cls.sample }));
    const out = await validateRecommendations(vt, present, list, input.threshold ?? 0.5, input.perTableBudget ?? 3, { statementTimeoutMs: input.statementTimeoutMs });
    const absent = recs.filter((r) => !present.includes(r)).map((r): ValidatedRecommendation => ({ ...r,
      validation: { kept: false, bestReduction: 0, usedBy: [], note: `not validated: ${vt.mapDb(r.db)}.${r.table} is missing on the copy` } }));
    return { ...out, recommendations: [...out.recommendations, ...absent], target: { mode: vt.mode, label: vt.label } };
  } finally {
    await vt.cleanup();
  }
}

/** How many validated queries were decided on measured reads, on estimates, and how many runs timed out. */
function basisCounts(perQuery: Map<string, PlanDelta>) {
  const all = [...perQuery.values()];
  return { measured: all.filter((d) => d.basis === 'measured').length, estimated: all.filter((d) => d.basis === 'estimated').length,
    timedOut: all.filter((d) => d.measured?.before.timedOut || d.measured?.after.timedOut).length };
}

async function buildReport(input: AnalyzeInput, work: Work[], catalog: Catalog, outcome: Outcome): Promise<AnalysisReport> {
  const passed = outcome.recommendations.filter((r) => !r.validation || r.validation.kept);
  const { kept, over } = applyBudget(passed, input.perTableBudget ?? 3);
  const overBudget = over.map((r) => ({ ...r, validation: { ...r.validation!, kept: false, note: `${r.validation?.note ?? 'helps'}, but over the per-table budget of ${input.perTableBudget ?? 3}` } }));
  const rejected = [...outcome.recommendations.filter((r) => r.validation && !r.validation.kept), ...overBudget];
  for (const w of work) {
    w.report.recommendations = kept.filter((r) => r.queries.includes(w.cls.id)).map((r) => r.name);
    w.report.validation = outcome.perQuery.get(w.cls.id);
  }
  const usage = await readUsage(input.session);
  const failure = analysisFailure(work.map((w) => w.report));
  const flavor = input.session.flavor;
  const tables = [...catalog.values()];
  return {
    server: { label: input.session.label, version: input.session.version, flavor },
    workload: { ...input.workload, classes: input.classes.length, analyzed: work.length },
    queries: work.map((w) => w.report).sort((a, b) => b.impact - a.impact),
    recommendations: kept, rejected,
    redundant: tables.flatMap((t) => findRedundant(t, flavor)),
    unused: tables.flatMap((t) => findUnused(t, usage, flavor)),
    usage: { source: usage.source, uptimeSeconds: usage.uptimeSeconds },
    validation: { mode: outcome.target?.mode ?? 'off', target: outcome.target?.label, threshold: input.threshold ?? 0.5,
      ...(input.openValidation && !outcome.target ? { note: 'no candidate index to validate' } : {}),
      ...(outcome.target ? { ...basisCounts(outcome.perQuery), statementTimeoutMs: input.statementTimeoutMs ?? MEASURE_TIMEOUT_MS } : {}) },
    ddl: kept.map((r) => r.ddl),
    ...(failure ? { failure } : {}),
  };
}
