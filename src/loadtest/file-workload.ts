import { usageError } from '../core/errors.js';
import { intBetween } from './data.js';
import type { TxContext, TxType, Workload } from './workloads.js';

/**
 * --workload <file.sql>: one statement per transaction type, separated by `;` at the end of a line.
 * :product_id, :customer_id and :category_id become random ids of the prepared data (bound as
 * parameters, never spliced in). SELECT/SHOW/WITH are reads (replicas with --read-replicas); the rest writes.
 */
const PLACEHOLDER = /:(product_id|customer_id|category_id)\b/g;

export function parseSqlFile(text: string, file: string): Array<{ sql: string; params: string[] }> {
  const body = text.split('\n').filter((l) => !/^\s*(--|#)/.test(l)).join('\n');
  const statements = body.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean);
  if (!statements.length) throw usageError('EMPTY_WORKLOAD', `${file} holds no SQL statement.`, { hint: 'Write one statement per line, each ending with ;' });
  return statements.map((s) => {
    const params: string[] = [];
    const sql = s.replace(PLACEHOLDER, (_m, name: string) => { params.push(name); return '?'; });
    return { sql, params };
  });
}

const isRead = (sql: string) => /^\s*\(?\s*(SELECT|SHOW|WITH|EXPLAIN|DESCRIBE)\b/i.test(sql) && !/\bFOR\s+UPDATE\b/i.test(sql);

function paramValue(name: string, c: TxContext): number {
  if (name === 'product_id') return intBetween(c.r, 1, c.size.products);
  if (name === 'customer_id') return intBetween(c.r, 1, c.size.customers);
  return intBetween(c.r, 1, c.size.categories);
}

export function fileWorkload(text: string, file: string): Workload & { usesPlaceholders: boolean } {
  const parsed = parseSqlFile(text, file);
  const types: TxType[] = parsed.map(({ sql, params }, i) => ({
    name: `q${i + 1}`,
    access: isRead(sql) ? 'read' : 'write',
    async run(c) {
      const conn = isRead(sql) ? c.read : c.primary;
      await conn.drain(sql, params.length ? params.map((p) => paramValue(p, c)) : undefined);
      return 'ok';
    },
  }));
  const mix = types.map((t) => [t, 1] as [TxType, number]);
  return { name: file, types, mixAt: () => mix, usesPlaceholders: parsed.some((p) => p.params.length > 0) };
}
