/**
 * MariaDB's events_statements_summary_by_digest has no sample statement, only DIGEST_TEXT with `?`
 * for every literal. To EXPLAIN such a class we rebuild a runnable statement: each `?` gets a real
 * value read from the column it is compared to (`SELECT col FROM db.tbl WHERE col IS NOT NULL LIMIT 1`,
 * identifiers quoted, values escaped — the digest text itself is never executed or spliced raw).
 * This module is the pure part: find what each placeholder refers to, and write the literal.
 */

/** Where a placeholder's value can be read from; `null` column → no idea, a neutral default is used. */
export interface PlaceholderRef {
  table?: { db?: string; name: string };
  column?: string;
  /** After LIMIT/OFFSET: a small count is the only sensible value. */
  isCount: boolean;
}

const TOKEN = /`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|\?|\.\.\.|[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d+)?|<=>|[<>!]=|<>|\S/g;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

const unquote = (t: string) => (t.startsWith('`') ? t.slice(1, -1).replace(/``/g, '`') : t);
const isIdent = (t: string | undefined) => !!t && (t.startsWith('`') || /^[A-Za-z_]/.test(t));
const COMPARE = new Set(['=', '<', '>', '<=', '>=', '!=', '<>', '<=>', 'LIKE', 'IN', '(', ',', 'BETWEEN', 'AND']);
const TABLE_INTRO = new Set(['FROM', 'JOIN', 'UPDATE', 'INTO']);
const NOT_ALIAS = new Set(['WHERE', 'SET', 'ON', 'USING', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'CROSS', 'STRAIGHT_JOIN', 'GROUP', 'ORDER', 'LIMIT', 'VALUES', 'VALUE', 'SELECT', 'FORCE', 'USE', 'IGNORE', 'HAVING', 'UNION', 'NATURAL', 'OUTER', 'PARTITION', 'FOR', 'LOCK', 'WINDOW']);

export interface TableRef { db?: string; name: string; alias?: string }

/** Tables named after FROM / JOIN / UPDATE / INTO, with aliases. */
export function tablesOf(tokens: string[], defaultDb?: string): TableRef[] {
  const out: TableRef[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const up = tokens[i].toUpperCase();
    const inFromList = up === ',' && out.length > 0 && isIdent(tokens[i + 1]) && lastIntroIsFrom(tokens, i);
    if (!TABLE_INTRO.has(up) && !inFromList) continue;
    let j = i + 1;
    if (!isIdent(tokens[j]) || tokens[j + 1] === '(') continue;
    let db = defaultDb;
    let name = unquote(tokens[j]);
    if (tokens[j + 1] === '.' && isIdent(tokens[j + 2])) {
      db = name;
      name = unquote(tokens[j + 2]);
      j += 2;
    }
    let alias: string | undefined;
    if (tokens[j + 1]?.toUpperCase() === 'AS') j++;
    if (isIdent(tokens[j + 1]) && !NOT_ALIAS.has(tokens[j + 1].toUpperCase())) alias = unquote(tokens[j + 1]);
    out.push({ db, name, alias });
  }
  return out;
}

function lastIntroIsFrom(tokens: string[], i: number): boolean {
  for (let k = i - 1; k >= 0; k--) {
    const up = tokens[k].toUpperCase();
    if (up === 'FROM') return true;
    if (up === 'WHERE' || up === 'SELECT' || up === 'SET' || up === '(' || up === ')') return false;
  }
  return false;
}

/** For each `?` (or `...` list) in order: the column it is compared with / inserted into. */
export function placeholderRefs(tokens: string[], tables: TableRef[]): PlaceholderRef[] {
  const refs: PlaceholderRef[] = [];
  const insertCols = insertColumns(tokens);
  let valueIdx = 0;
  let inValues = false;
  for (let i = 0; i < tokens.length; i++) {
    const up = tokens[i].toUpperCase();
    if (up === 'VALUES' || up === 'VALUE') inValues = true;
    if (tokens[i] !== '?' && tokens[i] !== '...') continue;
    const prev = tokens[i - 1]?.toUpperCase();
    if (prev === 'LIMIT' || prev === 'OFFSET' || (prev === ',' && tokens[i - 3]?.toUpperCase() === 'LIMIT')) {
      refs.push({ isCount: true });
    } else if (inValues && insertCols.length > 0) {
      const column = insertCols[valueIdx++ % insertCols.length];
      refs.push({ table: tables[0], column, isCount: false });
    } else {
      refs.push({ ...columnBefore(tokens, i, tables), isCount: false });
    }
  }
  return refs;
}

function insertColumns(tokens: string[]): string[] {
  if (!/^(INSERT|REPLACE)$/i.test(tokens[0] ?? '')) return [];
  const open = tokens.indexOf('(');
  const values = tokens.findIndex((t) => /^VALUES?$/i.test(t));
  if (open < 0 || values < 0 || open > values) return [];
  return tokens.slice(open + 1, values).filter(isIdent).map(unquote);
}

/** Walk back over `IN (`, `,`, `BETWEEN … AND` etc. to `[alias.]col <op>`. */
function columnBefore(tokens: string[], i: number, tables: TableRef[]): Omit<PlaceholderRef, 'isCount'> {
  let k = i - 1;
  while (k > 0 && (COMPARE.has(tokens[k].toUpperCase()) || tokens[k] === '?' || tokens[k] === '...' || tokens[k] === 'NOT')) k--;
  if (!isIdent(tokens[k]) || COMPARE.has(tokens[k].toUpperCase())) return {};
  const column = unquote(tokens[k]);
  if (tokens[k - 1] === '.' && isIdent(tokens[k - 2])) {
    const q = unquote(tokens[k - 2]);
    return { table: tables.find((t) => t.alias === q || t.name === q), column };
  }
  return { table: tables.length === 1 ? tables[0] : undefined, column };
}

/** A SQL literal for a sampled value (mysql2 returns numbers, strings, Dates, Buffers or null). */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return quoteString(v.toISOString().slice(0, 19).replace('T', ' '));
  if (Buffer.isBuffer(v)) return `X'${v.toString('hex')}'`;
  return quoteString(String(v));
}

export function quoteString(s: string): string {
  return `'${s.replace(/[\0\n\r\x1a'"\\]/g, (c) => ({ '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z' } as Record<string, string>)[c] ?? `\\${c}`)}'`;
}

export const quoteIdent = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/** Replace the n-th placeholder token with literals[n]; `...` (a collapsed list) gets one value. */
export function fillPlaceholders(tokens: string[], literals: string[]): string {
  let n = 0;
  const parts = tokens.map((t) => (t === '?' || t === '...' ? literals[n++] ?? 'NULL' : t));
  return joinTokens(parts);
}

function joinTokens(parts: string[]): string {
  let s = '';
  for (const p of parts) {
    const tight = p === '.' || p === ',' || p === ')' || s.endsWith('.') || s.endsWith('(');
    s += s === '' || tight ? p : ` ${p}`;
  }
  return s.replace(/ \(/g, (m, off: number) => (/\w$/.test(s.slice(0, off)) && !/\b(IN|VALUES|AND|OR|ON|WHERE|AS)$/i.test(s.slice(0, off)) ? '(' : m));
}
