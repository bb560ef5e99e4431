import { usageError } from './errors.js';
import { unquoteTable, type BinlogTransaction } from './binlog-transactions.js';

/**
 * What a binlog transaction is, for a person (kind, tables, rows), and the `restore --before "<pattern>"`
 * matcher. Patterns are case-insensitive and whitespace-normalised:
 *   INSERT INTO t · UPDATE t · DELETE FROM t      a transaction with rows of that kind on table t
 *   DROP|CREATE|ALTER|TRUNCATE|RENAME TABLE t      that DDL naming t (also in a list: DROP TABLE a, t)
 *   DROP DATABASE d                                that DDL on schema d
 *   anything else                                  a statement (DDL) containing that text
 * `t` may be `schema.t`; backquotes are optional; without a schema any schema's t matches.
 */

export interface DdlTarget {
  /** `DROP TABLE`, `ALTER TABLE`, `DROP DATABASE` … */
  verb: string;
  /** `schema.table` (or the schema for DATABASE statements). */
  names: string[];
}

const ID = '(?:`(?:[^`]|``)*`|[\\w$]+)(?:\\s*\\.\\s*(?:`(?:[^`]|``)*`|[\\w$]+))?';
const DDL = /^(DROP|CREATE|ALTER|TRUNCATE|RENAME)\s+(?:OR\s+REPLACE\s+)?(?:TEMPORARY\s+)?(?:(TABLE|DATABASE|SCHEMA)\s+)?(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(.*)$/is;
const KEYWORDS = new Set(['to', 'restrict', 'cascade', 'wait', 'nowait']);

/** The DDL verb and the tables a statement names (unqualified ones belong to `db`). */
export function ddlTarget(sql: string, db?: string): DdlTarget | undefined {
  const m = DDL.exec(stripComments(sql).trim());
  if (!m) return undefined;
  const object = (m[2] ?? (m[1]!.toUpperCase() === 'TRUNCATE' ? 'TABLE' : '')).toUpperCase().replace('SCHEMA', 'DATABASE');
  if (!object) return undefined;
  const verb = `${m[1]!.toUpperCase()} ${object}`;
  const ids = [...m[3]!.matchAll(new RegExp(ID, 'g'))].map((x) => x[0]).filter((x) => !KEYWORDS.has(x.toLowerCase()));
  // DROP TABLE and RENAME TABLE name a list; the others name one table and then say what to do with it.
  const list = /^(DROP|RENAME) TABLE$/.test(verb) ? listIds(m[3]!) : ids.slice(0, 1);
  const names = object === 'DATABASE' ? list.map((x) => unquoteTable(x)) : list.map((x) => unquoteTable(x, db));
  return { verb, names };
}

/** `a, b` / `a TO b, c TO d`: the identifiers up to the first thing that is not one. */
function listIds(rest: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`^\\s*(${ID})\\s*(,|\\bTO\\b|$)`, 'i');
  let s = rest;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(m[1]!);
    s = s.slice(m[0].length);
    if (!m[2]) break;
  }
  return out;
}

function stripComments(sql: string): string {
  return sql.replace(/\/\*(?!!)[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ');
}

/** `DELETE` · `INSERT, UPDATE` · `DROP TABLE` · `DDL` (what a person reads first about a transaction). */
export function transactionKind(tx: BinlogTransaction): string {
  const kinds: string[] = [];
  for (const k of ['insert', 'update', 'delete'] as const) if (tx.tables.some((t) => t[k] > 0)) kinds.push(k.toUpperCase());
  for (const s of tx.statements) {
    const d = ddlTarget(s.sql, s.db);
    const kind = d ? d.verb : statementVerb(s.sql);
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds.join(', ') || 'empty';
}

/** `GRANT`, `CREATE USER`, `CREATE PROCEDURE` …: the verb, and the object for CREATE/DROP/ALTER (a DEFINER clause skipped). */
function statementVerb(sql: string): string {
  const words = stripComments(sql).replace(/\bDEFINER\s*=\s*\S+/i, ' ').trim().split(/\s+/);
  const first = (words[0] ?? '').toUpperCase();
  const second = (words[1] ?? '').toUpperCase();
  return /^(CREATE|DROP|ALTER)$/.test(first) && /^[A-Z]+$/.test(second) ? `${first} ${second}` : first;
}

/** Tables touched with their row counts: `shop.orders (-3 rows)`, DDL names as they are. */
export function transactionTables(tx: BinlogTransaction): Array<{ table: string; rows: { insert: number; update: number; delete: number } | null }> {
  const out: Array<{ table: string; rows: { insert: number; update: number; delete: number } | null }> = tx.tables.map((t) => ({ table: t.table, rows: { insert: t.insert, update: t.update, delete: t.delete } }));
  for (const s of tx.statements) for (const n of ddlTarget(s.sql, s.db)?.names ?? []) if (!out.some((o) => o.table === n)) out.push({ table: n, rows: null });
  return out;
}

export interface BeforePattern {
  text: string;
  /** A row kind on a table, a DDL verb on a table, or a text. */
  rows?: { kind: 'insert' | 'update' | 'delete'; table: string };
  ddl?: { verb: string; table: string };
  contains?: string;
}

/** A table name in a pattern: `a`, `s.a`, with backquotes that may hold spaces. */
const NAME = '((?:`[^`]*`|[^\\s`.]+)(?:\\.(?:`[^`]*`|[^\\s`.]+))?)';
const ROW_PATTERN = new RegExp(`^(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+${NAME}$`, 'i');
const DDL_PATTERN = new RegExp(`^(DROP|CREATE|ALTER|TRUNCATE|RENAME)\\s+(TABLE|DATABASE|SCHEMA)\\s+${NAME}$`, 'i');

export function parseBeforePattern(text: string): BeforePattern {
  const norm = text.trim().replace(/\s+/g, ' ');
  if (!norm) throw usageError('INVALID_BEFORE_PATTERN', '--before needs a pattern: nothing was restored.', { hint: 'e.g. --before "DROP TABLE orders" or --before "DELETE FROM orders"' });
  const r = ROW_PATTERN.exec(norm);
  if (r) return { text: norm, rows: { kind: r[1]!.split(' ')[0]!.toLowerCase() as 'insert' | 'update' | 'delete', table: unquoteTable(r[2]!).toLowerCase() } };
  const d = DDL_PATTERN.exec(norm);
  if (d) return { text: norm, ddl: { verb: `${d[1]!.toUpperCase()} ${d[2]!.toUpperCase().replace('SCHEMA', 'DATABASE')}`, table: unquoteTable(d[3]!).toLowerCase() } };
  return { text: norm, contains: plain(norm) };
}

/** A pattern table `orders` names any schema's orders; `shop.orders` only that one. */
function sameTable(actual: string, wanted: string): boolean {
  const a = actual.toLowerCase();
  return wanted.includes('.') ? a === wanted : a === wanted || a.endsWith(`.${wanted}`);
}

function plain(sql: string): string {
  return stripComments(sql).replace(/`/g, '').trim().toLowerCase();
}

export function matchesPattern(tx: BinlogTransaction, p: BeforePattern): boolean {
  if (p.rows) {
    const { kind, table } = p.rows;
    if (tx.tables.some((t) => t[kind] > 0 && sameTable(t.table, table))) return true;
    // Statement-logged DML (binlog_format=MIXED/STATEMENT) has no row events: its text names the table.
    const verb = kind === 'insert' ? 'insert into' : kind === 'delete' ? 'delete from' : 'update';
    return tx.statements.some((s) => {
      const m = new RegExp(`^${verb} (${ID})`, 'i').exec(stripComments(s.sql).trim());
      return m !== null && sameTable(unquoteTable(m[1]!, s.db), table);
    });
  }
  if (p.ddl) {
    const { verb, table } = p.ddl;
    return tx.statements.some((s) => {
      const d = ddlTarget(s.sql, s.db);
      return d !== undefined && d.verb === verb && d.names.some((n) => (verb === 'DROP DATABASE' || verb === 'CREATE DATABASE' || verb === 'ALTER DATABASE' ? n.toLowerCase() === table : sameTable(n, table)));
    });
  }
  return tx.statements.some((s) => plain(s.sql).includes(p.contains!));
}
