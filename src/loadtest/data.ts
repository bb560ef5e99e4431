/**
 * Deterministic store data for `loadtest prepare --scale N`: the same scale always gives the same rows,
 * so row counts are checkable and two prepared servers hold the same data. Historical orders are
 * generated with their items, and each product's initial_stock includes what those orders sold, so the
 * invariant stock + sold = initial_stock holds from the first row on.
 */
export interface Sizes {
  categories: number; customers: number; products: number; orders: number; carts: number; reviews: number;
}

export function sizes(scale: number): Sizes {
  return { categories: 50, customers: 1000 * scale, products: 1000 * scale, orders: 2000 * scale, carts: 500 * scale, reviews: 2000 * scale };
}

/** Items per historical order: 1–4, a pure function of the order id (so counts are computable). */
export const itemsPerOrder = (orderId: number) => 1 + (orderId % 4);

export function itemCount(scale: number): number {
  let n = 0;
  for (let o = 1; o <= sizes(scale).orders; o++) n += itemsPerOrder(o);
  return n;
}

export type Rng = () => number;
/** Seeded LCG: fast, reproducible, good enough for picking rows. */
export function rng(seed: number): Rng {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}
export const intBetween = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'NL', 'ES', 'IT', 'PL', 'SE', 'AT'];
/** Product names start with a colour: `search` looks products up by that prefix (an index range). */
export const COLOURS = ['Red', 'Blue', 'Green', 'Black', 'White', 'Silver', 'Golden', 'Pink', 'Grey', 'Orange'];
const NOUNS = ['Lamp', 'Chair', 'Mug', 'Shirt', 'Shoe', 'Watch', 'Bag', 'Phone Case', 'Desk', 'Kettle'];
const STATUS = ['paid', 'shipped', 'delivered'];
const BASE = Date.UTC(2026, 0, 1) / 1000;
const dt = (secs: number) => new Date(secs * 1000).toISOString().slice(0, 19).replace('T', ' ');
const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** A product's price in cents: a pure function of its id, so orders can be priced without a lookup. */
export const priceCents = (productId: number) => 199 + ((productId * 7919) % 49800);
const money = (cents: number) => (cents / 100).toFixed(2);

interface Item { orderId: number; productId: number; qty: number }
function* historicalItems(s: Sizes): Generator<Item> {
  const r = rng(4242);
  for (let o = 1; o <= s.orders; o++) {
    for (let k = 0; k < itemsPerOrder(o); k++) yield { orderId: o, productId: intBetween(r, 1, s.products), qty: intBetween(r, 1, 3) };
  }
}

type Row = Array<string | number | null>;
function* rows(table: string, s: Sizes): Generator<Row> {
  const r = rng(1000 + table.length * 31 + table.charCodeAt(0));
  if (table === 'categories') for (let i = 1; i <= s.categories; i++) yield [i, i > 10 ? 1 + (i % 10) : null, str(`Category ${i}`), str(`cat-${i}`)];
  if (table === 'customers') for (let i = 1; i <= s.customers; i++) yield [i, str(`user${i}@example.com`), str(`Customer ${i}`), str(COUNTRIES[i % 10]), str(dt(BASE - intBetween(r, 0, 700) * 86400))];
  if (table === 'products') {
    for (let i = 1; i <= s.products; i++) {
      const name = `${COLOURS[i % 10]} ${NOUNS[Math.floor(i / 10) % 10]} ${i}`;
      yield [i, str(`SKU-${String(i).padStart(7, '0')}`), 1 + (i % s.categories), str(name), money(priceCents(i)), str(r() < 0.95 ? 'active' : 'retired'), str(dt(BASE - intBetween(r, 0, 900) * 86400))];
    }
  }
  if (table === 'inventory') {
    const sold = new Int32Array(s.products + 1);
    for (const it of historicalItems(s)) sold[it.productId] += it.qty;
    for (let p = 1; p <= s.products; p++) {
      const stock = intBetween(r, 20, 500);
      yield [p, stock, stock + sold[p], str(dt(BASE))];
    }
  }
  if (table === 'carts') for (let i = 1; i <= s.carts; i++) yield [i, intBetween(r, 1, s.customers), intBetween(r, 1, s.products), intBetween(r, 1, 3), str(dt(BASE + intBetween(r, 0, 330) * 86400))];
  if (table === 'orders') {
    const totals = new Array<number>(s.orders + 1).fill(0);
    for (const it of historicalItems(s)) totals[it.orderId] += it.qty * priceCents(it.productId);
    for (let o = 1; o <= s.orders; o++) yield [o, intBetween(r, 1, s.customers), str(STATUS[o % 3]), money(totals[o]), str(dt(BASE + Math.floor((o / s.orders) * 330 * 86400)))];
  }
  if (table === 'order_items') {
    let id = 0;
    for (const it of historicalItems(s)) yield [++id, it.orderId, it.productId, it.qty, money(priceCents(it.productId))];
  }
  if (table === 'reviews') for (let i = 1; i <= s.reviews; i++) yield [i, intBetween(r, 1, s.products), intBetween(r, 1, s.customers), intBetween(r, 1, 5), str(`Review ${i}`), str(dt(BASE + intBetween(r, 0, 330) * 86400))];
}

export interface InsertChunk { table: string; rows: number; sql: string }

/** Multi-row INSERTs of `batch` rows for one table (literal values: they are ours, never user input). */
export function* insertChunks(table: string, scale: number, batch = 1000): Generator<InsertChunk> {
  let values: string[] = [];
  const flush = (): InsertChunk => {
    const chunk = { table, rows: values.length, sql: `INSERT INTO \`${table}\` VALUES ${values.join(',')}` };
    values = [];
    return chunk;
  };
  for (const row of rows(table, sizes(scale))) {
    values.push(`(${row.map((v) => (v === null ? 'NULL' : v)).join(',')})`);
    if (values.length === batch) yield flush();
  }
  if (values.length) yield flush();
}

/** Expected row count per table at a scale (the progress bar's total, and what tests check). */
export function expectedRows(scale: number): Record<string, number> {
  const s = sizes(scale);
  return { categories: s.categories, customers: s.customers, products: s.products, inventory: s.products, carts: s.carts,
    orders: s.orders, order_items: itemCount(scale), reviews: s.reviews };
}
