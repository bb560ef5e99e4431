import type { Conn } from './workloads.js';

/**
 * Checkout correctness, checked on the primary after the run: every unit a product started with is
 * either still in stock or in an order item (stock + sold = initial_stock), no stock below zero, and
 * every order's total is the sum of its items. Counts, plus a few examples to start digging from.
 */
export interface CheckResult {
  ok: boolean;
  products: number;
  orders: number;
  stockMismatches: number;
  negativeStock: number;
  orderTotalMismatches: number;
  examples: string[];
}

const SOLD = 'SELECT product_id, SUM(qty) AS sold FROM order_items GROUP BY product_id';
export const CHECK_SQL = {
  stock: `SELECT i.product_id, i.stock, i.initial_stock, COALESCE(s.sold, 0) AS sold FROM inventory i LEFT JOIN (${SOLD}) s
    ON s.product_id = i.product_id WHERE i.stock + COALESCE(s.sold, 0) <> i.initial_stock OR i.stock < 0 ORDER BY i.product_id`,
  totals: `SELECT o.id, o.total, COALESCE(x.items, 0) AS items FROM orders o LEFT JOIN
    (SELECT order_id, SUM(qty * price) AS items FROM order_items GROUP BY order_id) x ON x.order_id = o.id
    WHERE o.total <> COALESCE(x.items, 0) ORDER BY o.id`,
  counts: 'SELECT (SELECT COUNT(*) FROM inventory) AS products, (SELECT COUNT(*) FROM orders) AS orders',
};

type Row = Record<string, unknown>;
export function evaluateCheck(stockRows: Row[], totalRows: Row[], counts: Row): CheckResult {
  const mismatch = stockRows.filter((r) => Number(r.stock) + Number(r.sold) !== Number(r.initial_stock));
  const negative = stockRows.filter((r) => Number(r.stock) < 0);
  const examples = [
    ...mismatch.slice(0, 3).map((r) => `product ${r.product_id}: stock ${r.stock} + sold ${r.sold} ≠ initial ${r.initial_stock}`),
    ...negative.slice(0, 3).map((r) => `product ${r.product_id}: stock ${r.stock} < 0`),
    ...totalRows.slice(0, 3).map((r) => `order ${r.id}: total ${r.total} ≠ items ${r.items}`),
  ];
  return {
    ok: mismatch.length === 0 && negative.length === 0 && totalRows.length === 0,
    products: Number(counts.products), orders: Number(counts.orders),
    stockMismatches: mismatch.length, negativeStock: negative.length, orderTotalMismatches: totalRows.length, examples,
  };
}

export async function runCheck(conn: Conn): Promise<CheckResult> {
  const [stock, totals, [counts]] = [await conn.exec(CHECK_SQL.stock), await conn.exec(CHECK_SQL.totals), await conn.exec(CHECK_SQL.counts)];
  return evaluateCheck(stock, totals, counts);
}
