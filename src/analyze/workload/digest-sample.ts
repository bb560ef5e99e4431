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

/** Tokens of a digest text; comments dropped (MariaDB marks elided VALUES rows with a comment). */
export function tokenize(text: string): string[] {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').match(TOKEN) ?? [];
}

/**
 * Expand `...` inside INSERT … VALUES tuples to as many `?` as the columns it stands for:
 * `(...)` → one per column, `( ?, ... , NOW ( ) )` → columns minus the other items.
 */
export function expandValueLists(tokens: string[]): string[] {
  const cols = insertColumns(tokens).length;
  const v = tokens.findIndex((t) => /^VALUES?$/i.test(t));
  if (v < 0 || cols === 0 || tokens[v + 1] !== '(') return tokens;
  const close = matchingParen(tokens, v + 1);
  const items = topLevelItems(tokens, v + 2, close);
  const out = tokens.slice(0, v + 2);
  items.forEach((item, n) => {
    if (n > 0) out.push(',');
    if (item.length === 1 && item[0] === '...') {
      const k = Math.max(1, cols - (items.length - 1));
      for (let j = 0; j < k; j++) out.push(...(j > 0 ? [',', '?'] : ['?']));
    } else out.push(...item);
  });
  return [...out, ...tokens.slice(close)];
}

function matchingParen(tokens: string[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i] === '(') depth++;
    else if (tokens[i] === ')' && --depth === 0) return i;
  }
  return tokens.length;
}

function topLevelItems(tokens: string[], from: number, to: number): string[][] {
  const items: string[][] = [[]];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t === '(') depth++;
    if (t === ')') depth--;
    if (t === ',' && depth === 0) items.push([]);
    else items[items.length - 1].push(t);
  }
  return items;
}

const unquote = (t: string) => (t.startsWith('`') ? t.slice(1, -1).replace(/``/g, '`') : t);
const isIdent = (t: string | undefined) => !!t && (t.startsWith('`') || /^[A-Za-z_]/.test(t));
const OPERATORS = new Set(['=', '<', '>', '<=', '>=', '!=', '<>', '<=>', 'LIKE', 'IN', 'BETWEEN', 'AND']);
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
    if (!isIdent(tokens[j]) || (tokens[j + 1] === '(' && up !== 'INTO')) continue;
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
  const v = tokens.findIndex((t) => /^VALUES?$/i.test(t));
  const tupleEnd = v >= 0 && tokens[v + 1] === '(' ? matchingParen(tokens, v + 1) : -1;
  let item = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (i > v + 1 && i < tupleEnd && tokens[i] === ',' && depthIn(tokens, v + 1, i) === 1) item++;
    if (tokens[i] !== '?' && tokens[i] !== '...') continue;
    const prev = tokens[i - 1]?.toUpperCase();
    if (prev === 'LIMIT' || prev === 'OFFSET' || (prev === ',' && tokens[i - 3]?.toUpperCase() === 'LIMIT')) {
      refs.push({ isCount: true });
    } else if (i > v + 1 && i < tupleEnd) {
      // Only a bare item (`, ? ,`) is the column's value; `NOW ( ) - INTERVAL ? DAY` is not.
      const bare = (tokens[i - 1] === ',' || tokens[i - 1] === '(') && (tokens[i + 1] === ',' || tokens[i + 1] === ')');
      refs.push(bare && insertCols[item] ? { table: tables[0], column: insertCols[item], isCount: false } : { isCount: false });
    } else {
      refs.push({ ...columnBefore(tokens, i, tables), isCount: false });
    }
  }
  return refs;
}

function depthIn(tokens: string[], from: number, to: number): number {
  let d = 0;
  for (let i = from; i < to; i++) d += tokens[i] === '(' ? 1 : tokens[i] === ')' ? -1 : 0;
  return d;
}

function insertColumns(tokens: string[]): string[] {
  if (!/^(INSERT|REPLACE)$/i.test(tokens[0] ?? '')) return [];
  const open = tokens.indexOf('(');
  const values = tokens.findIndex((t) => /^VALUES?$/i.test(t));
  if (open < 0 || values < 0 || open > values) return [];
  return tokens.slice(open + 1, values).filter(isIdent).map(unquote);
}

/** Walk back over `IN (`, `,`, `BETWEEN … AND` etc. to `[alias.]col <op>`; no operator → no column. */
function columnBefore(tokens: string[], i: number, tables: TableRef[]): Omit<PlaceholderRef, 'isCount'> {
  let k = i - 1;
  let sawOperator = false;
  for (; k > 0; k--) {
    const up = tokens[k].toUpperCase();
    if (OPERATORS.has(up)) sawOperator = true;
    else if (!(up === '(' || up === ',' || up === '?' || up === '...' || up === 'NOT')) break;
  }
  if (!sawOperator || !isIdent(tokens[k])) return {};
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
  if (v instanceof Date) return quoteString(localDateTime(v));
  if (Buffer.isBuffer(v)) return `X'${v.toString('hex')}'`;
  return quoteString(String(v));
}

/** mysql2 turns DATETIME into a Date in local time (its default), so local fields give back the stored value. */
function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
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
