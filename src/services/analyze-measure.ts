import { joinBufferComparisons, parseExplainJson } from '../analyze/plan/parse.js';
import type { MeasuredRun } from '../analyze/report/types.js';
import type { SqlSession } from './analyze-db.js';
import { explainableText, useDatabase } from './analyze-explain.js';

/** Default per-statement time limit for a measurement on the copy (a slow query must not hang the run). */
export const MEASURE_TIMEOUT_MS = 5_000;

export type MeasureResult = { run: MeasuredRun } | { notMeasured: string };

/** The server's counters of rows handed over by the storage engine, one per access method. */
const HANDLER_READS = ['Handler_read_first', 'Handler_read_key', 'Handler_read_last', 'Handler_read_next', 'Handler_read_prev',
  'Handler_read_rnd', 'Handler_read_rnd_next'];
const STATUS_SQL = `SHOW SESSION STATUS WHERE Variable_name IN (${HANDLER_READS.map((v) => `'${v}'`).join(', ')})`;

/** MariaDB ER_STATEMENT_TIMEOUT (max_statement_time exceeded). */
const STATEMENT_TIMEOUT = 1969;

/**
 * Why a statement is not run on the copy, or undefined when it may be. Only a plain read is run: a write
 * (UPDATE/DELETE/INSERT/REPLACE, and a SELECT … INTO that writes a file or a variable) is judged by EXPLAIN
 * only, and MySQL 8 has no ANALYZE FORMAT=JSON (its EXPLAIN ANALYZE is not implemented here).
 */
export function notMeasurable(sql: string, flavor: SqlSession['flavor']): string | undefined {
  const text = explainableText(sql);
  if (!text || !/^\s*(\(\s*)?(select|with)\b/i.test(text)) return 'a write: never run on the copy';
  // SELECT … INTO OUTFILE/DUMPFILE would write a file on the copy's host. (A data-changing statement that
  // starts with WITH is refused by the READ ONLY session the measurements run in.)
  if (/\binto\s+(outfile|dumpfile|@)/i.test(text)) return 'SELECT … INTO: never run on the copy';
  if (flavor !== 'mariadb') return 'MySQL 8 copy: measuring needs MariaDB ANALYZE FORMAT=JSON';
  return undefined;
}

async function handlerReads(s: SqlSession): Promise<number> {
  const rows = await s.query<{ Variable_name: string; Value: string }>(STATUS_SQL);
  return rows.reduce((sum, r) => sum + Number(r.Value), 0);
}

export interface MeasureItem {
  db: string | undefined;
  sql: string;
}

/**
 * Runs each read on the copy under ANALYZE FORMAT=JSON (executed, no rows sent back), with MariaDB's
 * per-statement time limit, in a session switched to READ ONLY for the whole batch (a read that writes
 * through a stored function is refused), and returns what the server itself counted: the Handler_read_*
 * delta (every row and index entry the engine handed over — SHOW SESSION STATUS does not count itself on
 * MariaDB, so one snapshot ends a run and starts the next), the row combinations its join buffers compared
 * (which those counters miss), and whether the executed plan sorted or used a temporary table. A run
 * stopped by the time limit comes back marked timedOut (its partial counts are shown, never used to decide).
 */
export async function measureReads(s: SqlSession & { currentDb?: string }, items: MeasureItem[], timeoutMs = MEASURE_TIMEOUT_MS): Promise<MeasureResult[]> {
  const reasons = items.map((i) => notMeasurable(i.sql, s.flavor));
  if (reasons.every(Boolean)) return reasons.map((why) => ({ notMeasured: why! }));
  const toggle = !s.readOnly; // the copy's session builds indexes between batches: READ ONLY only around the runs
  if (toggle) await s.query('SET SESSION TRANSACTION READ ONLY');
  const out: MeasureResult[] = [];
  try {
    let mark: number | undefined;
    for (const [i, item] of items.entries()) {
      if (reasons[i]) { out.push({ notMeasured: reasons[i]! }); continue; }
      try {
        if (item.db && s.currentDb !== item.db) { await useDatabase(s, item.db); mark = undefined; }
        mark ??= await handlerReads(s);
        const r = await runOnce(s, explainableText(item.sql)!, timeoutMs, mark);
        mark = r.mark;
        out.push({ run: r.run });
      } catch (err) {
        mark = undefined; // a statement that failed half-way may have read rows: start afresh
        out.push({ notMeasured: `could not be run on the copy: ${((err as Error).message ?? String(err)).replace(/\s+/g, ' ')}` });
      }
    }
  } finally {
    if (toggle) await s.query('SET SESSION TRANSACTION READ WRITE').catch(() => undefined);
  }
  return out;
}

/** One ANALYZE run from the handler snapshot `mark`; returns the run and the snapshot that ends it. */
async function runOnce(s: SqlSession, text: string, timeoutMs: number, mark: number): Promise<{ run: MeasuredRun; mark: number }> {
  const t0 = performance.now();
  try {
    const rows = await s.query(`SET STATEMENT max_statement_time=${Math.max(0.001, timeoutMs / 1000)} FOR ANALYZE FORMAT=JSON ${text}`);
    const ms = Math.round(performance.now() - t0);
    const end = await handlerReads(s);
    const doc = JSON.parse(String(rows[0] ? Object.values(rows[0])[0] : '')) as object;
    const plan = parseExplainJson(doc);
    const keys = [...new Set(plan.tables.map((t) => t.key).filter((k): k is string => Boolean(k)))];
    return { mark: end, run: { rowsRead: end - mark, joinBufferRows: joinBufferComparisons(doc), filesort: plan.filesort, temporaryTable: plan.temporaryTable, keys, ms } };
  } catch (err) {
    if ((err as { errno?: number }).errno !== STATEMENT_TIMEOUT) throw err;
    const ms = Math.round(performance.now() - t0);
    const end = await handlerReads(s);
    return { mark: end, run: { rowsRead: end - mark, joinBufferRows: 0, filesort: false, temporaryTable: false, keys: [], ms, timedOut: true } };
  }
}

/** One read (see measureReads). */
export async function measureRead(s: SqlSession & { currentDb?: string }, db: string | undefined, sql: string, timeoutMs = MEASURE_TIMEOUT_MS): Promise<MeasureResult> {
  return (await measureReads(s, [{ db, sql }], timeoutMs))[0];
}
