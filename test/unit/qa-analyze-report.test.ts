import { describe, expect, it } from 'vitest';
import { renderReport, wrapLine } from '../../src/analyze/report/render.js';
import type { AnalysisReport } from '../../src/analyze/report/types.js';

const ddl = 'ALTER TABLE `shop`.`order_items` ADD INDEX `ix_order_items_order_id_price_product_id_qty` (`order_id`,`price`,`product_id`,`qty`), ALGORITHM=INPLACE, LOCK=NONE;';
const report: AnalysisReport = {
  server: { label: 'mysql://admin@127.0.0.1:30860/shop (shop)', version: '10.11.19-MariaDB-0+deb12u1-log', flavor: 'mariadb' },
  workload: { source: 'queries:fixtures/ecommerce/workload.sql', events: 16, malformed: 0, classes: 16, analyzed: 16 },
  queries: [{ id: '0EFBA2E64A888E6B', fingerprint: 'f', db: 'shop', count: 1, totalTime: 0, rowsExamined: 0, rowsSent: 0, impact: 51000,
    sample: "SELECT p.category_id, COUNT(*) AS n, SUM(oi.qty * oi.price) AS revenue FROM orders o JOIN order_items oi ON oi.order_id = o.id JOIN products p ON p.id = oi.product_id WHERE o.created_at >= '2026-11-25 00:00:00' GROUP BY p.category_id ORDER BY revenue DESC",
    plan: { tables: [{ table: 'p', access: 'index', key: 'category_id', rows: 1000, loops: 1 }, { table: 'oi', access: 'ref', key: 'product_id', rows: 25, loops: 1000 },
      { table: 'o', access: 'eq_ref', key: 'PRIMARY', rows: 1, loops: 25000 }], filesort: true, temporaryTable: true, rowsExamined: 51000 },
    problems: [{ kind: 'temporary-table', detail: 'builds a temporary table of up to ~51k rows (GROUP BY/DISTINCT/ORDER BY not served by an index)' }],
    recommendations: ['ix_order_items_order_id_price_product_id_qty', 'ix_orders_created_at'],
    validation: { before: { rowsExamined: 51000, keys: ['category_id', 'product_id', 'PRIMARY'] },
      after: { rowsExamined: 441, keys: ['ix_orders_created_at', 'ix_order_items_order_id_price_product_id_qty', 'PRIMARY'] }, basis: 'measured', reduction: 0.99,
      estimatedReduction: 0.99, measured: { before: { rowsRead: 76012, joinBufferRows: 0, filesort: true, temporaryTable: true, keys: ['category_id'], ms: 41 },
        after: { rowsRead: 760, joinBufferRows: 0, filesort: true, temporaryTable: true, keys: ['ix_orders_created_at'], ms: 2 } } } }],
  recommendations: [{ db: 'shop', table: 'order_items', name: 'ix_order_items_order_id_price_product_id_qty', columns: ['order_id', 'price', 'product_id', 'qty'],
    kind: 'covering', queries: ['0EFBA2E64A888E6B'], benefit: 24000, writeCost: 0, supersedes: ['order_id'], ddl,
    reason: 'join lookup on order_id + covers price, product_id, qty (no row lookups)' }],
  rejected: [], redundant: [], unused: [], usage: { source: 'none (userstat is OFF)', uptimeSeconds: 100 },
  validation: { mode: 'temporary-instance', target: 'temporary instance whatif-shop-mwy8veuq', threshold: 0.5 }, ddl: [ddl],
};

// The report is read in 80-column terminals and pasted into tickets: 36 of its 99 lines used to be wider.
describe('the terminal report at 80 columns', () => {
  const text = renderReport(report, undefined, 25, 80);
  it('no line is wider than 80 columns, except a single identifier longer than that', () => {
    const wide = text.split('\n').filter((l) => l.length > 80 && l.trim().includes(' '));
    expect(wide).toEqual([]);
  });

  it('loses nothing: the folded report reads like the unfolded one, the DDL included', () => {
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    expect(flat(text).replace(/…/g, '')).toContain(flat(ddl));
    expect(flat(text)).toContain('keys category_id, product_id, PRIMARY → ix_orders_created_at,');
    expect(text).toMatch(/^ {4}SELECT p\.category_id.*…$/m);
  });

  it('continuation lines are indented under their line', () => {
    expect(wrapLine('    why: one two three four', 16)).toEqual(['    why: one two', '        three', '        four']);
    expect(wrapLine('short', 80)).toEqual(['short']);
    expect(wrapLine('\x1b[1mbold\x1b[22m text', 9)).toEqual(['\x1b[1mbold\x1b[22m text']);
  });
});

describe('every query a recommendation serves can be looked up in the list', () => {
  it('a query without a named problem but with a fix (a small sort a new index removes) is listed', () => {
    const quiet = { ...report.queries[0], id: 'QUIET', problems: [], impact: 1, recommendations: ['ix_order_items_order_id_price_product_id_qty'] };
    const text = renderReport({ ...report, queries: [...report.queries, quiet] }, undefined, 25, 80);
    expect(text).toMatch(/Problem queries \(2 of 2/);
    expect(text).toMatch(/^ 2\. QUIET/m);
  });

  it('folded lines carry no trailing blanks', () => {
    expect(wrapLine(' 1. ABC  ×24  0.053 s total  20k rows examined/exec (measured)  [shop]', 70).every((l) => l === l.trimEnd())).toBe(true);
  });
});

// Measured on MariaDB 10.11: adding (order_id, price, product_id, qty) silently dropped the index InnoDB had
// created for FOREIGN KEY (order_id); "hide it first, drop later" pointed at an index that was already gone.
describe('an extended index that a foreign key created', () => {
  it('says the server drops such an index by itself', () => {
    expect(renderReport(report)).toMatch(/extends order_id: redundant once this exists \(a foreign key is served by the new one: an index the server made for it alone goes by itself; otherwise hide it first, drop later\)/);
  });
});

describe('validation line', () => {
  it('validation was wanted but no candidate came up: not "off (recommendations are estimates)"', () => {
    const none = { ...report, recommendations: [], ddl: [], validation: { mode: 'off' as const, threshold: 0.5, note: 'no candidate index to validate' } };
    expect(renderReport(none)).toMatch(/^validation: on, but no candidate index to validate$/m);
    expect(renderReport({ ...none, validation: { mode: 'off', threshold: 0.5 } })).toMatch(/^validation: off \(recommendations are estimates\)$/m);
  });
});
