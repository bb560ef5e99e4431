/** What one statement asks of each table it reads: the advisor's input. Columns are lower case. */
export interface TableShape {
  table: string;
  db?: string;
  /** Aliases the statement uses for this table. */
  aliases: string[];
  /** col = literal, col IN (…), col IS NULL. */
  equality: string[];
  /** For `col IN (…)` equality: how many values (the longest list), since each value is one more lookup. */
  inValues?: Record<string, number>;
  /** <, >, BETWEEN, LIKE 'prefix%'. */
  range: string[];
  /** Columns equated to another table's column (join keys). */
  join: string[];
  /** For each join column, the table on the other side. */
  joinWith: Array<{ column: string; table: string }>;
  /** ORDER BY when every sort column belongs to this table and all go one direction. */
  orderBy: string[];
  orderDesc: boolean;
  groupBy: string[];
  /** Every column of this table the statement mentions (for covering indexes). */
  columns: string[];
  /** SELECT * or t.*: no covering index possible. */
  star: boolean;
}

export type ShapeIssue =
  | { kind: 'function-on-column'; table?: string; column: string; detail: string }
  | { kind: 'leading-wildcard'; table?: string; column: string; detail: string }
  | { kind: 'compared-to-number'; table?: string; column: string; detail: string }
  | { kind: 'or-across-columns'; columns: string[]; detail: string };

export type StatementKind = 'select' | 'update' | 'delete' | 'insert' | 'replace' | 'other';

export interface SqlShape {
  kind: StatementKind;
  tables: TableShape[];
  /** Tables a DML statement writes (for the write-cost side of the advisor). */
  writes: string[];
  hasLimit: boolean;
  issues: ShapeIssue[];
}

/** Resolves an unqualified column to the one table (of those listed) that has it. */
export type ColumnResolver = (column: string, tables: string[]) => string | undefined;
