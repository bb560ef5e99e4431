import { dropIndexDdl, hideIndexDdl } from './ddl.js';
import type { IndexDef, TableStats } from './types.js';

export type RedundancyKind = 'duplicate' | 'left-prefix' | 'pk-suffix' | 'unused';

export interface RedundantIndex {
  db: string;
  table: string;
  index: string;
  columns: string[];
  kind: RedundancyKind;
  /** The index that makes this one unnecessary. */
  coveredBy?: string;
  detail: string;
  /** Reversible first step (IGNORED / INVISIBLE), then the drop once nothing got slower. */
  hideDdl: string;
  dropDdl: string;
}

const startsWith = (long: string[], short: string[]) => short.length <= long.length && short.every((c, i) => long[i] === c);
const same = (a: string[], b: string[]) => a.length === b.length && startsWith(a, b);

/** InnoDB secondary index as stored: its columns, then the primary key columns it does not already hold. */
function effective(ix: IndexDef, pk: string[]): string[] {
  return ix.primary ? ix.columns : [...ix.columns, ...pk.filter((c) => !ix.columns.includes(c))];
}

/** Rank for which of two duplicates to keep: PRIMARY, then UNIQUE, then the earlier name. */
const rank = (ix: IndexDef) => (ix.primary ? 0 : ix.unique ? 1 : 2);

function covering(ix: IndexDef, stats: TableStats): { by: IndexDef; kind: RedundancyKind } | undefined {
  if (ix.primary) return undefined;
  const mine = effective(ix, stats.primaryKey);
  for (const other of stats.indexes) {
    if (other === ix || other.hidden) continue;
    const theirs = effective(other, stats.primaryKey);
    if (same(ix.columns, other.columns) || same(mine, theirs)) {
      const keepOther = rank(other) < rank(ix) || (rank(other) === rank(ix) && other.name < ix.name);
      if (keepOther) return { by: other, kind: 'duplicate' };
    } else if (!ix.unique && (startsWith(other.columns, ix.columns) || startsWith(theirs, mine))) {
      return { by: other, kind: 'left-prefix' };
    }
  }
  return undefined;
}

/**
 * pt-duplicate-key-checker's rules on one table: duplicates, left-prefix redundant (never a UNIQUE one),
 * a secondary index that ends with the primary key (InnoDB appends it anyway), and an index a foreign key
 * needs is kept unless what remains still starts with the foreign key's columns.
 */
export function findRedundant(stats: TableStats, flavor: 'mariadb' | 'mysql8'): RedundantIndex[] {
  const out: RedundantIndex[] = [];
  const dropped = new Set<string>();
  for (const ix of stats.indexes) {
    const hit = covering(ix, stats);
    if (hit && !dropped.has(hit.by.name)) {
      dropped.add(ix.name);
      out.push(entry(stats, ix, hit.kind, flavor, hit.by.name));
    } else if (!ix.primary && !ix.unique && ix.columns.length > 1 && stats.primaryKey.length &&
      startsWith([...ix.columns].reverse(), [...stats.primaryKey].reverse())) {
      out.push(entry(stats, ix, 'pk-suffix', flavor));
    }
  }
  return out.filter((r) => r.kind === 'pk-suffix' || !neededByForeignKey(stats, r.index, dropped));
}

/** A foreign key needs some index starting with its columns; without this one, would any remain? */
function neededByForeignKey(stats: TableStats, name: string, dropped: Set<string>): boolean {
  const ix = stats.indexes.find((i) => i.name === name)!;
  const remaining = stats.indexes.filter((i) => i.name !== name && !dropped.has(i.name));
  return stats.foreignKeys.some((fk) =>
    startsWith(ix.columns, fk.columns) && !remaining.some((r) => startsWith(effective(r, stats.primaryKey), fk.columns)));
}

function entry(stats: TableStats, ix: IndexDef, kind: RedundancyKind, flavor: 'mariadb' | 'mysql8', by?: string): RedundantIndex {
  const cols = ix.columns.join(', ');
  const detail = kind === 'duplicate' ? `same columns as ${by} (${cols})`
    : kind === 'left-prefix' ? `(${cols}) is a leftmost prefix of ${by}`
      : kind === 'pk-suffix' ? `(${cols}) ends with the primary key, which InnoDB already appends to every secondary index`
        : `no reads recorded`;
  return { db: stats.db, table: stats.table, index: ix.name, columns: ix.columns, kind, coveredBy: by, detail,
    hideDdl: hideIndexDdl(stats.db, stats.table, ix.name, flavor), dropDdl: dropIndexDdl(stats.db, stats.table, ix.name) };
}

export interface UsageInfo {
  /** Index names with reads since the server started (by `table.index`, lower case); undefined = no stats source. */
  used?: Set<string>;
  uptimeSeconds: number;
  source: string; // 'information_schema.INDEX_STATISTICS' | 'performance_schema' | 'none'
}

/** Indexes with no recorded reads. Never PRIMARY or UNIQUE (they enforce constraints) nor a foreign key's only index. */
export function findUnused(stats: TableStats, usage: UsageInfo, flavor: 'mariadb' | 'mysql8'): RedundantIndex[] {
  if (!usage.used) return [];
  const uptime = usage.uptimeSeconds < 7 * 86400 ? ` — but the server has been up only ${Math.round(usage.uptimeSeconds / 3600)} h: weekly or monthly jobs may not have run yet` : '';
  return stats.indexes
    .filter((ix) => !ix.primary && !ix.unique && !usage.used!.has(`${stats.table}.${ix.name}`.toLowerCase()))
    .filter((ix) => !stats.foreignKeys.some((fk) => startsWith(ix.columns, fk.columns)))
    .map((ix) => ({ ...entry(stats, ix, 'unused', flavor), detail: `no reads recorded in ${usage.source}${uptime}` }));
}
