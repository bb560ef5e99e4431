import type { Param } from '../db/wire/commands.js';
import { COLOURS, intBetween, priceCents, type Rng } from './data.js';

/** The SQL surface a transaction needs. `params` given → a prepared statement (parsed once per connection). */
export interface Conn {
  /** The result's rows, decoded (or the OK of a write: affectedRows, insertId). */
  exec(sql: string, params?: readonly Param[]): Promise<Array<Record<string, unknown>>>;
  /** Runs it and reads the whole result without decoding it, as sysbench does; resolves to the row count. */
  drain(sql: string, params?: readonly Param[]): Promise<number>;
}

export interface TxContext {
  /** Writes (and checkout's locking reads) always go here. */
  primary: Conn;
  /** Reads: a replica with --read-replicas, else the primary. */
  read: Conn;
  r: Rng;
  /** Row counts of the prepared data (ids are 1..n). */
  size: { products: number; customers: number; categories: number };
  /** flash-sale: checkouts pick from these few products. */
  hot?: number[];
}

export type TxOutcome = 'ok' | 'sold_out';
export interface TxType {
  name: string;
  access: 'read' | 'write';
  run(c: TxContext): Promise<TxOutcome>;
}

const product = (c: TxContext) => intBetween(c.r, 1, c.size.products);
const customer = (c: TxContext) => intBetween(c.r, 1, c.size.customers);

const browse: TxType = { name: 'browse', access: 'read', async run(c) {
  await c.read.drain("SELECT id, name, price FROM products WHERE category_id = ? AND status = 'active' ORDER BY price LIMIT 20", [intBetween(c.r, 1, c.size.categories)]);
  return 'ok';
} };

const productPage: TxType = { name: 'product_page', access: 'read', async run(c) {
  const id = product(c);
  await c.read.drain('SELECT p.id, p.name, p.price, i.stock FROM products p JOIN inventory i ON i.product_id = p.id WHERE p.id = ?', [id]);
  await c.read.drain('SELECT rating, title, created_at FROM reviews WHERE product_id = ? ORDER BY created_at DESC LIMIT 5', [id]);
  return 'ok';
} };

const search: TxType = { name: 'search', access: 'read', async run(c) {
  const prefix = `${COLOURS[intBetween(c.r, 0, COLOURS.length - 1)]} ${String.fromCharCode(65 + intBetween(c.r, 0, 25))}`;
  await c.read.drain('SELECT id, name, price FROM products WHERE name LIKE ? ORDER BY name LIMIT 20', [`${prefix}%`]);
  return 'ok';
} };

const addToCart: TxType = { name: 'add_to_cart', access: 'write', async run(c) {
  await c.primary.drain('INSERT INTO carts (customer_id, product_id, qty, added_at) VALUES (?, ?, ?, NOW())', [customer(c), product(c), intBetween(c.r, 1, 3)]);
  return 'ok';
} };

const orderHistory: TxType = { name: 'order_history', access: 'read', async run(c) {
  await c.read.drain('SELECT id, status, total, created_at FROM orders WHERE customer_id = ? ORDER BY created_at DESC LIMIT 10', [customer(c)]);
  return 'ok';
} };

/**
 * One transaction, as a shop does it: lock each line's inventory row (FOR UPDATE), give up if any is
 * short, else decrement and write the order with its items. Lines are locked in cart order, not sorted:
 * real carts deadlock, and the report counts it (1213).
 */
const checkout: TxType = { name: 'checkout', access: 'write', async run(c) {
  const lines = new Map<number, number>();
  const n = intBetween(c.r, 1, 3);
  for (let i = 0; i < n; i++) {
    const p = c.hot ? c.hot[intBetween(c.r, 0, c.hot.length - 1)] : product(c);
    lines.set(p, intBetween(c.r, 1, 2));
  }
  await c.primary.drain('START TRANSACTION');
  try {
    let total = 0;
    for (const [p, qty] of lines) {
      const [row] = await c.primary.exec('SELECT stock FROM inventory WHERE product_id = ? FOR UPDATE', [p]);
      if (!row || Number(row.stock) < qty) { await c.primary.drain('ROLLBACK'); return 'sold_out'; }
      total += qty * priceCents(p);
    }
    for (const [p, qty] of lines) await c.primary.drain('UPDATE inventory SET stock = stock - ?, updated_at = NOW() WHERE product_id = ?', [qty, p]);
    const [res] = await c.primary.exec("INSERT INTO orders (customer_id, status, total, created_at) VALUES (?, 'paid', ?, NOW())", [customer(c), (total / 100).toFixed(2)]);
    const orderId = Number((res as { insertId?: number }).insertId);
    for (const [p, qty] of lines) {
      await c.primary.drain('INSERT INTO order_items (order_id, product_id, qty, price) VALUES (?, ?, ?, ?)', [orderId, p, qty, (priceCents(p) / 100).toFixed(2)]);
    }
    await c.primary.drain('COMMIT');
    return 'ok';
  } catch (err) {
    await c.primary.drain('ROLLBACK').catch(() => undefined);
    throw err;
  }
} };

/** sysbench oltp_point_select's event, on products: one primary-key lookup. */
const pointSelect: TxType = { name: 'point_select', access: 'read', async run(c) {
  await c.read.drain('SELECT name FROM products WHERE id = ?', [product(c)]);
  return 'ok';
} };

/** sysbench oltp_read_only's event, on products: 10 point selects and 4 range queries of 100 rows in one transaction. */
const readOnly: TxType = { name: 'read_only', access: 'read', async run(c) {
  const range = 100;
  // BEGIN/COMMIT prepared (no parameters, but `[]` asks for a prepared statement), as sysbench runs them.
  await c.read.drain('BEGIN', []);
  for (let i = 0; i < 10; i++) await c.read.drain('SELECT name FROM products WHERE id = ?', [product(c)]);
  const lo = () => intBetween(c.r, 1, Math.max(1, c.size.products - range));
  let a = lo();
  await c.read.drain('SELECT name FROM products WHERE id BETWEEN ? AND ?', [a, a + range - 1]);
  a = lo();
  await c.read.drain('SELECT SUM(price) FROM products WHERE id BETWEEN ? AND ?', [a, a + range - 1]);
  a = lo();
  await c.read.drain('SELECT name FROM products WHERE id BETWEEN ? AND ? ORDER BY name', [a, a + range - 1]);
  a = lo();
  await c.read.drain('SELECT DISTINCT name FROM products WHERE id BETWEEN ? AND ? ORDER BY name', [a, a + range - 1]);
  await c.read.drain('COMMIT', []);
  return 'ok';
} };

export type Mix = Array<[TxType, number]>;
export interface Workload {
  name: string;
  types: TxType[];
  /** The mix at a point of the run (0 = start, 1 = end): flash-sale shifts it in the middle third. */
  mixAt(progress: number): Mix;
  /** flash-sale: the products checkouts pick from at this point of the run (undefined = any product). */
  hotAt?(progress: number): number[] | undefined;
}

const ECOMMERCE: Mix = [[browse, 25], [productPage, 30], [search, 15], [addToCart, 10], [orderHistory, 10], [checkout, 10]];
const WRITE_HEAVY: Mix = [[productPage, 20], [addToCart, 35], [checkout, 45]];
const FLASH: Mix = [[productPage, 30], [addToCart, 10], [checkout, 60]];

export const BUILTIN_WORKLOADS = ['ecommerce', 'point-select', 'read-only', 'write-heavy'] as const;

function fixed(name: string, mix: Mix): Workload {
  return { name, types: mix.map(([t]) => t), mixAt: () => mix };
}

/** flash-sale: the middle third of the run is a checkout spike on `hot` products; the rest is the base mix. */
export function withFlashSale(w: Workload, hot: number[]): Workload {
  const types = [...new Set([...w.types, ...FLASH.map(([t]) => t)])];
  const spike = (p: number) => p >= 1 / 3 && p < 2 / 3;
  return { name: `${w.name}+flash-sale`, types, mixAt: (p) => (spike(p) ? FLASH : w.mixAt(p)), hotAt: (p) => (spike(p) ? hot : undefined) };
}

export function builtinWorkload(name: (typeof BUILTIN_WORKLOADS)[number]): Workload {
  if (name === 'point-select') return fixed(name, [[pointSelect, 1]]);
  if (name === 'read-only') return fixed(name, [[readOnly, 1]]);
  if (name === 'write-heavy') return fixed(name, WRITE_HEAVY);
  return fixed(name, ECOMMERCE);
}

export function pick(mix: Mix, r: Rng): TxType {
  const total = mix.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [t, w] of mix) if ((x -= w) < 0) return t;
  return mix[mix.length - 1][0];
}
