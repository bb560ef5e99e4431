import { quoteIdent } from '../analyze/advisor/ddl.js';
import { parseExplainJson } from '../analyze/plan/parse.js';
import type { QueryPlan } from '../analyze/plan/types.js';
import type { SqlSession } from './analyze-db.js';

export type ExplainResult = { plan: QueryPlan } | { error: { message: string; errno?: number } };

const EXPLAINABLE = /^\s*(\(\s*)?(select|with|update|delete|insert|replace)\b/i;

/** Plain comments before the statement (slow logs keep tags like `/* report:daily *\/`); never `/*!…*\/`, which the server runs. */
const LEADING_COMMENT = /^\s*(?:\/\*(?![!M+])[\s\S]*?\*\/|(?:--\s|#)[^\n]*(?:\n|$))/;

/**
 * First words of statements that are real SQL but not queries (DDL, SET, SHOW, CALL, administration …):
 * skipped, never sent. Anything else that is not explainable is no SQL statement the server knows.
 */
const NOT_A_QUERY = /^\s*(create|alter|drop|rename|truncate|set|show|call|grant|revoke|flush|kill|use|begin|commit|rollback|start|stop|savepoint|release|lock|unlock|analyze|optimize|repair|check|checksum|load|handler|do|prepare|execute|deallocate|reset|purge|change|install|uninstall|help|describe|desc|explain|xa|signal|resignal|get|backup|binlog|cache|shutdown|restart|values)\b/i;

function stripped(sql: string): string {
  let text = sql.trim().replace(/[;\s]+$/, '');
  for (let m = LEADING_COMMENT.exec(text); m; m = LEADING_COMMENT.exec(text)) text = text.slice(m[0].length);
  return text.trim();
}

/** Strips leading plain comments and trailing semicolons; EXPLAIN takes exactly one statement. */
export function explainableText(sql: string): string | undefined {
  const text = stripped(sql);
  return EXPLAINABLE.test(text) ? text : undefined;
}

/** A real SQL statement that is not a query: nothing to EXPLAIN (a typo like `SELEC …` is not one of them). */
export const isNotAQuery = (sql: string) => !explainableText(sql) && NOT_A_QUERY.test(stripped(sql));

/** Switches the session's default database once (the statements are explained or run in their own). */
export async function useDatabase(s: SqlSession & { currentDb?: string }, db: string | undefined): Promise<void> {
  if (!db || s.currentDb === db) return;
  await s.query(`USE ${quoteIdent(db)}`);
  s.currentDb = db;
}

/**
 * EXPLAIN FORMAT=JSON of one workload statement in its database. The session has multi-statements off and
 * is read-only, so the statement text can only ever be explained, never run. A syntax error comes back as
 * the server's error 1064.
 */
export async function explainStatement(s: SqlSession & { currentDb?: string }, db: string | undefined, sql: string): Promise<ExplainResult> {
  // Neither a query nor a known statement (`SELEC oops`): EXPLAIN FORMAT=JSON of it lets the server's own
  // parser say what is wrong (it accepts only explainable statements after that prefix, so nothing runs).
  const text = explainableText(sql) ?? (isNotAQuery(sql) || !stripped(sql) ? undefined : stripped(sql));
  if (!text) return { error: { message: 'not an explainable statement (only SELECT, UPDATE, DELETE, INSERT, REPLACE)' } };
  try {
    await useDatabase(s, db);
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
  // Only a read-only session needs (and gets) the switch: forcing READ ONLY afterwards on the validation
  // copy's session made every later ADD INDEX there fail ("Cannot execute statement in a READ ONLY transaction").
  if (!s.readOnly || !/^\s*(update|delete|insert|replace)\b/i.test(text)) return s.query(`EXPLAIN FORMAT=JSON ${text}`);
  await s.query('SET SESSION TRANSACTION READ WRITE');
  try {
    return await s.query(`EXPLAIN FORMAT=JSON ${text}`);
  } finally {
    await s.query('SET SESSION TRANSACTION READ ONLY');
  }
}
