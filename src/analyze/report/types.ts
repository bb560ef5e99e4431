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

export interface PlanDelta {
  before: { rowsExamined: number; cost?: number; keys: string[] };
  after: { rowsExamined: number; cost?: number; keys: string[] };
  /** 1 − after/before on rows examined (cost when rows tie and both have it). */
  reduction: number;
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
  validation?: { kept: boolean; bestReduction: number; usedBy: string[]; note: string };
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
  validation: { mode: 'off' | 'validate-on' | 'temporary-instance'; target?: string; threshold: number; note?: string };
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
