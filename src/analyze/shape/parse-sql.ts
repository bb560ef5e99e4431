import type { ColumnResolver, SqlShape } from './types.js';
import { shapeFromAst } from './extract.js';
import type { Node } from './predicates.js';

type ParserLike = { astify(sql: string, opts: { database: string }): unknown };
let parser: ParserLike | undefined;

/** node-sql-parser is heavy (~1 MB): loaded on first use only. */
async function getParser(): Promise<ParserLike> {
  if (!parser) {
    const mod = (await import('node-sql-parser')) as unknown as { default?: { Parser: new () => ParserLike }; Parser?: new () => ParserLike };
    const Parser = mod.Parser ?? mod.default!.Parser;
    parser = new Parser();
  }
  return parser;
}

export type ShapeResult = { ok: true; shape: SqlShape } | { ok: false; error: string };

/** Parses one statement (MariaDB dialect, MySQL as fallback) into its per-table shape. */
export async function shapeOf(sql: string, resolve?: ColumnResolver): Promise<ShapeResult> {
  const p = await getParser();
  let lastError = '';
  for (const database of ['mariadb', 'mysql']) {
    try {
      const ast = p.astify(sql, { database });
      const first = (Array.isArray(ast) ? ast[0] : ast) as Node;
      return { ok: true, shape: shapeFromAst(first, resolve) };
    } catch (err) {
      lastError = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
  }
  return { ok: false, error: lastError };
}
