import type { RedundantIndex } from '../advisor/redundant.js';
import type { Recommendation } from '../advisor/types.js';
import type { Problem } from '../plan/problems.js';
import type { PlanFlavor, QueryPlan } from '../plan/types.js';

/** The analyze-queries result: what --json prints and the human report renders. */
export interface PlanSummary {
  tables: Array<{ table: string; access: string; key?: string; rows: number; loops: number; joinBuffer?: string }>;
  filesort: boolean;
  temporaryTable: boolean;
  rowsExamined: number;
  cost?: number;
}

/** One execution of a read on the validation copy, as the server counted it. */
export interface MeasuredRun {
  /** Handler_read_* delta: rows and index entries the storage engine handed over (until the interruption when timedOut). */
  rowsRead: number;
  /** Row combinations compared in join buffers (outer rows × buffered rows): work the handler counters miss. */
  joinBufferRows: number;
  /** The executed plan (ANALYZE FORMAT=JSON) sorted / used a temporary table. */
  filesort: boolean;
  temporaryTable: boolean;
  /** Indexes the executed plan used. */
  keys: string[];
  ms: number;
  /** Stopped by the per-statement time limit: the figures are partial and decide nothing. */
  timedOut?: boolean;
}

export interface PlanDelta {
  /** EXPLAIN estimates on the copy, before and after the candidate indexes. */
  before: { rowsExamined: number; cost?: number; keys: string[] };
  after: { rowsExamined: number; cost?: number; keys: string[] };
  /** Which figure `reduction` (and the decision) uses: the copy's own counters, or EXPLAIN's row estimate. */
  basis: 'measured' | 'estimated';
  /** 1 − after/before of the basis figure (rows read measured; rows examined estimated, cost when rows tie). */
  reduction: number;
  /** 1 − after/before of the EXPLAIN estimate, kept next to the measured figure to show where they differ. */
  estimatedReduction: number;
  measured?: { before: MeasuredRun; after: MeasuredRun };
  /** Measured: a filesort or temporary table the index removed, without reading more rows. */
  sortAvoided?: boolean;
  /** Why the decision rests on the estimate: a write (never run), a timeout, a server error, MySQL 8. */
  estimateReason?: string;
}

export interface QueryReport {
  id: string;
  fingerprint: string;
  sample: string;
  db?: string;
  count: number;
  totalTime: number;
  /** Per execution, measured by the workload source (0 when unknown). */
  rowsExamined: number;
  rowsSent: number;
  plan?: PlanSummary;
  /** EXPLAIN failed: the server's error, the run went on. */
  explainError?: { message: string; errno?: number };
  /** Not a query (DDL, SET, SHOW, CALL, administrator command …): nothing to EXPLAIN, left out of the problems. */
  skipped?: string;
  /** node-sql-parser could not read it: problems from the plan only, no index advice. */
  parseError?: string;
  problems: Problem[];
  recommendations: string[];
  validation?: PlanDelta;
  /** Ranking weight: executions × rows examined per execution. */
  impact: number;
}

export interface ValidatedRecommendation extends Recommendation {
  /** basis: the figure behind bestReduction (measured rows read on the copy, or EXPLAIN's estimate). */
  validation?: { kept: boolean; bestReduction: number; basis?: 'measured' | 'estimated'; usedBy: string[]; note: string };
}

export interface AnalysisReport {
  server: { label: string; version: string; flavor: PlanFlavor };
  workload: { source: string; events: number; malformed: number; classes: number; analyzed: number };
  queries: QueryReport[];
  recommendations: ValidatedRecommendation[];
  rejected: ValidatedRecommendation[];
  redundant: RedundantIndex[];
  unused: RedundantIndex[];
  usage: { source: string; uptimeSeconds: number };
  /** measured/estimated: how many validated queries were decided on the copy's counters vs EXPLAIN estimates. */
  validation: { mode: 'off' | 'validate-on' | 'temporary-instance'; target?: string; threshold: number; note?: string;
    measured?: number; estimated?: number; timedOut?: number; statementTimeoutMs?: number };
  /** Most analysed statements failed (EXPLAIN error or unreadable): the command exits non-zero with this. */
  failure?: { failed: number; analyzed: number; reason: string; hint: string };
  /** The DDL of the recommendations kept, in order. */
  ddl: string[];
  applied?: Array<{ ddl: string; ok: boolean; error?: string }>;
}

export function summarizePlan(p: QueryPlan): PlanSummary {
  return {
    tables: p.tables.map((t) => ({ table: t.table, access: t.accessType, key: t.key, rows: Math.round(t.rowsPerScan), loops: Math.round(t.loops), joinBuffer: t.joinBuffer })),
    filesort: p.filesort, temporaryTable: p.temporaryTable, rowsExamined: p.rowsExamined, cost: p.cost,
  };
}
