import type { QueryPlan } from '../plan/types.js';
import type { SqlShape, TableShape } from '../shape/types.js';
import { catalogKey, type Candidate, type CandidateKind, type Catalog, type TableStats } from './types.js';

export interface AnalyzedQuery {
  id: string;
  db: string;
  /** Executions in the workload. */
  count: number;
  shape: SqlShape;
  plan: QueryPlan;
}

export interface CandidateOptions {
  /** Tables read fewer rows than this per execution are left alone (default 50). */
  minRows?: number;
  /** Covering only when the extra columns stay this narrow (bytes, default 64) and few (default 4 columns total+). */
  coveringBytes?: number;
  coveringColumns?: number;
  /** A table already reached by an index lookup returning at most this many rows is left alone (default 10). */
  goodLookupRows?: number;
}

const entriesFor = (plan: QueryPlan, t: TableShape) => {
  const names = new Set([t.table, ...t.aliases]);
  return plan.tables.filter((p) => names.has(p.table.toLowerCase()));
};

/** Rows the plan reads from this table per execution (all loops), 0 when the plan does not show it. */
export function rowsReadFrom(plan: QueryPlan, t: TableShape): number {
  return entriesFor(plan, t).reduce((s, p) => s + p.loops * p.rowsPerScan, 0);
}

const LOOKUPS = new Set(['system', 'const', 'eq_ref', 'ref']);

/** An index already finds this table's rows a few at a time: any remaining cost lies elsewhere in the plan. */
function goodLookup(plan: QueryPlan, t: TableShape, maxRows: number): boolean {
  const entries = entriesFor(plan, t);
  return entries.length > 0 && entries.every((p) => LOOKUPS.has(p.accessType) && p.rowsPerScan <= maxRows);
}

const ndvOf = (stats: TableStats, col: string) => stats.columns.get(col)?.ndv ?? 0;

/**
 * Estimated rows an index read returns: rows / Π ndv of the equality prefix (times the values of an IN list:
 * each is one more lookup, and a list as long as the column's distinct count reads everything); a range
 * keeps ~30%.
 */
export function estimateRows(stats: TableStats, equality: string[], range?: string, inValues: Record<string, number> = {}): number {
  let rows = Math.max(1, stats.rows);
  for (const c of equality) {
    const ndv = Math.max(1, ndvOf(stats, c) || 10);
    rows *= Math.min(ndv, inValues[c] ?? 1) / ndv;
  }
  if (range) rows *= 0.3;
  return Math.max(1, rows);
}

/** Three-star candidates for every table of one query that reads too many rows. */
export function candidatesFor(q: AnalyzedQuery, catalog: Catalog, opts: CandidateOptions = {}): Candidate[] {
  const out: Candidate[] = [];
  for (const t of q.shape.tables) {
    const stats = catalog.get(catalogKey(t.db ?? q.db, t.table));
    if (!stats) continue;
    const read = rowsReadFrom(q.plan, t) || stats.rows;
    const sortWanted = (t.orderBy.length > 0 || t.groupBy.length > 0) && (q.plan.filesort || q.plan.temporaryTable);
    if (read < (opts.minRows ?? 50) && !sortWanted) continue;
    if (stats.primaryKey.length && stats.primaryKey.every((c) => t.equality.includes(c))) continue; // PK lookup already
    // Reached by a good index lookup already: only its own filters might make it a better driving table.
    const good = goodLookup(q.plan, t, opts.goodLookupRows ?? 10);
    if (good && !t.equality.length && !t.range.length) continue;
    const loops = Math.max(1, entriesFor(q.plan, t).reduce((s, p) => s + p.loops, 0));
    // Only what cuts this table's reads at least in half is a candidate (validation checks it for real).
    out.push(...tableCandidates(q, t, stats, read, loops, opts)
      .filter((c) => c.benefit >= (read * q.count) / 2 && !(good && c.group !== `${q.id}:${t.table}`)));
  }
  return out;
}

function tableCandidates(q: AnalyzedQuery, t: TableShape, stats: TableStats, read: number, loops: number, opts: CandidateOptions): Candidate[] {
  const known = (c: string) => Number.isFinite(stats.columns.get(c)?.bytes ?? Infinity);
  const bySelectivity = (a: string, b: string) => ndvOf(stats, b) - ndvOf(stats, a);
  const converted = convertedColumns(q.shape, t, stats);
  const filter = (c: string) => known(c) && !converted.has(c);
  const eq = t.equality.filter(filter).sort(bySelectivity);
  const range = t.range.filter((c) => filter(c) && !eq.includes(c)).sort(bySelectivity)[0];
  const sortCols = (t.orderBy.length ? t.orderBy : t.groupBy).filter(known);
  const sort = sortCols.length === (t.orderBy.length || t.groupBy.length) ? sortCols.filter((c) => !eq.includes(c)) : [];
  const join = t.join.filter((c) => known(c) && !eq.includes(c));
  const group = `${q.id}:${t.table}`;
  const make = (columns: string[], kind: CandidateKind, why: string, preferred: boolean): Candidate => {
    let after = estimateRows(stats, columns.filter((c) => eq.includes(c) || join.includes(c)), range && columns.includes(range) ? range : undefined, t.inValues);
    if (kind === 'sort' && q.shape.hasLimit && t.orderBy.length) after = Math.min(after, 100); // stops after LIMIT rows
    // A join lookup runs once per outer row; an index on the table's own filters lets it drive the join (once).
    return { db: stats.db, table: stats.table, columns, kind, queries: [q.id], group, preferred,
      benefit: Math.max(0, (read - after * (kind === 'join' ? loops : 1)) * q.count), reason: why };
  };
  const list: Candidate[] = [];
  const eqWhy = eq.length ? `equality on ${eq.join(', ')}` : '';
  if (range && sort.length && sort[0] !== range) {
    // With ORDER BY … LIMIT the sorted variant stops after LIMIT rows; otherwise the range reads fewer.
    const sortFirst = q.shape.hasLimit && t.orderBy.length > 0;
    list.push(make([...eq, range], 'range', join2(eqWhy, `range on ${range}`), !sortFirst));
    list.push(make([...eq, ...sort], 'sort', join2(eqWhy, `rows already in ${t.orderBy.length ? 'ORDER' : 'GROUP'} BY order`), sortFirst));
  } else if (sort.length) {
    list.push(make([...eq, ...sort], 'sort', join2(eqWhy, `rows already in ${t.orderBy.length ? 'ORDER' : 'GROUP'} BY order (no filesort)`), true));
  } else if (range || eq.length) {
    list.push(make(range ? [...eq, range] : eq, range ? 'range' : 'equality', join2(eqWhy, range ? `range on ${range}` : uniqueNote(stats, eq)), true));
  }
  // One candidate per join column: each serves the lookup from one join partner.
  // The join column is an equality too (per outer row): ordered with the others by selectivity. Preferred
  // when the partner table has its own filter: the optimizer will likely start there and look this one up.
  for (const jc of join) {
    const partners = t.joinWith.filter((j) => j.column === jc).map((j) => q.shape.tables.find((x) => x.table === j.table));
    const driven = partners.some((p) => p && (p.equality.length > 0 || p.range.length > 0));
    list.push({ ...make([...eq, jc].sort(bySelectivity), 'join', join2(eqWhy, `join lookup on ${jc}`), driven), group: `${group}:${jc}` });
  }
  // A candidate led by the whole primary key is the clustered index already (it holds every column).
  const pkLed = (c: Candidate) => stats.primaryKey.length > 0 && stats.primaryKey.every((k, i) => c.columns[i] === k);
  return list.filter((c) => c.columns.length > 0 && !pkLed(c)).map((c) => covering(c, t, stats, opts));
}

/** A lookup column whose every value is distinct (email, sku): a DBA would make it UNIQUE if the data must be. */
function uniqueNote(stats: TableStats, eq: string[]): string {
  const distinct = eq.length === 1 && stats.rows >= 100 && ndvOf(stats, eq[0]) >= 0.95 * stats.rows;
  return distinct ? `every value distinct in the data: make it UNIQUE if the application relies on that` : '';
}

const STRING_TYPES = /char|text|enum|set|binary|blob/;

/**
 * String columns the statement compares to a number: the server converts every row's value, so no index on
 * them can be used until the value is quoted (reported as non-sargable) — an index there would be dead weight.
 */
function convertedColumns(shape: SqlShape, t: TableShape, stats: TableStats): Set<string> {
  return new Set(shape.issues.flatMap((i) => (i.kind === 'compared-to-number' && i.table === t.table &&
    STRING_TYPES.test(stats.columns.get(i.column)?.type ?? '') ? [i.column] : [])));
}

const join2 = (a: string, b: string) => [a, b].filter(Boolean).join(' + ');

/** Adds the query's other columns when few and narrow, so the table rows need not be read at all. */
function covering(c: Candidate, t: TableShape, stats: TableStats, opts: CandidateOptions): Candidate {
  if (t.star) return c;
  // Sorted so that two queries' covering variants of one key come out identical and merge.
  const extra = t.columns.filter((col) => !c.columns.includes(col) && !stats.primaryKey.includes(col) && stats.columns.has(col)).sort();
  if (!extra.length) return c;
  const bytes = [...c.columns, ...extra].reduce((s, col) => s + (stats.columns.get(col)?.bytes ?? 255), 0);
  if (c.columns.length + extra.length > (opts.coveringColumns ?? 4) || bytes > (opts.coveringBytes ?? 64)) return c;
  return { ...c, columns: [...c.columns, ...extra], kind: 'covering', reason: `${c.reason} + covers ${extra.join(', ')} (no row lookups)` };
}
