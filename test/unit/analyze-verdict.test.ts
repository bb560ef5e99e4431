import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../../src/analyze/advisor/types.js';
import { judgeRecommendation, planDelta } from '../../src/analyze/advisor/verdict.js';
import type { QueryPlan } from '../../src/analyze/plan/types.js';
import { analysisFailure } from '../../src/analyze/report/failure.js';
import type { MeasuredRun, QueryReport } from '../../src/analyze/report/types.js';
import { isNotAQuery } from '../../src/services/analyze-explain.js';
import { notMeasurable } from '../../src/services/analyze-measure.js';

const plan = (rows: number, key?: string, filesort = false): QueryPlan => ({ flavor: 'mariadb', filesort, temporaryTable: false, rowsExamined: rows, rowsProduced: rows,
  tables: [{ table: 'products', accessType: key ? 'ref' : 'ALL', key, possibleKeys: [], usedKeyParts: [], ref: [], rowsPerScan: rows, filtered: 100, loops: 1, coveringIndex: false, selectId: 1 }] });
const run = (rowsRead: number, keys: string[], filesort = false, more: Partial<MeasuredRun> = {}): MeasuredRun => ({ rowsRead, joinBufferRows: 0, filesort, temporaryTable: false, keys, ms: 3, ...more });
const IX = 'ix_products_category_id_status_created_at';
const rec: Recommendation = { db: 'shop', table: 'products', name: IX, columns: ['category_id', 'status', 'created_at'], kind: 'sort', queries: ['Q1'],
  benefit: 1000, writeCost: 0, reason: 'r', ddl: '', supersedes: [] };
const judge = (d: ReturnType<typeof planDelta>, threshold = 0.5) => judgeRecommendation(rec, new Map([['Q1', d]]), threshold).validation!;

// EXPLAIN ignores LIMIT: the listing page "cuts only 8%" by estimate while the index turns 65 rows + a sort into 24.
describe('the decision follows what the copy measured, not the EXPLAIN estimate', () => {
  it('listing page: estimate −8%, measured 66 → 24 rows without the sort: kept, on the measured figure', () => {
    const d = planDelta(plan(65, 'category_id', true), plan(60, IX), run(66, ['category_id'], true), run(24, [IX]));
    expect(d.basis).toBe('measured');
    expect(d.sortAvoided).toBeUndefined(); // 66 rows: a sort worth nothing on its own; the 64% cut decides
    expect(d.reduction).toBeCloseTo(1 - 24 / 66, 3);
    expect(d.estimatedReduction).toBeCloseTo(0.077, 2);
    expect(judge(d)).toMatchObject({ kept: true, basis: 'measured', usedBy: ['Q1'], note: expect.stringMatching(/^cuts rows read by 64% for 1 query \(66 → 24 rows read measured, filesort avoided; EXPLAIN estimated −8%\)$/) });
  });

  it('estimate −98%, measured 25 → 24 rows (the scan already stopped at LIMIT): rejected, and the note shows both', () => {
    const d = planDelta(plan(60000), plan(1000, IX), run(25, []), run(24, [IX]));
    expect(judge(d)).toMatchObject({ kept: false, basis: 'measured', note: expect.stringMatching(/only 4% \(threshold 50%; 25 → 24 rows read measured; EXPLAIN estimated −98%\)/) });
  });

  it('a sort of ≥ 100 rows that goes away without reading more rows keeps the index; under 100 rows it does not', () => {
    expect(judge(planDelta(plan(500, 'c', true), plan(500, IX), run(501, ['c'], true), run(480, [IX])))).toMatchObject({ kept: true });
    expect(judge(planDelta(plan(50, 'c', true), plan(50, IX), run(51, ['c'], true), run(48, [IX])))).toMatchObject({ kept: false });
    expect(judge(planDelta(plan(500, 'c', true), plan(500, IX), run(501, ['c'], true), run(900, [IX])))).toMatchObject({ kept: false });
  });

  it('a write, or no run at all, is judged on the estimate and says why', () => {
    const d = planDelta(plan(60000), plan(1, IX), { notMeasured: 'a write: never run on the copy' }, { notMeasured: 'a write: never run on the copy' });
    expect(d).toMatchObject({ basis: 'estimated', estimateReason: 'a write: never run on the copy' });
    expect(judge(d)).toMatchObject({ kept: true, basis: 'estimated', note: expect.stringMatching(/rows examined by 100% .*EXPLAIN estimate \(not measured: a write: never run on the copy\)/) });
  });

  it('a run that hit the time limit proves nothing: the estimate decides and the reason names the run', () => {
    const without = planDelta(plan(60000), plan(10, IX), run(40000, [], false, { timedOut: true, ms: 5000 }), run(12, [IX], false, { ms: 4 }));
    expect(without).toMatchObject({ basis: 'estimated', estimateReason: 'timed out on the copy after 5000 ms without the indexes (with them it took 4 ms)' });
    expect(judge(without)).toMatchObject({ kept: true, basis: 'estimated' });
    const withIt = planDelta(plan(60000), plan(10, IX), run(40000, []), run(30000, [IX], false, { timedOut: true, ms: 5000 }));
    expect(withIt).toMatchObject({ basis: 'estimated', estimateReason: 'timed out on the copy after 5000 ms with the indexes' });
  });

  it('the executed plan decides which index a query uses', () => {
    const d = planDelta(plan(1200, 'category_id', true), plan(1200, IX), run(1201, ['category_id'], true), run(1201, ['category_id'], true));
    expect(judge(d)).toMatchObject({ kept: false, usedBy: [], note: 'the optimizer did not choose it for any query' });
  });
});

const q = (over: Partial<QueryReport>): QueryReport => ({ id: 'x', fingerprint: 'f', sample: 's', count: 1, totalTime: 0, rowsExamined: 0, rowsSent: 0,
  problems: [], recommendations: [], impact: 0, ...over });

describe('analysisFailure: most statements failing is a failed run', () => {
  const noDb = q({ explainError: { message: 'No database selected', errno: 1046 } });
  it('42 of 44 failing with "No database selected" names --database', () => {
    const qs = [...Array(42).fill(noDb), q({}), q({})];
    expect(analysisFailure(qs)).toEqual({ failed: 42, analyzed: 44, reason: '42 of 44 statements failed: No database selected — pass --database <db>',
      hint: "Pass --database <db> (or a database in the DSN); each statement's error is in the report." });
  });
  it('half failing, or skipped non-queries, is not a failure', () => {
    expect(analysisFailure([noDb, q({})])).toBeUndefined();
    expect(analysisFailure([noDb, q({}), q({ skipped: 'DDL' }), q({ skipped: 'SET' })])).toBeUndefined();
    expect(analysisFailure([q({ skipped: 'DDL' })])).toBeUndefined();
  });
});

describe('what is a query, a non-query, and a typo', () => {
  it.each([
    ['CREATE INDEX ix ON t (a)', true], ['SET @a = 1', true], ['SHOW TABLES', true], ['CALL p()', true], ['/* tag */ DROP TABLE t', true],
    ['SELEC oops', false], ['SELECT 1', false], ['UPDATE t SET a = 1', false], ['frobnicate', false],
  ])('%s → not a query: %s', (sql, expected) => expect(isNotAQuery(sql)).toBe(expected));

  it.each([
    ['SELECT id FROM products WHERE category_id = 7 LIMIT 24', 'mariadb', undefined],
    ['UPDATE products SET price = 1 WHERE id = 2', 'mariadb', 'a write: never run on the copy'],
    ["SELECT * FROM products INTO OUTFILE '/tmp/x'", 'mariadb', 'SELECT … INTO: never run on the copy'],
    ['SELECT 1', 'mysql8', 'MySQL 8 copy: measuring needs MariaDB ANALYZE FORMAT=JSON'],
  ] as const)('%s on %s: %s', (sql, flavor, why) => expect(notMeasurable(sql, flavor)).toBe(why));
});

// Trimmed from a real MariaDB 10.11 ANALYZE FORMAT=JSON: customers (2,000 rows) joined to orders through a
// join buffer. Handler_read_rnd_next said 22,002; the join compared 2,000 × 281 row pairs.
const BNL = { query_block: { select_id: 1, r_loops: 1, nested_loop: [
  { table: { table_name: 'c', access_type: 'ALL', r_loops: 1, rows: 2000, r_rows: 2000, filtered: 100, r_filtered: 100 } },
  { 'block-nl-join': { table: { table_name: 'o', access_type: 'ALL', r_loops: 1, rows: 19663, r_rows: 20000, filtered: 100, r_filtered: 1.405 },
    buffer_type: 'flat', join_type: 'BNL', r_loops: 2000, r_filtered: 0.05, r_effective_rows: 281 } },
] } };

describe('join buffers: work the handler counters miss', () => {
  it('counts outer rows × buffered rows that passed their own condition', async () => {
    const { joinBufferComparisons } = await import('../../src/analyze/plan/parse.js');
    expect(joinBufferComparisons(BNL)).toBe(562_000);
    expect(joinBufferComparisons({ query_block: { table: { table_name: 't', r_loops: 1, r_rows: 5 } } })).toBe(0);
  });

  it('an index on the join column is kept although the engine hands over about as many rows as before', () => {
    const d = planDelta(plan(40_000_000), plan(20_281, IX), run(22_002, [], false, { joinBufferRows: 562_000 }), run(20_562, [IX]));
    expect(d.reduction).toBeGreaterThan(0.9);
    expect(judge(d).note).toMatch(/584k → 21k rows read measured \(of which join-buffer comparisons 562k → 0\)/);
  });
});
