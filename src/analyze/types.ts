/** Shared shapes of the analyze-queries pipeline: workload → classes → plans → advice → report. */

/** One executed statement as a workload source saw it. */
export interface QueryEvent {
  sql: string;
  /** Default schema in effect (`use db;`, Schema: header, --database). */
  db?: string;
  /** Seconds. */
  queryTime?: number;
  lockTime?: number;
  rowsSent?: number;
  rowsExamined?: number;
  timestamp?: string; // ISO
  user?: string;
  host?: string;
  /** Weight (count) when a source pre-aggregates (digest tables, weighted --queries). */
  weight?: number;
}

/** One fingerprint class, aggregated. Times in seconds. */
export interface QueryClass {
  /** pt-query-digest compatible fingerprint (lowercase, literals → ?, IN lists collapsed). */
  fingerprint: string;
  /** Hex id: like pt-query-digest's checksum (last 16 hex of md5 of the fingerprint, upper case). */
  id: string;
  /** One real statement of the class, for EXPLAIN (the slowest seen). */
  sample: string;
  db?: string;
  count: number;
  totalTime: number;
  avgTime: number;
  p95Time: number;
  maxTime: number;
  rowsExamined: number;
  rowsSent: number;
  /** True when the sample's literals were synthesized (MariaDB digest text). */
  sampleSynthesized?: boolean;
  /** True when the source has no latency distribution (MariaDB digest): p95Time is then maxTime. */
  p95IsUpperBound?: boolean;
}

export interface WorkloadSummary {
  source: string; // 'slow-log:<file>' | 'digest' | 'queries:<file>'
  events: number;
  /** Entries that could not be parsed (skipped and counted, never a crash). */
  malformed: number;
  classes: QueryClass[]; // ranked by totalTime desc
}
