import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExplainJson } from '../../src/analyze/plan/parse.js';
import { detectProblems } from '../../src/analyze/plan/problems.js';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/explain/${p}`, import.meta.url), 'utf8');
const plan = (p: string) => parseExplainJson(fixture(p));
const kinds = (p: string) => detectProblems({ plan: plan(p) }).map((x) => x.kind).sort();

describe('parseExplainJson: MariaDB 10.11 captures', () => {
  it('reads the shared no-index sample: join order, loops, filesort inside temporary table', () => {
    const p = plan('mariadb/shared-noindex.json');
    expect(p.flavor).toBe('mariadb');
    expect(p.tables.map((t) => [t.table, t.accessType, t.key])).toEqual([['o', 'ALL', undefined], ['c', 'eq_ref', 'PRIMARY']]);
    expect(p.tables[1].loops).toBeCloseTo(200000 * 0.4921875, 0);
    expect(p).toMatchObject({ filesort: true, temporaryTable: true, cost: undefined });
    expect(p.rowsExamined).toBe(200000 + 98438);
  });

  it('the indexed variant examines far fewer rows', () => {
    expect(plan('mariadb/shared-index.json').rowsExamined).toBeLessThan(plan('mariadb/shared-noindex.json').rowsExamined / 4);
    expect(plan('mariadb/shared-index.json').tables[1]).toMatchObject({ key: 'idx_cust_created', usedKeyParts: ['customer_id'], indexCondition: "o.created_at >= '2026-06-01'" });
  });

  it('reads block-nl-join and hash join as join buffers', () => {
    expect(plan('mariadb/block-nl-join.json').tables[1]).toMatchObject({ table: 'c', accessType: 'ALL', joinBuffer: 'block-nl-join (BNL)' });
    expect(plan('mariadb/hash-join.json').tables[1].accessType).toBe('hash_ALL');
  });

  it.each([
    ['mariadb/listing-filesort-noindex.json', ['filesort', 'full-table-scan']],
    ['mariadb/block-nl-join.json', ['join-without-index']],
    ['mariadb/hash-join.json', ['join-without-index']],
    ['mariadb/full-index-scan.json', ['full-index-scan']],
    ['mariadb/group-temporary.json', ['filesort', 'full-table-scan', 'temporary-table']],
    ['mariadb/update-pk-range.json', []],
  ])('%s → %j', (file, want) => {
    expect(kinds(file)).toEqual(want);
  });
});

describe('detectProblems: measured rows and statement shape', () => {
  const p = () => plan('mariadb/function-on-column.json');
  it('rows examined ≫ rows sent uses the workload numbers when present', () => {
    const found = detectProblems({ plan: p(), rowsExamined: 20000, rowsSent: 3 }).find((x) => x.kind === 'rows-examined-vs-sent');
    expect(found?.detail).toBe('measured 20k rows examined for 3 sent (6667×)');
    expect(detectProblems({ plan: p(), rowsExamined: 50, rowsSent: 3 }).map((x) => x.kind)).not.toContain('rows-examined-vs-sent');
  });

  it('implicit conversion is named only for string columns', () => {
    const shape = { kind: 'select' as const, tables: [], writes: [], hasLimit: false,
      issues: [{ kind: 'compared-to-number' as const, table: 'customers', column: 'phone', detail: 'phone = 491234' }] };
    const types = new Map([['customers.phone', 'varchar']]);
    expect(detectProblems({ plan: p(), shape, columnTypes: types }).find((x) => x.kind === 'non-sargable')?.detail).toMatch(/varchar column compared to a number/);
    expect(detectProblems({ plan: p(), shape, columnTypes: new Map([['customers.phone', 'int']]) }).map((x) => x.kind)).not.toContain('non-sargable');
  });
});

describe('parseExplainJson: MySQL 8 (typed after the reference manual) into the same model', () => {
  it('ordering_operation with using_filesort, numbers as strings, query cost', () => {
    const p = plan('mysql8/listing-filesort.json');
    expect(p).toMatchObject({ flavor: 'mysql8', filesort: true, temporaryTable: false, cost: 101.25, rowsExamined: 1000 });
    expect(p.tables[0]).toMatchObject({ table: 'products', accessType: 'ALL', filtered: 1, rowsPerScan: 1000 });
  });

  it('grouping_operation with a temporary table; loops come from rows_produced_per_join', () => {
    const p = plan('mysql8/group-temporary-join.json');
    expect(p.tables.map((t) => t.table)).toEqual(['oi', 'o', 'p']);
    expect(p.tables[2].loops).toBe(16738);
    expect(p).toMatchObject({ filesort: true, temporaryTable: true, cost: 27862.4 });
  });

  it('hash join on MySQL is a join without index, like MariaDB block-nl-join', () => {
    expect(plan('mysql8/hash-join.json').tables[1].joinBuffer).toBe('hash join');
    expect(kinds('mysql8/hash-join.json')).toContain('join-without-index');
  });

  it('an index lookup with the sort served by the index has no problems', () => {
    const p = plan('mysql8/index-lookup.json');
    expect(p).toMatchObject({ filesort: false, rowsExamined: 10 });
    expect(p.tables[0]).toMatchObject({ key: 'ix_orders_customer_created', usedKeyParts: ['customer_id'], ref: ['const'] });
    expect(kinds('mysql8/index-lookup.json')).toEqual([]);
  });

  it('MariaDB and MySQL plans of the same listing query agree on the model', () => {
    const [m, y] = [plan('mariadb/listing-filesort-noindex.json'), plan('mysql8/listing-filesort.json')];
    const pick = (x: typeof m) => ({ tables: x.tables.map((t) => [t.table, t.accessType, t.rowsPerScan]), filesort: x.filesort, rowsExamined: x.rowsExamined });
    expect(pick(m)).toEqual(pick(y));
  });

  it('rejects a document that is not an EXPLAIN', () => {
    expect(() => parseExplainJson('{"rows": 1}')).toThrow(/query_block/);
  });
});
