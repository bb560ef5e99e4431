import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../../src/analyze/advisor/types.js';
import type { SqlSession } from '../../src/services/analyze-db.js';
import { reduction, validateRecommendations, type ValidationTarget } from '../../src/services/analyze-validate.js';
import { parseExplainJson } from '../../src/analyze/plan/parse.js';

// No MySQL 8 server here: the MySQL 8 what-if path is exercised with plans typed after the MySQL 8
// manual (fixtures/explain/mysql8). The session replays them and records every statement sent.
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/explain/mysql8/${name}`, import.meta.url), 'utf8');

function replaySession(): { session: SqlSession; sent: string[] } {
  const sent: string[] = [];
  let indexBuilt = false;
  const session: SqlSession = {
    flavor: 'mysql8', version: '8.0.40', label: 'mysql://copy',
    async query<T>(sql: string) {
      sent.push(sql);
      if (/ADD INDEX/.test(sql)) indexBuilt = true;
      if (/DROP INDEX/.test(sql)) indexBuilt = false;
      if (sql.startsWith('EXPLAIN')) return [{ EXPLAIN: fixture(indexBuilt ? 'listing-index.json' : 'listing-filesort.json') }] as T[];
      return [] as T[];
    },
    close: async () => undefined,
  };
  return { session, sent };
}

const rec: Recommendation = { db: 'shop', table: 'products', name: 'ix_products_category_id_status_price', columns: ['category_id', 'status', 'price'],
  kind: 'sort', queries: ['Q1'], benefit: 990, writeCost: 0, reason: 'r', ddl: '', supersedes: [] };

describe('validation on MySQL 8: INVISIBLE indexes seen by the advisor session only', () => {
  it('builds INVISIBLE, enables use_invisible_indexes for its own session, re-EXPLAINs, keeps the index, drops it from the copy', async () => {
    const { session, sent } = replaySession();
    const vt: ValidationTarget = { session, mode: 'validate-on', label: 'copy', mapDb: () => 'shop_copy', cleanup: async () => undefined };
    const sql = "SELECT id, sku, name, price FROM products WHERE category_id = 7 AND status = 'active' ORDER BY price LIMIT 20";
    const out = await validateRecommendations(vt, [rec], [{ id: 'Q1', db: 'shop', sample: sql }], 0.5);
    expect(sent).toContain("SET SESSION optimizer_switch = 'use_invisible_indexes=on'");
    expect(sent).toContain('ALTER TABLE `shop_copy`.`products` ADD INDEX `ix_products_category_id_status_price` (`category_id`,`status`,`price`) INVISIBLE;');
    expect(sent.at(-1)).toBe('ALTER TABLE `shop_copy`.`products` DROP INDEX `ix_products_category_id_status_price`;');
    expect(sent.some((s) => /^USE `shop_copy`$/.test(s))).toBe(true);
    expect(out.recommendations[0].validation).toMatchObject({ kept: true, usedBy: ['Q1'] });
    expect(out.perQuery.get('Q1')).toMatchObject({ before: { rowsExamined: 1000, cost: 101.25, keys: [] },
      after: { rowsExamined: 18, cost: 7.25, keys: ['ix_products_category_id_status_price'] } });
    // No ANALYZE FORMAT=JSON on MySQL 8: nothing is run on the copy and the report says it is an estimate.
    expect(out.perQuery.get('Q1')).toMatchObject({ basis: 'estimated', estimateReason: 'MySQL 8 copy: measuring needs MariaDB ANALYZE FORMAT=JSON' });
    expect(sent.filter((s) => /ANALYZE|START TRANSACTION/.test(s))).toEqual([]);
  });

  it('a threshold above the measured cut rejects it and says why', async () => {
    const { session } = replaySession();
    const vt: ValidationTarget = { session, mode: 'validate-on', label: 'copy', mapDb: (d) => d, cleanup: async () => undefined };
    const out = await validateRecommendations(vt, [rec], [{ id: 'Q1', db: 'shop', sample: 'SELECT 1 FROM products' }], 0.99);
    expect(out.recommendations[0].validation).toMatchObject({ kept: false, note: expect.stringMatching(/only 98%.*threshold 99%/) });
  });

  it('reduction uses rows examined, and MySQL cost when rows tie', () => {
    const a = parseExplainJson(fixture('listing-filesort.json'));
    const b = parseExplainJson(fixture('listing-index.json'));
    expect(reduction(a, b)).toBeCloseTo(0.982, 3);
    expect(reduction(a, { ...a, cost: 50.625 })).toBeCloseTo(0.5, 3);
  });
});
