/**
 * Pure: the SQL of `rdsctl replicas verify`, pt-table-checksum's way. A chunk is a primary-key range of
 * about N rows; its checksum is COUNT(*) and BIT_XOR of CRC32 over CONCAT_WS of every column (with an
 * ISNULL marker per nullable column, so NULL and '' differ), computed the same way on primary and replica.
 */

export interface TableSpec {
  schema: string;
  table: string;
  columns: string[];
  nullable: string[];
  /** Primary key columns in key order; empty: the table is checksummed as one chunk. */
  key: string[];
}

/** Bounds of one chunk: after `lower` (exclusive) up to `upper` (inclusive); undefined = open end. */
export interface ChunkBounds {
  lower?: unknown[];
  upper?: unknown[];
}

export const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const qualified = (t: TableSpec) => `${ident(t.schema)}.${ident(t.table)}`;
const keyTuple = (t: TableSpec) => `(${t.key.map(ident).join(', ')})`;
const params = (n: number) => `(${Array(n).fill('?').join(', ')})`;

/** The key of the row `chunkRows` rows after `after` (the next chunk's upper bound), in key order. */
export function boundaryQuery(t: TableSpec, chunkRows: number, after?: unknown[]): { sql: string; params: unknown[] } {
  const where = after ? ` WHERE ${keyTuple(t)} > ${params(t.key.length)}` : '';
  return {
    sql: `SELECT ${t.key.map(ident).join(', ')} FROM ${qualified(t)} FORCE INDEX (PRIMARY)${where} ORDER BY ${t.key.map(ident).join(', ')} LIMIT 1 OFFSET ${chunkRows - 1}`,
    params: after ?? [],
  };
}

/** COUNT(*) and the chunk's checksum (hex), as pt-table-checksum computes them. */
export function checksumQuery(t: TableSpec, b: ChunkBounds): { sql: string; params: unknown[] } {
  const cols = t.columns.map(ident);
  const nulls = t.nullable.length ? [`CONCAT(${t.nullable.map((c) => `ISNULL(${ident(c)})`).join(', ')})`] : [];
  const row = `CONCAT_WS('#', ${[...cols, ...nulls].join(', ')})`;
  const conds: string[] = [];
  const ps: unknown[] = [];
  if (b.lower) { conds.push(`${keyTuple(t)} > ${params(t.key.length)}`); ps.push(...b.lower); }
  if (b.upper) { conds.push(`${keyTuple(t)} <= ${params(t.key.length)}`); ps.push(...b.upper); }
  const hint = t.key.length ? ' FORCE INDEX (PRIMARY)' : '';
  return {
    sql: `SELECT COUNT(*) AS cnt, COALESCE(LOWER(CONV(BIT_XOR(CAST(CRC32(${row}) AS UNSIGNED)), 10, 16)), '0') AS crc FROM ${qualified(t)}${hint}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}`,
    params: ps,
  };
}

/** A chunk's range in words, for the report: `id 1001–2000`, `(a, b) > (3, 7)`, `whole table`. */
export function describeChunk(t: TableSpec, b: ChunkBounds): string {
  if (!t.key.length) return 'whole table (no primary key)';
  const k = t.key.length === 1 ? t.key[0]! : `(${t.key.join(', ')})`;
  const v = (x?: unknown[]) => (x ? (x.length === 1 ? String(x[0]) : `(${x.map(String).join(', ')})`) : undefined);
  if (!b.lower && !b.upper) return `all rows`;
  if (!b.lower) return `${k} ≤ ${v(b.upper)}`;
  if (!b.upper) return `${k} > ${v(b.lower)}`;
  return `${v(b.lower)} < ${k} ≤ ${v(b.upper)}`;
}

/** Schemas that belong to the server, never checksummed. */
export const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];
