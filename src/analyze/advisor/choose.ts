import { estimateRows } from './candidates.js';
import { addIndexDdl, indexName } from './ddl.js';
import { catalogKey, type Candidate, type Catalog, type Recommendation, type TableStats } from './types.js';

export interface ChooseOptions {
  /** New indexes per table at most (default 3). */
  perTableBudget?: number;
  /** Executions of DML statements writing each table (`db.table`), for the write cost. */
  writesPerTable?: Map<string, number>;
  /** Row-equivalents one write pays per extra index (random B-tree maintenance; default 10). */
  writeFactor?: number;
  /** Fold a candidate into another sharing a leading prefix that already narrows to this many rows (default 20). */
  consolidateRows?: number;
  /** Keep every variant (validation will arbitrate); otherwise only each query's preferred one. */
  keepVariants?: boolean;
}

const startsWith = (long: string[], short: string[]) => short.length <= long.length && short.every((c, i) => long[i] === c);

/** InnoDB appends the primary key to every secondary index: trailing PK columns add nothing. */
export function withoutPkSuffix(columns: string[], pk: string[]): string[] {
  const cols = [...columns];
  while (cols.length > 1 && pk.includes(cols[cols.length - 1])) cols.pop();
  return cols;
}

/**
 * True when an existing index (PRIMARY included, with InnoDB's implicit PK suffix) already starts with these
 * columns. Hidden (IGNORED/INVISIBLE) indexes count too: the fix there is to unhide, not to add a duplicate.
 */
export function servedByExisting(columns: string[], stats: TableStats): boolean {
  return stats.indexes.some((ix) => startsWith(ix.primary ? ix.columns : [...ix.columns, ...stats.primaryKey.filter((c) => !ix.columns.includes(c))], columns));
}

function mergeInto(target: Candidate, c: Candidate): void {
  target.benefit += c.benefit;
  for (const q of c.queries) if (!target.queries.includes(q)) target.queries.push(q);
}

/** Same columns → one candidate; a candidate that is a leftmost prefix of a longer one folds into it. */
export function mergeCandidates(list: Candidate[]): Candidate[] {
  const sorted = [...list].sort((a, b) => b.columns.length - a.columns.length || b.benefit - a.benefit);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    const host = kept.filter((k) => k.db === c.db && k.table === c.table && startsWith(k.columns, c.columns))
      .sort((a, b) => b.benefit - a.benefit)[0];
    if (host) mergeInto(host, c);
    else kept.push({ ...c, queries: [...c.queries] });
  }
  return kept;
}

const commonPrefix = (a: string[], b: string[]) => { let k = 0; while (k < a.length && k < b.length && a[k] === b[k]) k++; return k; };

/**
 * Fewer, broader indexes: when two candidates share leading columns that already narrow a lookup to a few
 * rows (estimated from distinct counts), the smaller-benefit one folds into the other; what the shorter
 * prefix leaves is a handful of rows to filter or sort.
 */
export function consolidate(list: Candidate[], catalog: Catalog, maxRows: number): Candidate[] {
  const kept = [...list].sort((a, b) => b.benefit - a.benefit);
  for (let i = kept.length - 1; i > 0; i--) {
    const c = kept[i];
    const stats = catalog.get(catalogKey(c.db, c.table));
    const host = kept.slice(0, i).find((h) => h.db === c.db && h.table === c.table && (() => {
      const k = commonPrefix(h.columns, c.columns);
      return k > 0 && stats !== undefined && estimateRows(stats, c.columns.slice(0, k)) <= maxRows;
    })());
    if (host) { mergeInto(host, c); kept.splice(i, 1); }
  }
  return kept;
}

/**
 * The whole workload's index set: normalize, drop what existing indexes serve, merge prefixes, charge the
 * write cost, keep the best few per table. Pure: candidates + catalog in, recommendations out.
 */
export function chooseIndexes(candidates: Candidate[], catalog: Catalog, opts: ChooseOptions = {}): Recommendation[] {
  const usable = candidates
    .filter((c) => opts.keepVariants || c.preferred)
    .map((c) => ({ ...c, columns: withoutPkSuffix(c.columns, catalog.get(catalogKey(c.db, c.table))?.primaryKey ?? []) }))
    .filter((c) => { const s = catalog.get(catalogKey(c.db, c.table)); return s && !servedByExisting(c.columns, s); });
  const merged = consolidate(mergeCandidates(usable), catalog, opts.consolidateRows ?? 20);
  const byTable = new Map<string, Candidate[]>();
  for (const c of merged) byTable.set(catalogKey(c.db, c.table), [...(byTable.get(catalogKey(c.db, c.table)) ?? []), c]);
  const out: Recommendation[] = [];
  for (const [key, list] of byTable) {
    const stats = catalog.get(key)!;
    const writeCost = (opts.writesPerTable?.get(key) ?? 0) * (opts.writeFactor ?? 10);
    const taken = new Set(stats.indexes.map((i) => i.name.toLowerCase()));
    // With validation still to come, twice the budget goes to the copy; applyBudget trims afterwards.
    const budget = (opts.perTableBudget ?? 3) * (opts.keepVariants ? 2 : 1);
    const worth = list.filter((c) => c.benefit > writeCost).sort((a, b) => b.benefit - a.benefit).slice(0, budget);
    for (const c of worth) {
      const name = indexName(c.table, c.columns, taken);
      const supersedes = stats.indexes.filter((ix) => !ix.primary && !ix.unique && ix.columns.length < c.columns.length && startsWith(c.columns, ix.columns)).map((ix) => ix.name);
      out.push({ db: c.db, table: c.table, name, columns: c.columns, kind: c.kind, queries: c.queries, benefit: Math.round(c.benefit),
        writeCost, reason: c.reason, ddl: addIndexDdl(c.db, c.table, name, c.columns), supersedes });
    }
  }
  return out.sort((a, b) => b.benefit - a.benefit);
}

/** The per-table budget over a ranked list (after validation has dropped what did not help). */
export function applyBudget<T extends { db: string; table: string; benefit: number }>(recs: T[], perTable = 3): { kept: T[]; over: T[] } {
  const count = new Map<string, number>();
  const kept: T[] = [];
  const over: T[] = [];
  for (const r of [...recs].sort((a, b) => b.benefit - a.benefit)) {
    const key = catalogKey(r.db, r.table);
    const n = count.get(key) ?? 0;
    if (n < perTable) { kept.push(r); count.set(key, n + 1); } else over.push(r);
  }
  return { kept, over };
}
