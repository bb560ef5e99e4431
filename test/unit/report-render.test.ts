import { describe, expect, it } from 'vitest';
import { planLine, renderReport } from '../../src/analyze/report/render.js';
import type { AnalysisReport } from '../../src/analyze/report/types.js';

const report = (over: Partial<AnalysisReport> = {}): AnalysisReport => ({
  server: { label: 'mysql://admin@127.0.0.1:3307/shop', version: '10.11.19-MariaDB', flavor: 'mariadb' },
  workload: { source: 'slow-log:slow.log', events: 120, malformed: 1, classes: 3, analyzed: 3 },
  queries: [
    { id: 'AAA', fingerprint: 'select * from orders where customer_id = ?', sample: 'SELECT * FROM orders WHERE customer_id = 42', db: 'shop', count: 100,
      totalTime: 12.5, rowsExamined: 20000, rowsSent: 10, impact: 2e6, recommendations: ['ix_orders_customer_id'],
      plan: { tables: [{ table: 'orders', access: 'ALL', rows: 20000, loops: 1 }], filesort: false, temporaryTable: false, rowsExamined: 20000 },
      problems: [{ kind: 'full-table-scan', table: 'orders', detail: 'reads all ~20000 rows of orders' }],
      validation: { before: { rowsExamined: 20000, keys: [] }, after: { rowsExamined: 10, keys: ['ix_orders_customer_id'] }, basis: 'estimated', reduction: 0.9995,
        estimatedReduction: 0.9995, estimateReason: 'a write: never run on the copy' } },
    { id: 'BBB', fingerprint: 'select * from nope', sample: 'SELECT * FROM nope', count: 2, totalTime: 0.1, rowsExamined: 0, rowsSent: 0, impact: 0,
      recommendations: [], problems: [], explainError: { message: "Table 'shop.nope' doesn't exist", errno: 1146 } },
    { id: 'CCC', fingerprint: 'select 1', sample: 'SELECT 1', count: 5, totalTime: 0, rowsExamined: 0, rowsSent: 1, impact: 0, recommendations: [], problems: [] },
  ],
  recommendations: [{ db: 'shop', table: 'orders', name: 'ix_orders_customer_id', columns: ['customer_id'], kind: 'equality', queries: ['AAA'],
    benefit: 1999000, writeCost: 40, reason: 'equality on customer_id', supersedes: ['customer_id_fk'],
    ddl: 'ALTER TABLE `shop`.`orders` ADD INDEX `ix_orders_customer_id` (`customer_id`), ALGORITHM=INPLACE, LOCK=NONE;',
    validation: { kept: true, bestReduction: 0.9995, usedBy: ['AAA'], note: 'cuts rows examined by 100% for 1 query' } }],
  rejected: [],
  redundant: [{ db: 'shop', table: 'orders', index: 'ix_old', columns: ['status'], kind: 'left-prefix', coveredBy: 'ix_status_created', detail: '(status) is a leftmost prefix of ix_status_created',
    hideDdl: 'ALTER TABLE `shop`.`orders` ALTER INDEX `ix_old` IGNORED;', dropDdl: 'ALTER TABLE `shop`.`orders` DROP INDEX `ix_old`;' }],
  unused: [],
  usage: { source: 'none (userstat is OFF)', uptimeSeconds: 100 },
  validation: { mode: 'temporary-instance', target: 'temporary copy', threshold: 0.5 },
  ddl: ['ALTER TABLE `shop`.`orders` ADD INDEX `ix_orders_customer_id` (`customer_id`), ALGORITHM=INPLACE, LOCK=NONE;'],
  ...over,
});

describe('renderReport: what a DBA reads in the terminal', () => {
  const text = renderReport(report());

  it('ranks problem queries and leaves out the ones without problems', () => {
    expect(text).toMatch(/Problem queries \(2 of 3/);
    expect(text.indexOf('AAA')).toBeLessThan(text.indexOf('BBB'));
    expect(text).not.toMatch(/\bCCC\b/);
  });

  it('shows plan, problem, fix and before/after for a query', () => {
    expect(text).toMatch(/plan: orders ALL ~20k — ~20k rows examined/);
    expect(text).toMatch(/full table scan: reads all ~20000 rows of orders/);
    expect(text).toMatch(/fix: ix_orders_customer_id/);
    expect(text).toMatch(/before\/after \(EXPLAIN estimate\): ~20k → ~10 rows examined \(−100%\), keys none → ix_orders_customer_id/);
    expect(text).toMatch(/not measured: a write: never run on the copy \(judged by the EXPLAIN estimate\)/);
  });

  it("shows the server's error for a query that could not be explained", () => {
    expect(text).toMatch(/EXPLAIN failed: Table 'shop.nope' doesn't exist \(errno 1146\)/);
  });

  it('recommendation with reason, expected effect, validation and DDL; redundant index with its hide step', () => {
    expect(text).toMatch(/ix_orders_customer_id on shop.orders \(customer_id\)/);
    expect(text).toMatch(/expected \(estimate\): ~2.0M fewer rows read per workload run, write cost ~40/);
    expect(text).toMatch(/validated: cuts rows examined by 100% for 1 query/);
    expect(text).toMatch(/extends customer_id_fk: redundant once this exists/);
    expect(text).toMatch(/ALTER INDEX `ix_old` IGNORED;/);
    expect(text).toMatch(/Nothing was changed/);
  });

  it('a long workload shows the worst queries and says how many more --json has', () => {
    const short = renderReport(report(), undefined, 1);
    expect(short).toMatch(/AAA/);
    expect(short).not.toMatch(/BBB/);
    expect(short).toMatch(/… 1 more problem queries \(--json lists them all\)/);
  });

  it('a measured before/after says so, with the EXPLAIN estimate under it; the validation line counts both and the timeouts', () => {
    const base = report();
    const run = (rowsRead: number, filesort: boolean, keys: string[]) => ({ rowsRead, joinBufferRows: 0, filesort, temporaryTable: false, keys, ms: 1 });
    const measured = renderReport({ ...base,
      queries: [{ ...base.queries[0], validation: { before: { rowsExamined: 80, keys: ['category_id'] }, after: { rowsExamined: 73, keys: ['ix_listing'] },
        basis: 'measured', reduction: 1 - 24 / 81, estimatedReduction: 0.0875, measured: { before: run(81, true, ['category_id']), after: run(24, false, ['ix_listing']) } } }],
      validation: { ...base.validation, measured: 1, estimated: 2, timedOut: 1, statementTimeoutMs: 5000 } });
    expect(measured).toMatch(/before\/after \(measured on the copy\): 81 → 24 rows read \(−70%\), filesort → no sort, keys category_id → ix_listing/);
    expect(measured).toMatch(/EXPLAIN estimated ~80 → ~73 rows examined \(−9%\)/);
    expect(measured).toMatch(/keep when rows read drop ≥ 50% or a sort goes away · 1 query measured on the copy, 2 estimated by EXPLAIN \(writes are never run\) · 1 measurement timed out \(5 s per statement\)/);
  });

  it('a statement the server could not parse is a syntax error, not a failed EXPLAIN', () => {
    const typo = renderReport(report({ queries: [{ ...report().queries[1], sample: 'SELEC oops', explainError: { message: "You have an error in your SQL syntax … near 'SELEC oops'", errno: 1064 } }] }));
    expect(typo).toMatch(/SELEC oops\n\s+syntax error \(parse failure\): You have an error in your SQL syntax … near 'SELEC oops' \(errno 1064\)/);
  });

  it('after --apply it lists what ran instead', () => {
    const applied = renderReport(report({ applied: [{ ddl: 'ALTER …', ok: true }, { ddl: 'ALTER x', ok: false, error: 'Duplicate key name' }] }));
    expect(applied).toMatch(/ok  ALTER …/);
    expect(applied).toMatch(/ERR ALTER x — Duplicate key name/);
    expect(applied).not.toMatch(/Nothing was changed/);
  });

  it('plan line of a join with a join buffer and a MySQL cost', () => {
    expect(planLine({ tables: [{ table: 'o', access: 'range', key: 'PRIMARY', rows: 99, loops: 1 }, { table: 'c', access: 'ALL', rows: 3000, loops: 99, joinBuffer: 'hash join' }],
      filesort: true, temporaryTable: false, rowsExamined: 297099, cost: 29712.18 }))
      .toBe('o range PRIMARY ~99 → c ALL ~3000 ×99 (hash join); filesort — ~297k rows examined, cost 29712.18');
  });
});

describe('ddlFileText: what --ddl-out writes', () => {
  it('runnable ADD INDEX statements; unnecessary indexes only as commented-out hide steps', async () => {
    const { ddlFileText } = await import('../../src/services/analyze-run.js');
    const text = ddlFileText(report());
    const runnable = text.split('\n').filter((l) => l && !l.startsWith('--'));
    expect(runnable).toEqual(['ALTER TABLE `shop`.`orders` ADD INDEX `ix_orders_customer_id` (`customer_id`), ALGORITHM=INPLACE, LOCK=NONE;']);
    expect(text).toMatch(/^-- ALTER TABLE `shop`.`orders` ALTER INDEX `ix_old` IGNORED;$/m);
  });
});
