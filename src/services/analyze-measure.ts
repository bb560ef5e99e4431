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
  // starts with WITH is refused by the READ ONLY transaction the measurement runs in.)
  if (/\binto\s+(outfile|dumpfile|@)/i.test(text)) return 'SELECT … INTO: never run on the copy';
  if (flavor !== 'mariadb') return 'MySQL 8 copy: measuring needs MariaDB ANALYZE FORMAT=JSON';
  return undefined;
}

async function handlerReads(s: SqlSession): Promise<number> {
  const rows = await s.query<{ Variable_name: string; Value: string }>(STATUS_SQL);
  return rows.reduce((sum, r) => sum + Number(r.Value), 0);
}

/**
 * Runs one read on the copy under ANALYZE FORMAT=JSON (executed, no rows sent back) inside a READ ONLY
 * transaction, with MariaDB's per-statement time limit, and returns what the server itself counted: the
 * Handler_read_* delta (every row and index entry the engine handed over — SHOW SESSION STATUS does not
 * count itself on MariaDB), the row combinations its join buffers compared (which those counters miss),
 * and whether the executed plan sorted or used a temporary table. A run stopped by the time limit comes
 * back marked timedOut (its partial counts are shown, never used to decide).
 */
export async function measureRead(s: SqlSession & { currentDb?: string }, db: string | undefined, sql: string, timeoutMs = MEASURE_TIMEOUT_MS): Promise<MeasureResult> {
  const why = notMeasurable(sql, s.flavor);
  if (why) return { notMeasured: why };
  const text = explainableText(sql)!;
  const seconds = Math.max(0.001, timeoutMs / 1000);
  let began = false;
  try {
    await useDatabase(s, db);
    await s.query('START TRANSACTION READ ONLY');
    began = true;
    const start = await handlerReads(s);
    const t0 = performance.now();
    try {
      const rows = await s.query(`SET STATEMENT max_statement_time=${seconds} FOR ANALYZE FORMAT=JSON ${text}`);
      const ms = performance.now() - t0;
      const doc = JSON.parse(String(rows[0] ? Object.values(rows[0])[0] : '')) as object;
      const plan = parseExplainJson(doc);
      const keys = [...new Set(plan.tables.map((t) => t.key).filter((k): k is string => Boolean(k)))];
      return { run: { rowsRead: (await handlerReads(s)) - start, joinBufferRows: joinBufferComparisons(doc), filesort: plan.filesort,
        temporaryTable: plan.temporaryTable, keys, ms: Math.round(ms) } };
    } catch (err) {
      if ((err as { errno?: number }).errno !== STATEMENT_TIMEOUT) throw err;
      return { run: { rowsRead: (await handlerReads(s)) - start, joinBufferRows: 0, filesort: false, temporaryTable: false, keys: [], ms: Math.round(performance.now() - t0), timedOut: true } };
    }
  } catch (err) {
    return { notMeasured: `could not be run on the copy: ${((err as Error).message ?? String(err)).replace(/\s+/g, ' ')}` };
  } finally {
    if (began) await s.query('ROLLBACK').catch(() => undefined);
  }
}
