import { quoteIdent } from '../analyze/advisor/ddl.js';
import { parseExplainJson } from '../analyze/plan/parse.js';
import type { QueryPlan } from '../analyze/plan/types.js';
import type { SqlSession } from './analyze-db.js';

export type ExplainResult = { plan: QueryPlan } | { error: { message: string; errno?: number } };

const EXPLAINABLE = /^\s*(\(\s*)?(select|with|update|delete|insert|replace)\b/i;

/** Plain comments before the statement (slow logs keep tags like `/* report:daily *\/`); never `/*!…*\/`, which the server runs. */
const LEADING_COMMENT = /^\s*(?:\/\*(?![!M+])[\s\S]*?\*\/|(?:--\s|#)[^\n]*(?:\n|$))/;

/** Strips leading plain comments and trailing semicolons; EXPLAIN takes exactly one statement. */
export function explainableText(sql: string): string | undefined {
  let text = sql.trim().replace(/[;\s]+$/, '');
  for (let m = LEADING_COMMENT.exec(text); m; m = LEADING_COMMENT.exec(text)) text = text.slice(m[0].length);
  text = text.trim();
  return EXPLAINABLE.test(text) ? text : undefined;
}

/**
 * EXPLAIN FORMAT=JSON of one workload statement in its database. The session has multi-statements off and
 * is read-only, so the statement text can only ever be explained, never run.
 */
export async function explainStatement(s: SqlSession & { currentDb?: string }, db: string | undefined, sql: string): Promise<ExplainResult> {
  const text = explainableText(sql);
  if (!text) return { error: { message: 'not an explainable statement (only SELECT, UPDATE, DELETE, INSERT, REPLACE)' } };
  try {
    if (db && s.currentDb !== db) {
      await s.query(`USE ${quoteIdent(db)}`);
      s.currentDb = db;
    }
    const rows = await explainMaybeWrite(s, text);
    const doc = rows[0] ? Object.values(rows[0])[0] : undefined;
    return { plan: parseExplainJson(String(doc)) };
  } catch (err) {
    const e = err as { message?: string; errno?: number };
    return { error: { message: (e.message ?? String(err)).replace(/\s+/g, ' '), errno: e.errno } };
  }
}

/**
 * The analyzer's session is READ ONLY, and the server refuses even EXPLAIN of a DML statement there.
 * EXPLAIN never executes it, so the session is switched to READ WRITE around that one EXPLAIN only.
 */
async function explainMaybeWrite(s: SqlSession, text: string): Promise<Record<string, unknown>[]> {
  if (!/^\s*(update|delete|insert|replace)\b/i.test(text)) return s.query(`EXPLAIN FORMAT=JSON ${text}`);
  await s.query('SET SESSION TRANSACTION READ WRITE');
  try {
    return await s.query(`EXPLAIN FORMAT=JSON ${text}`);
  } finally {
    await s.query('SET SESSION TRANSACTION READ ONLY');
  }
}
