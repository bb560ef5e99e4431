import { qualified, quoteIdent } from '../analyze/advisor/ddl.js';
import { catalogKey, type Catalog, type TableStats } from '../analyze/advisor/types.js';
import type { UsageInfo } from '../analyze/advisor/redundant.js';
import type { SqlSession } from './analyze-db.js';

type Row = Record<string, unknown>;
const lc = (v: unknown) => String(v ?? '').toLowerCase();
const pick = (r: Row, k: string) => r[k] ?? r[k.toLowerCase()];

/** Bytes one index entry spends on a column; TEXT/BLOB/JSON are not indexable without a prefix (Infinity). */
export function columnBytes(dataType: string, octets: unknown, precision: unknown): number {
  const fixed: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, integer: 4, bigint: 8, float: 4, double: 8,
    date: 3, time: 3, datetime: 5, timestamp: 4, year: 1, bit: 1, enum: 2, set: 8 };
  if (fixed[dataType]) return fixed[dataType];
  if (dataType === 'decimal') return Math.ceil(Number(precision ?? 10) / 2) + 1;
  if (/text|blob|json|geometry/.test(dataType)) return Infinity;
  return Number(octets ?? 255) + 2;
}

/** Reads tables, columns, indexes and foreign keys for the given `db.table` keys from information_schema. */
export async function readCatalog(s: SqlSession, keys: Set<string>): Promise<Catalog> {
  const dbs = [...new Set([...keys].map((k) => k.split('.')[0]))];
  const catalog: Catalog = new Map();
  if (!dbs.length) return catalog;
  const marks = dbs.map(() => '?').join(',');
  const tables = await s.query<Row>(`SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${marks}) AND TABLE_TYPE = 'BASE TABLE'`, dbs);
  for (const t of tables) {
    const key = catalogKey(String(pick(t, 'TABLE_SCHEMA')), String(pick(t, 'TABLE_NAME')));
    if (!keys.has(key)) continue;
    catalog.set(key, { db: String(pick(t, 'TABLE_SCHEMA')), table: String(pick(t, 'TABLE_NAME')), rows: Number(pick(t, 'TABLE_ROWS') ?? 0),
      columns: new Map(), indexes: [], primaryKey: [], foreignKeys: [] });
  }
  await readColumns(s, catalog, marks, dbs);
  await readIndexes(s, catalog, marks, dbs);
  await readForeignKeys(s, catalog, marks, dbs);
  return catalog;
}

async function readColumns(s: SqlSession, catalog: Catalog, marks: string, dbs: string[]): Promise<void> {
  const rows = await s.query<Row>(`SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (${marks}) ORDER BY ORDINAL_POSITION`, dbs);
  for (const r of rows) {
    const t = catalog.get(catalogKey(String(pick(r, 'TABLE_SCHEMA')), String(pick(r, 'TABLE_NAME'))));
    const type = lc(pick(r, 'DATA_TYPE'));
    t?.columns.set(lc(pick(r, 'COLUMN_NAME')), { type, bytes: columnBytes(type, pick(r, 'CHARACTER_OCTET_LENGTH'), pick(r, 'NUMERIC_PRECISION')) });
  }
}

async function readIndexes(s: SqlSession, catalog: Catalog, marks: string, dbs: string[]): Promise<void> {
  const rows = await s.query<Row>(`SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN (${marks}) ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`, dbs);
  for (const r of rows) {
    const t = catalog.get(catalogKey(String(pick(r, 'TABLE_SCHEMA')), String(pick(r, 'TABLE_NAME'))));
    if (!t) continue;
    const name = String(pick(r, 'INDEX_NAME'));
    let ix = t.indexes.find((i) => i.name === name);
    if (!ix) {
      // MariaDB 10.6+: IGNORED = 'YES'; MySQL 8: IS_VISIBLE = 'NO'.
      const hidden = lc(pick(r, 'IGNORED')) === 'yes' || lc(pick(r, 'IS_VISIBLE')) === 'no';
      ix = { name, columns: [], unique: Number(pick(r, 'NON_UNIQUE')) === 0, primary: name === 'PRIMARY', hidden };
      t.indexes.push(ix);
    }
    const col = lc(pick(r, 'COLUMN_NAME'));
    ix.columns.push(col);
    if (ix.primary) t.primaryKey.push(col);
    const card = Number(pick(r, 'CARDINALITY') ?? 0);
    const info = t.columns.get(col);
    // Cardinality of a leading column is that column's distinct count.
    if (info && ix.columns.length === 1 && card > 0) info.ndv = Math.max(info.ndv ?? 0, card);
  }
}

async function readForeignKeys(s: SqlSession, catalog: Catalog, marks: string, dbs: string[]): Promise<void> {
  const rows = await s.query<Row>(`SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA IN (${marks}) AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`, dbs);
  for (const r of rows) {
    const t = catalog.get(catalogKey(String(pick(r, 'TABLE_SCHEMA')), String(pick(r, 'TABLE_NAME'))));
    if (!t) continue;
    const name = String(pick(r, 'CONSTRAINT_NAME'));
    let fk = t.foreignKeys.find((f) => f.name === name);
    if (!fk) t.foreignKeys.push((fk = { name, columns: [] }));
    fk.columns.push(lc(pick(r, 'COLUMN_NAME')));
  }
}

/**
 * Distinct counts for columns no index describes: COUNT(DISTINCT) over the first `sample` rows.
 * A read-only SELECT with quoted identifiers taken from information_schema; never workload text.
 */
export async function sampleDistinct(s: SqlSession, t: TableStats, columns: string[], sample = 10_000): Promise<void> {
  const cols = columns.filter((c) => t.columns.has(c) && t.columns.get(c)!.ndv === undefined && Number.isFinite(t.columns.get(c)!.bytes));
  if (!cols.length) return;
  const list = cols.map(quoteIdent).join(', ');
  const counts = cols.map((c, i) => `COUNT(DISTINCT ${quoteIdent(c)}) AS d${i}`).join(', ');
  const [row] = await s.query<Row>(`SELECT COUNT(*) AS n, ${counts} FROM (SELECT ${list} FROM ${qualified(t.db, t.table)} LIMIT ${Math.floor(sample)}) AS s`);
  const n = Number(row.n);
  cols.forEach((c, i) => {
    const d = Number(row[`d${i}`]);
    // Mostly distinct in the sample → scale to the table; few values → that is the column's domain.
    t.columns.get(c)!.ndv = n > 0 && d > n / 2 ? Math.round((d * Math.max(t.rows, n)) / n) : Math.max(1, d);
  });
}

/** Index usage since startup, where the server keeps it (MariaDB userstat, MySQL performance_schema). */
export async function readUsage(s: SqlSession): Promise<UsageInfo> {
  const [up] = await s.query<Row>("SHOW GLOBAL STATUS LIKE 'Uptime'");
  const uptimeSeconds = Number(pick(up, 'Value') ?? 0);
  const used = new Set<string>();
  try {
    if (s.flavor === 'mariadb') {
      const [on] = await s.query<Row>('SELECT @@userstat AS v');
      if (Number(on.v) !== 1) return { uptimeSeconds, source: 'none (userstat is OFF)' };
      const rows = await s.query<Row>('SELECT TABLE_NAME, INDEX_NAME FROM information_schema.INDEX_STATISTICS');
      rows.forEach((r) => used.add(`${lc(pick(r, 'TABLE_NAME'))}.${lc(pick(r, 'INDEX_NAME'))}`));
      return { used, uptimeSeconds, source: 'information_schema.INDEX_STATISTICS' };
    }
    const rows = await s.query<Row>('SELECT OBJECT_NAME, INDEX_NAME FROM performance_schema.table_io_waits_summary_by_index_usage WHERE INDEX_NAME IS NOT NULL AND COUNT_READ > 0');
    rows.forEach((r) => used.add(`${lc(pick(r, 'OBJECT_NAME'))}.${lc(pick(r, 'INDEX_NAME'))}`));
    return { used, uptimeSeconds, source: 'performance_schema' };
  } catch {
    return { uptimeSeconds, source: 'none (no access to usage statistics)' };
  }
}
