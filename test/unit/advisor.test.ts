import { describe, expect, it } from 'vitest';
import { candidatesFor, type AnalyzedQuery } from '../../src/analyze/advisor/candidates.js';
import { chooseIndexes, mergeCandidates, servedByExisting } from '../../src/analyze/advisor/choose.js';
import { findRedundant, findUnused } from '../../src/analyze/advisor/redundant.js';
import { catalogKey, type Catalog, type IndexDef, type TableStats } from '../../src/analyze/advisor/types.js';
import { parseExplainJson } from '../../src/analyze/plan/parse.js';
import { shapeOf } from '../../src/analyze/shape/parse-sql.js';

function table(name: string, rows: number, cols: Record<string, [string, number, number]>, indexes: IndexDef[] = [], fks: string[][] = []): TableStats {
  return { db: 'shop', table: name, rows, primaryKey: ['id'], foreignKeys: fks.map((c, i) => ({ name: `fk${i}`, columns: c })),
    columns: new Map(Object.entries(cols).map(([c, [type, bytes, ndv]]) => [c, { type, bytes, ndv }])),
    indexes: [{ name: 'PRIMARY', columns: ['id'], unique: true, primary: true }, ...indexes] };
}
const ix = (name: string, columns: string[], unique = false): IndexDef => ({ name, columns, unique, primary: false });

const products = table('products', 1000, { id: ['int', 4, 1000], sku: ['varchar', 130, 1000], category_id: ['int', 4, 50],
  name: ['varchar', 480, 1000], price: ['decimal', 5, 900], status: ['varchar', 64, 2] });
const orders = table('orders', 20000, { id: ['int', 4, 20000], customer_id: ['int', 4, 2000], status: ['varchar', 64, 6],
  total: ['decimal', 6, 15000], created_at: ['datetime', 5, 19000] });
const catalog: Catalog = new Map([[catalogKey('shop', 'products'), products], [catalogKey('shop', 'orders'), orders]]);

/** A full-scan plan like MariaDB's for one table (the advisor only needs rows read and sort flags). */
const scan = (t: string, rows: number, filesort = false) => parseExplainJson({ query_block: { select_id: 1,
  ...(filesort ? { filesort: { table: { table_name: t, access_type: 'ALL', rows, filtered: 100 } } } : { table: { table_name: t, access_type: 'ALL', rows, filtered: 100 } }) } });

async function query(id: string, sql: string, plan = scan('products', 1000, /ORDER BY/i.test(sql)), count = 1): Promise<AnalyzedQuery> {
  const r = await shapeOf(sql);
  if (!r.ok) throw new Error(r.error);
  return { id, db: 'shop', count, shape: r.shape, plan };
}

describe('candidatesFor: three-star rule', () => {
  it('equality columns by selectivity, then the sort columns', async () => {
    const q = await query('q1', "SELECT id, price FROM products WHERE status = 'active' AND category_id = 7 ORDER BY price LIMIT 20");
    const c = candidatesFor(q, catalog);
    expect(c.map((x) => x.columns)).toEqual([['category_id', 'status', 'price']]);
    expect(c[0]).toMatchObject({ kind: 'sort', preferred: true });
  });

  it('range and sort on different columns conflict: both variants, sort preferred with LIMIT', async () => {
    const q = await query('q2', 'SELECT id, name FROM products WHERE category_id = 12 AND price BETWEEN 50 AND 150 ORDER BY name LIMIT 20');
    const c = candidatesFor(q, catalog);
    expect(c.map((x) => [x.columns, x.kind, x.preferred])).toEqual([
      [['category_id', 'price'], 'range', false], [['category_id', 'name'], 'sort', true]]);
  });

  it('covering when the query needs few narrow columns; never for SELECT *', async () => {
    const q = await query('q3', 'SELECT total FROM orders WHERE customer_id = 5', scan('orders', 20000));
    expect(candidatesFor(q, catalog)[0]).toMatchObject({ columns: ['customer_id', 'total'], kind: 'covering' });
    const star = await query('q4', 'SELECT * FROM orders WHERE customer_id = 5', scan('orders', 20000));
    expect(candidatesFor(star, catalog)[0]).toMatchObject({ columns: ['customer_id'], kind: 'equality' });
  });

  it('a join lookup is preferred toward a filtered partner; every join column is still a variant for validation', async () => {
    const items = table('order_items', 50000, { id: ['int', 4, 50000], order_id: ['int', 4, 20000], product_id: ['int', 4, 1000], qty: ['int', 2, 5] });
    const cat: Catalog = new Map([...catalog, [catalogKey('shop', 'order_items'), items]]);
    const plan = parseExplainJson({ query_block: { select_id: 1, nested_loop: [
      { table: { table_name: 'oi', access_type: 'ALL', rows: 50000, filtered: 100 } },
      { table: { table_name: 'o', access_type: 'eq_ref', key: 'PRIMARY', rows: 1, filtered: 5 } }] } });
    const q = await query('j', "SELECT p.name FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id WHERE o.created_at >= '2026-11-25'", plan);
    const c = candidatesFor(q, cat).filter((x) => x.table === 'order_items');
    expect(c.map((x) => [x.columns, x.preferred])).toEqual([[['order_id', 'product_id'], true], [['product_id', 'order_id'], false]]);
    expect(c[0].reason).toBe('join lookup on order_id + covers product_id (no row lookups)');
  });

  it('a primary-key lookup or a small read gets nothing', async () => {
    expect(candidatesFor(await query('q5', 'SELECT * FROM orders WHERE id = 5', scan('orders', 1)), catalog)).toEqual([]);
    expect(candidatesFor(await query('q6', 'SELECT * FROM orders WHERE status = 1', scan('orders', 10)), catalog)).toEqual([]);
  });
});

describe('chooseIndexes: one set for the whole workload', () => {
  const cand = (columns: string[], benefit: number, q = 'q', t = 'orders') => ({ db: 'shop', table: t, columns, kind: 'equality' as const,
    queries: [q], benefit, reason: 'r', group: q, preferred: true });

  it('merges leftmost prefixes into the longer index and adds their benefits', () => {
    const merged = mergeCandidates([cand(['customer_id'], 10, 'a'), cand(['customer_id', 'created_at'], 5, 'b'), cand(['status'], 3, 'c')]);
    expect(merged.map((m) => [m.columns, m.benefit, m.queries])).toEqual([[['customer_id', 'created_at'], 15, ['b', 'a']], [['status'], 3, ['c']]]);
  });

  it('never duplicates an existing leftmost prefix, PRIMARY and its implicit suffix included', () => {
    const t = table('orders', 10, { id: ['int', 4, 10], a: ['int', 4, 5] }, [ix('ix_a', ['a'])]);
    expect(servedByExisting(['id'], t)).toBe(true);
    expect(servedByExisting(['a', 'id'], t)).toBe(true);
    expect(servedByExisting(['a', 'b'], t)).toBe(false);
    const recs = chooseIndexes([cand(['id'], 100), cand(['customer_id', 'id'], 100)], catalog);
    expect(recs.map((r) => r.columns)).toEqual([['customer_id']]);
  });

  it('names the existing index a longer recommendation makes redundant', () => {
    const withFk = table('orders', 20000, { id: ['int', 4, 20000], customer_id: ['int', 4, 2000], created_at: ['datetime', 5, 19000] }, [ix('customer_id', ['customer_id'])]);
    const [r] = chooseIndexes([cand(['customer_id', 'created_at'], 500)], new Map([[catalogKey('shop', 'orders'), withFk]]));
    expect(r.supersedes).toEqual(['customer_id']);
  });

  it('respects the per-table budget, best first', () => {
    const recs = chooseIndexes([cand(['status'], 1), cand(['customer_id'], 9), cand(['created_at'], 5), cand(['total'], 7)], catalog, { perTableBudget: 2 });
    expect(recs.map((r) => r.columns[0])).toEqual(['customer_id', 'total']);
  });

  it('a write-heavy table only gets indexes whose savings beat the maintenance cost', () => {
    const writes = new Map([[catalogKey('shop', 'orders'), 50]]);
    const recs = chooseIndexes([cand(['customer_id'], 10_000), cand(['status'], 300)], catalog, { writesPerTable: writes });
    expect(recs.map((r) => [r.columns, r.writeCost])).toEqual([[['customer_id'], 500]]);
  });

  it('drops non-preferred variants unless validation will arbitrate', () => {
    const a = { ...cand(['a'], 5), preferred: false };
    expect(chooseIndexes([a, cand(['customer_id'], 5)], catalog).map((r) => r.columns)).toEqual([['customer_id']]);
    expect(chooseIndexes([a, cand(['customer_id'], 5)], catalog, { keepVariants: true })).toHaveLength(2);
  });

  it('emits quoted online DDL with a stable name', () => {
    const [r] = chooseIndexes([cand(['customer_id', 'created_at'], 5)], catalog);
    expect(r.ddl).toBe('ALTER TABLE `shop`.`orders` ADD INDEX `ix_orders_customer_id_created_at` (`customer_id`,`created_at`), ALGORITHM=INPLACE, LOCK=NONE;');
  });
});

describe('findRedundant / findUnused: pt-duplicate-key-checker rules', () => {
  const cols = { id: ['int', 4, 9], a: ['int', 4, 9], b: ['int', 4, 9] } as Record<string, [string, number, number]>;
  it.each([
    ['duplicate', [ix('k1', ['a', 'b']), ix('k2', ['a', 'b'])], [], [['k2', 'duplicate', 'k1']]],
    ['left-prefix', [ix('ka', ['a']), ix('kab', ['a', 'b'])], [], [['ka', 'left-prefix', 'kab']]],
    ['unique prefix is a constraint, kept', [ix('ka', ['a'], true), ix('kab', ['a', 'b'])], [], []],
    ['(a,id) equals (a) with the implicit PK', [ix('ka', ['a']), ix('kaid', ['a', 'id'])], [], [['kaid', 'duplicate', 'ka']]],
    ['ends with the PK', [ix('kbid', ['b', 'id'])], [], [['kbid', 'pk-suffix', undefined]]],
    ['redundant but the FK still has the longer index', [ix('ka', ['a']), ix('kab', ['a', 'b'])], [['a']], [['ka', 'left-prefix', 'kab']]],
    ['secondary duplicate of PRIMARY', [ix('kid', ['id'])], [], [['kid', 'duplicate', 'PRIMARY']]],
  ])('%s', (_n, indexes, fks, want) => {
    const found = findRedundant(table('t', 10, cols, indexes as IndexDef[], fks as string[][]), 'mariadb');
    expect(found.map((f) => [f.index, f.kind, f.coveredBy])).toEqual(want);
  });

  it('hides before dropping: IGNORED on MariaDB, INVISIBLE on MySQL 8', () => {
    const t = table('t', 10, cols, [ix('ka', ['a']), ix('kab', ['a', 'b'])]);
    expect(findRedundant(t, 'mariadb')[0].hideDdl).toBe('ALTER TABLE `shop`.`t` ALTER INDEX `ka` IGNORED;');
    expect(findRedundant(t, 'mysql8')[0].hideDdl).toBe('ALTER TABLE `shop`.`t` ALTER INDEX `ka` INVISIBLE;');
  });

  it('unused needs a usage source, spares unique and FK indexes, and warns about short uptime', () => {
    const t = table('t', 10, cols, [ix('ka', ['a']), ix('kb', ['b']), ix('ku', ['b'], true)], [['b']]);
    expect(findUnused(t, { uptimeSeconds: 9e6, source: 'none' }, 'mariadb')).toEqual([]);
    const found = findUnused(t, { used: new Set(), uptimeSeconds: 3600, source: 'information_schema.INDEX_STATISTICS' }, 'mariadb');
    expect(found.map((f) => f.index)).toEqual(['ka']);
    expect(found[0].detail).toMatch(/up only 1 h/);
  });
});
