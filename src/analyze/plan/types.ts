/** One engine-neutral model of an EXPLAIN FORMAT=JSON plan (MySQL 8 and MariaDB 10.11 both parse into it). */

export type PlanFlavor = 'mysql8' | 'mariadb';

/** access_type values shared by both servers (MariaDB adds a few; unknown ones are kept as-is). */
export type AccessType =
  | 'system' | 'const' | 'eq_ref' | 'ref' | 'fulltext' | 'ref_or_null' | 'index_merge'
  | 'unique_subquery' | 'index_subquery' | 'range' | 'index' | 'ALL' | (string & {});

export interface PlanTable {
  /** Table name or alias as the plan shows it. */
  table: string;
  accessType: AccessType;
  possibleKeys: string[];
  key?: string;
  usedKeyParts: string[];
  ref: string[];
  /** Rows the server expects to read per scan of this table. */
  rowsPerScan: number;
  /** Percentage (0–100) of read rows the attached condition keeps. */
  filtered: number;
  /** How many times this table is scanned: rows produced by the tables joined before it. */
  loops: number;
  attachedCondition?: string;
  indexCondition?: string;
  /** The index alone answers the query for this table (MySQL using_index / MariaDB "using_index"). */
  coveringIndex: boolean;
  /** Join buffering: 'block-nl-join', 'hash join', 'bnl' … (undefined = plain nested loop). */
  joinBuffer?: string;
  /** MySQL 8 rows_produced_per_join (rows after this table joins); MariaDB leaves it out. */
  rowsProduced?: number;
  /** Select id of the block the table belongs to (subqueries get their own). */
  selectId: number;
}

export interface QueryPlan {
  flavor: PlanFlavor;
  tables: PlanTable[];
  filesort: boolean;
  temporaryTable: boolean;
  /** MySQL 8 only: cost_info.query_cost of the outer block. */
  cost?: number;
  /** Σ loops × rowsPerScan: the optimizer's estimate of rows read. */
  rowsExamined: number;
  /** Rows the outer block is expected to produce (after filtering). */
  rowsProduced: number;
  /** A message-only plan ("Impossible WHERE", "No tables used"). */
  message?: string;
}

export const FULL_SCAN: ReadonlySet<string> = new Set(['ALL']);
export const INDEX_SCAN: ReadonlySet<string> = new Set(['index']);
