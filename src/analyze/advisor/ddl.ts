/** DDL text. Every identifier is quoted; workload text never reaches here. */

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export const qualified = (db: string, table: string) => `${quoteIdent(db)}.${quoteIdent(table)}`;

export interface AddIndexOptions {
  /** MySQL 8: create INVISIBLE (what-if on a validation copy). */
  invisible?: boolean;
  /** Online DDL clauses (kept for --ddl-out / --apply; a throwaway copy can skip them). */
  online?: boolean;
}

export function addIndexDdl(db: string, table: string, name: string, columns: string[], opts: AddIndexOptions = {}): string {
  const cols = columns.map(quoteIdent).join(',');
  const vis = opts.invisible ? ' INVISIBLE' : '';
  const online = opts.online === false ? '' : ', ALGORITHM=INPLACE, LOCK=NONE';
  return `ALTER TABLE ${qualified(db, table)} ADD INDEX ${quoteIdent(name)} (${cols})${vis}${online};`;
}

/** Hide an index from the optimizer before dropping it: reversible in an instant. */
export function hideIndexDdl(db: string, table: string, name: string, flavor: 'mariadb' | 'mysql8'): string {
  const how = flavor === 'mariadb' ? 'IGNORED' : 'INVISIBLE';
  return `ALTER TABLE ${qualified(db, table)} ALTER INDEX ${quoteIdent(name)} ${how};`;
}

export function dropIndexDdl(db: string, table: string, name: string): string {
  return `ALTER TABLE ${qualified(db, table)} DROP INDEX ${quoteIdent(name)};`;
}

/** ix_<table>_<col>_<col>, within MySQL's 64-character limit, unique against `taken`. */
export function indexName(table: string, columns: string[], taken: Set<string>): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
  let base = `ix_${clean(table)}_${columns.map(clean).join('_')}`;
  if (base.length > 60) base = `${base.slice(0, 52)}_${hash(base)}`;
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 60)}_${i}`;
  taken.add(name.toLowerCase());
  return name;
}

function hash(s: string): string {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0').slice(0, 7);
}
