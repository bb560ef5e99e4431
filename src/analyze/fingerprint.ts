/**
 * pt-query-digest compatible query fingerprints (QueryRewriter::fingerprint, percona-toolkit 3.x).
 *
 * pt-query-digest runs a chain of ~15 Perl regex substitutions per query. We reproduce that chain's
 * exact output with one hand-rolled left-to-right scanner for the hot steps (quoted strings, booleans,
 * numbers, the `[xb.+-]?` clean-up, whitespace, lower-casing) plus cheap guarded regexes for the rare
 * ones (comments, double quotes, IN/VALUES, UNION, LIMIT, ORDER BY ... ASC). The quirks are kept on
 * purpose (e.g. `stock+1` → `stock?`, `/**\/` not stripped, a trailing space after a stripped `--`
 * comment): the class ids must equal pt-query-digest's, or users cannot match our report to theirs.
 *
 * Strings are treated as byte strings: only ASCII is lower-cased and `\w` is ASCII, as in Perl on
 * undecoded bytes. Pass latin1-decoded text (one char per byte) to hash exactly the bytes pt hashes.
 */
import { createHash } from 'node:crypto';

export interface FingerprintOptions {
  /**
   * 'keep' (default): numbers inside identifiers stay (`t1` stays `t1`), as
   * `pt-query-digest --preserve-embedded-numbers`. 'replace': pt-query-digest's default (`t1` → `t?`).
   */
  embeddedNumbers?: 'keep' | 'replace';
}

const MYSQLDUMP = /^SELECT \/\*!40001 SQL_NO_CACHE \*\/ \* FROM `/;
const PT_TOOL = /\/\*\w+\.\w+:[0-9]\/[0-9]\*\//;
const CALL = /^\s*(call\s+\S+)\(/i;
const MULTI_INSERT = /^((?:INSERT|REPLACE)(?: IGNORE)?\s+INTO[\s\S]+?VALUES\s*\([\s\S]*?\))\s*,\s*\(/i;
const MLC = /\/\*[^!][\s\S]*?\*\//g;
const OLC = /(?:--|#)[^'"\r\n]*(?=[\r\n]|$)/g;
const USE_DB = /^use \S+(?=\n?$)/i;
const ESCAPED_QUOTE = /\\["']/g;
const DQ_STRING = /"[\s\S]*?"/g;
const NULL_WORD = /\bnull\b/g;
const IN_VALUES = /\b(in|values?)(?:[\s,]*\([\s?,]*\))+/g;
const UNION = /\b(select\s.*?)(?:(\sunion(?:\sall)?)\s\1)+/g;
const LIMIT = /\blimit \?(?:, ?\?| offset \?)?/;
const ORDER_BY = /\bORDER BY /i;
const ASC = /\s+ASC/gi;

/** pt-query-digest's fingerprint of one statement. */
export function fingerprint(query: string, opts: FingerprintOptions = {}): string {
  const c0 = query.charCodeAt(0) | 0x20;
  if (c0 === 0x73 /* s */ && MYSQLDUMP.test(query)) return 'mysqldump';
  if (query.includes('/*') && PT_TOOL.test(query)) return 'percona-toolkit';
  if (c0 === 0x61 /* a */ && query.startsWith('administrator command: ')) return query;
  if (c0 !== 0x73 && c0 !== 0x69 && c0 !== 0x75 && c0 !== 0x64 && c0 !== 0x72) {
    const call = CALL.exec(query); // skip the regex for statements that plainly start with select/insert/update/delete/replace
    if (call) return asciiLower(call[1]);
  }
  let q = query;
  if (c0 === 0x69 /* i */ || c0 === 0x72 /* r */) {
    const m = MULTI_INSERT.exec(q);
    if (m) q = m[1];
  }
  if (q.includes('/*')) q = q.replace(MLC, '');
  if (q.includes('--') || q.includes('#')) q = q.replace(OLC, '');
  if ((q.charCodeAt(0) | 0x20) === 0x75 /* u */ && USE_DB.test(q)) return q.replace(USE_DB, 'use ?');
  if (q.includes('\\')) q = q.replace(ESCAPED_QUOTE, '');
  if (q.includes('"')) q = q.replace(DQ_STRING, '?');
  return postRewrite(scan(q, opts.embeddedNumbers !== 'replace'));
}

/** pt-query-digest's class id: md5 of the fingerprint, upper case, last 16 hex digits. */
export function fingerprintId(fp: string, encoding: 'latin1' | 'utf8' = 'utf8'): string {
  return createHash('md5').update(fp, encoding).digest('hex').slice(-16).toUpperCase();
}

/** The steps pt runs after lower-casing; each guarded so the common query pays nothing. */
function postRewrite(s: string): string {
  if (s.includes('null')) s = s.replace(NULL_WORD, '?');
  if (s.includes('(')) s = s.replace(IN_VALUES, '$1(?+)');
  if (s.includes('union')) s = s.replace(UNION, '$1 /*repeat$2*/');
  if (s.includes('limit ?')) s = s.replace(LIMIT, 'limit ?');
  return s.includes('order by ') ? stripAsc(s) : s;
}

/**
 * `1 while s/\G(.+?)\s+ASC/$1/gi && pos` anchored after the first ORDER BY: one /g pass removes each
 * `\s+asc` that follows the previous match with at least one character between.
 */
function stripAsc(s: string): string {
  const m = ORDER_BY.exec(s);
  if (!m) return s;
  let from = m.index + m[0].length;
  let out = s.slice(0, from);
  for (;;) {
    ASC.lastIndex = from + 1;
    const a = ASC.exec(s);
    if (!a) break;
    out += s.slice(from, a.index);
    from = a.index + a[0].length;
  }
  return out + s.slice(from);
}

export function asciiLower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

// Character classes as lookup tables (byte strings: codes ≥ 128 are "other").
const WORD = new Uint8Array(65536);
const NUM_CONT = new Uint8Array(65536); // [0-9a-f.xb+-], case-sensitive like Perl
const SPACE = new Uint8Array(65536); // tr[ \n\t\r\f]
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  WORD[c] = /\w/.test(ch) ? 1 : 0;
  NUM_CONT[c] = /[0-9a-f.xb+-]/.test(ch) ? 1 : 0;
  SPACE[c] = ' \n\t\r\f'.includes(ch) ? 1 : 0;
}
const LEADING_SPACE = /^[ \t\n\r\f\v]+/;

/**
 * Output builder over the lower-cased query: verbatim stretches are kept as index ranges and copied
 * in one slice, so a typical statement costs a handful of string operations, not one per token.
 * It also applies pt's `s/[xb.+-]\?/?/g` as each `?` is written.
 */
class Out {
  s = '';
  from = 0;
  to = 0;
  /** The last kept char was one of x b . + - (original case), so a `?` right after it swallows it. */
  removable = false;
  /** Where the last true/false ended: pt has already turned it into a non-word `?` there. */
  boolEnd = -1;
  constructor(private readonly lower: string) {}
  keep(i: number, j: number, lastRemovable: boolean): void {
    if (this.to !== i) {
      this.flush();
      this.from = i;
    }
    this.to = j;
    this.removable = lastRemovable;
  }
  add(t: string): void {
    this.flush();
    this.s += t;
    this.removable = false;
  }
  q(): void {
    if (this.removable) this.to--; // the removable char is always the last kept one
    this.add('?');
  }
  done(): string {
    this.flush();
    return this.s;
  }
  private flush(): void {
    if (this.to > this.from) this.s += this.lower.slice(this.from, this.to);
    this.from = this.to = 0;
  }
}

const isRemovable = (c: number) => c === 0x78 || c === 0x62 || c === 0x2e || c === 0x2b || c === 0x2d;
const ASCII = /^[\x00-\x7f]*$/;

/** Steps 7–12 of pt's chain (single-quoted strings … lc) in one pass over `q`. */
function scan(q: string, keepEmbedded: boolean): string {
  const lead = LEADING_SPACE.exec(q);
  let i = lead ? lead[0].length : 0;
  const n = q.length;
  const out = new Out(ASCII.test(q) ? q.toLowerCase() : asciiLower(q));
  while (i < n) {
    const c = q.charCodeAt(i);
    if (c === 0x27 /* ' */) {
      const j = q.indexOf("'", i + 1);
      if (j < 0) out.keep(i, i + 1, false), i++;
      else out.q(), (i = j + 1);
    } else if (SPACE[c]) {
      i = scanSpace(q, i, out);
    } else if (c === 0x3f /* ? */) {
      out.q(), i++;
    } else if (c >= 0x30 && c <= 0x39 && (!keepEmbedded || i === 0 || !WORD[q.charCodeAt(i - 1)])) {
      i = scanNumber(q, i + 1, out);
    } else if (c === 0x2b || c === 0x2d) {
      // \b before + or - only holds after a word char (they are non-word themselves).
      if (!keepEmbedded || (i > 0 && WORD[q.charCodeAt(i - 1)] && out.boolEnd !== i)) i = scanNumber(q, i + 1, out);
      else out.keep(i, i + 1, true), i++;
    } else if (WORD[c]) {
      i = scanWord(q, i, keepEmbedded, out);
    } else {
      out.keep(i, i + 1, c === 0x2e), i++;
    }
  }
  return out.done();
}

function scanNumber(q: string, j: number, out: Out): number {
  while (j < q.length && NUM_CONT[q.charCodeAt(j)]) j++;
  out.q();
  return j;
}

/** A whitespace run → one space; at the very end, chomp one "\n" first. */
function scanSpace(q: string, i: number, out: Out): number {
  let j = i + 1;
  while (j < q.length && SPACE[q.charCodeAt(j)]) j++;
  if (j === q.length && q.charCodeAt(j - 1) === 0x0a && j - 1 === i) return j;
  if (j === i + 1 && q.charCodeAt(i) === 0x20) out.keep(i, j, false);
  else out.add(' ');
  return j;
}

/** A word run: true/false → ?, else kept (lower-cased); with 'replace', digits inside start numbers. */
function scanWord(q: string, i: number, keepEmbedded: boolean, out: Out): number {
  let end = i + 1;
  while (end < q.length && WORD[q.charCodeAt(end)]) end++;
  const len = end - i;
  if ((len === 4 || len === 5) && (i === 0 || !WORD[q.charCodeAt(i - 1)]) && isBool(q, i, len)) {
    out.q();
    out.boolEnd = end;
    return end;
  }
  let stop = end;
  if (!keepEmbedded) {
    for (stop = i; stop < end; stop++) {
      const d = q.charCodeAt(stop);
      if (d >= 0x30 && d <= 0x39) break;
    }
  }
  out.keep(i, stop, isRemovable(q.charCodeAt(stop - 1)));
  return stop;
}

function isBool(q: string, i: number, len: number): boolean {
  const w = q.slice(i, i + len).toLowerCase(); // word chars are ASCII
  return len === 4 ? w === 'true' : w === 'false';
}
