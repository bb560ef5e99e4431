/**
 * --queries <file.sql> / stdin: one statement per `;` (quotes, backticks and comments respected).
 *
 * Weights: a line comment `-- weight: N` (or `# weight: N`) among the comments right before a
 * statement says that statement stands for N executions (N a positive number, default 1). With no
 * timings in a .sql file, classes then rank by weight.
 */
import { usageError } from '../../core/errors.js';

export interface WeightedStatement {
  sql: string;
  weight: number;
  /** 1-based line where the statement starts. */
  line: number;
}

const WEIGHT = /^(?:--|#)\s*weight\s*:\s*(\S+)\s*$/i;

interface SplitState {
  out: WeightedStatement[];
  start: number;
  startLine: number;
  weight: number;
  line: number;
}

/** Split SQL text into statements; a `weight:` comment that is not a positive number is an error. */
export function splitStatements(text: string, source = 'queries'): WeightedStatement[] {
  const st: SplitState = { out: [], start: -1, startLine: 1, weight: 1, line: 1 };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\n') st.line++;
    if (c === '#' || (c === '-' && next === '-' && (i + 2 >= text.length || /\s/.test(text[i + 2])))) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      if (st.start < 0) readWeight(text.slice(i, stop).trim(), st, source);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      st.line += countNewlines(text, i, stop);
      if (st.start < 0 && text[i + 2] === '!') markStart(st, i);
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      markStart(st, i);
      const stop = skipQuoted(text, i);
      st.line += countNewlines(text, i, stop);
      i = stop;
    } else if (c === ';') {
      flush(st, text, i);
      i++;
    } else {
      if (!/\s/.test(c)) markStart(st, i);
      i++;
    }
  }
  flush(st, text, text.length);
  return st.out;
}

function markStart(st: SplitState, i: number): void {
  if (st.start < 0) {
    st.start = i;
    st.startLine = st.line;
  }
}

function flush(st: SplitState, text: string, end: number): void {
  if (st.start >= 0) {
    const sql = text.slice(st.start, end).trim();
    if (sql) st.out.push({ sql, weight: st.weight, line: st.startLine });
  }
  st.start = -1;
  st.weight = 1;
}

function readWeight(comment: string, st: SplitState, source: string): void {
  const m = WEIGHT.exec(comment);
  if (!m) return;
  const w = Number(m[1]);
  if (!Number.isFinite(w) || w <= 0) {
    throw usageError('INVALID_QUERY_WEIGHT', `${source} line ${st.line}: weight must be a positive number, got "${m[1]}"`, {
      hint: 'Write the weight as a line comment right before the statement, e.g. "-- weight: 25".',
    });
  }
  st.weight = w;
}

/** Index just past the closing quote; a backslash escapes inside '…' and "…", doubling works in all. */
function skipQuoted(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\' && q !== '`') j += 2;
    else if (c === q && text[j + 1] === q) j += 2;
    else if (c === q) return j + 1;
    else j++;
  }
  return text.length;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) n++;
  return n;
}
