/** What the advisor knows about the schema (read from information_schema) and what it proposes. */

export interface IndexDef {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
  /** MariaDB IGNORED / MySQL INVISIBLE: present but not used by the optimizer. */
  hidden?: boolean;
}

export interface ColumnInfo {
  type: string; // data_type, lower case: int, varchar, datetime …
  /** Bytes an index entry spends on it (max length for strings). */
  bytes: number;
  /** Distinct values: index cardinality or a sampled COUNT(DISTINCT). */
  ndv?: number;
}

export interface ForeignKey {
  name: string;
  columns: string[];
}

export interface TableStats {
  db: string;
  table: string;
  rows: number;
  columns: Map<string, ColumnInfo>;
  indexes: IndexDef[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
}

/** Lookup by `db.table` (lower case). */
export type Catalog = Map<string, TableStats>;
export const catalogKey = (db: string, table: string) => `${db.toLowerCase()}.${table.toLowerCase()}`;

export type CandidateKind = 'equality' | 'range' | 'sort' | 'join' | 'covering';

export interface Candidate {
  db: string;
  table: string;
  columns: string[];
  kind: CandidateKind;
  /** Class ids of the queries it serves. */
  queries: string[];
  /** Estimated rows saved over the workload (executions × (rows read now − rows read with the index)). */
  benefit: number;
  reason: string;
  /** Variants for one query-table (range vs sort): only the preferred one survives without validation. */
  group: string;
  preferred: boolean;
}

export interface Recommendation {
  db: string;
  table: string;
  name: string;
  columns: string[];
  kind: CandidateKind;
  queries: string[];
  benefit: number;
  /** Row-maintenance cost the workload's writes would pay (same unit as benefit). */
  writeCost: number;
  reason: string;
  ddl: string;
  /** Existing indexes that are a leftmost prefix of this one: redundant once it exists (hide, then drop). */
  supersedes: string[];
}
