import { describe, expect, it } from 'vitest';
import { shapeOf } from '../../src/analyze/shape/parse-sql.js';
import type { SqlShape } from '../../src/analyze/shape/types.js';

async function shape(sql: string, columns: Record<string, string[]> = {}): Promise<SqlShape> {
  const r = await shapeOf(sql, (col, tables) => tables.find((t) => columns[t]?.includes(col)));
  if (!r.ok) throw new Error(r.error);
  return r.shape;
}
const table = (s: SqlShape, name: string) => s.tables.find((t) => t.table === name)!;

describe('shapeOf: per-table columns the advisor needs', () => {
  it.each([
    ['equality + range + order', "SELECT id FROM products WHERE category_id = 7 AND price BETWEEN 1 AND 9 ORDER BY price LIMIT 20",
      'products', { equality: ['category_id'], range: ['price'], orderBy: ['price'] }],
    ['IN list and IS NULL are equality', "SELECT * FROM orders WHERE status IN ('a','b') AND note IS NULL",
      'orders', { equality: ['status', 'note'], range: [], orderBy: [] }],
    ['prefix LIKE is a range', "SELECT id FROM customers WHERE email LIKE 'user1%'",
      'customers', { equality: [], range: ['email'], orderBy: [] }],
    ['DESC order kept with its direction', 'SELECT id FROM orders WHERE customer_id = 1 ORDER BY created_at DESC',
      'orders', { equality: ['customer_id'], range: [], orderBy: ['created_at'] }],
  ])('%s', async (_name, sql, t, want) => {
    const s = await shape(sql);
    expect(table(s, t)).toMatchObject(want);
  });

  it('resolves aliases and join columns on both sides', async () => {
    const s = await shape("SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = 'x' AND o.status = 'paid'");
    expect(table(s, 'orders')).toMatchObject({ aliases: ['o'], equality: ['status'], join: ['customer_id'] });
    expect(table(s, 'customers')).toMatchObject({ aliases: ['c'], equality: ['email'], join: ['id'] });
    expect(table(s, 'orders').columns.sort()).toEqual(['customer_id', 'id', 'status']);
  });

  it('resolves unqualified columns in a join through the schema', async () => {
    const s = await shape("SELECT total FROM orders JOIN customers ON customers.id = orders.customer_id WHERE country = 'DE'",
      { customers: ['id', 'country'], orders: ['id', 'customer_id', 'total'] });
    expect(table(s, 'customers').equality).toEqual(['country']);
  });

  it('mixed sort directions and sorts on expressions give no index order', async () => {
    const s = await shape('SELECT id FROM r WHERE p = 1 ORDER BY a DESC, b ASC');
    expect(table(s, 'r').orderBy).toEqual([]);
    const g = await shape('SELECT customer_id, COUNT(*) n FROM orders GROUP BY customer_id ORDER BY n DESC');
    expect(table(g, 'orders')).toMatchObject({ groupBy: ['customer_id'], orderBy: [] });
  });

  it('names non-sargable predicates and ORs across columns', async () => {
    const s = await shape("SELECT id FROM orders WHERE DATE(created_at) = '2026-05-01' AND note LIKE '%gift' AND phone = 491234 AND (a = 1 OR b = 2)");
    const kinds = [...new Set(s.issues.map((i) => i.kind))].sort();
    expect(kinds).toEqual(['compared-to-number', 'function-on-column', 'leading-wildcard', 'or-across-columns']);
    expect(s.issues.find((i) => i.kind === 'function-on-column')).toMatchObject({ column: 'created_at', table: 'orders' });
    expect(table(s, 'orders').equality).toEqual(['phone']); // columns inside the OR do not feed indexes
    expect(s.issues.filter((i) => i.kind === 'compared-to-number').map((i) => i.column)).toEqual(['phone', 'a', 'b']);
  });

  it('problems inside an OR are still found', async () => {
    const s = await shape("SELECT id FROM customers WHERE LOWER(email) = 'x' OR name LIKE '%son'");
    expect(s.issues.map((i) => i.kind).sort()).toEqual(['function-on-column', 'leading-wildcard', 'or-across-columns']);
    expect(table(s, 'customers').equality).toEqual([]);
  });

  it('JOIN … USING (col) is a join on both sides', async () => {
    const s = await shape('SELECT 1 FROM orders o JOIN order_items oi USING (order_id) WHERE o.status = 1');
    expect(table(s, 'order_items')).toMatchObject({ join: ['order_id'], joinWith: [{ column: 'order_id', table: 'orders' }] });
    expect(table(s, 'orders').join).toEqual(['order_id']);
  });

  it('records which table each join column points to', async () => {
    const s = await shape('SELECT 1 FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id');
    expect(table(s, 'order_items').joinWith).toEqual([{ column: 'order_id', table: 'orders' }, { column: 'product_id', table: 'products' }]);
  });

  it('walks subqueries and knows DML targets', async () => {
    const s = await shape('SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 5)');
    expect(table(s, 'orders').range).toEqual(['total']);
    const u = await shape("UPDATE inventory SET quantity = quantity - 1 WHERE product_id = 10 AND warehouse = 'FRA'");
    expect(u).toMatchObject({ kind: 'update', writes: ['inventory'] });
    expect(table(u, 'inventory').equality).toEqual(['product_id', 'warehouse']);
    const i = await shape('INSERT INTO carts (customer_id) VALUES (1)');
    expect(i).toMatchObject({ kind: 'insert', writes: ['carts'], tables: [] });
  });

  it('reports what the parser cannot read instead of throwing', async () => {
    const r = await shapeOf('SELEC nonsense FROM');
    expect(r.ok).toBe(false);
  });
});
