import { describe, expect, it } from 'vitest';
import { expandValueLists, fillPlaceholders, placeholderRefs, quoteString, sqlLiteral, tablesOf, tokenize } from '../../src/analyze/workload/digest-sample.js';

// DIGEST_TEXT values as MariaDB 10.11 wrote them in performance_schema.events_statements_summary_by_digest
// for the e-commerce workload of fixtures/slowlogs (captured by hand).
const DIGESTS = {
  insertSome: 'INSERT INTO `customers` ( `email` , NAME , `country` , `created_at` ) VALUES ( ?, ... , NOW ( ) - INTERVAL ? SQL_TSI_DAY ) ',
  insertRows: 'INSERT INTO `products` ( `sku` , `title` , `price` , `category_id` , `stock` ) VALUES (...) /* , ... */ ',
  join: 'SELECT `o` . `id` , `o` . `total` , `c` . `name` FROM `orders` `o` JOIN `customers` `c` ON `c` . `id` = `o` . `customer_id` WHERE `o` . `status` = ? AND `o` . `created_at` > NOW ( ) - INTERVAL ? SQL_TSI_DAY ORDER BY `o` . `created_at` DESC ',
  inList: 'SELECT * FROM `products` WHERE ID IN (...) ',
  limit: 'SELECT ID , `title` , `price` FROM `products` WHERE `category_id` = ? ORDER BY `price` DESC LIMIT ? ',
  update: 'UPDATE `products` SET `stock` = `stock` - ? WHERE ID = ? AND `stock` > ? ',
};

/** What each placeholder will be sampled from: table.column, COUNT (LIMIT) or - (neutral default). */
function plan(digest: string): { refs: string[]; filled: string } {
  const tokens = expandValueLists(tokenize(digest));
  const refs = placeholderRefs(tokens, tablesOf(tokens, 'shop'));
  const names = refs.map((r) => (r.isCount ? 'COUNT' : r.table && r.column ? `${r.table.db}.${r.table.name}.${r.column}` : '-'));
  return { refs: names, filled: fillPlaceholders(tokens, refs.map((_, i) => `<${i}>`)) };
}

describe('MariaDB digest text → runnable sample', () => {
  it.each([
    ['insertSome', ['shop.customers.email', 'shop.customers.NAME', 'shop.customers.country', '-'],
      'INSERT INTO `customers` (`email`, NAME, `country`, `created_at`) VALUES (<0>, <1>, <2>, NOW() - INTERVAL <3> SQL_TSI_DAY)'],
    ['insertRows', ['shop.products.sku', 'shop.products.title', 'shop.products.price', 'shop.products.category_id', 'shop.products.stock'],
      'INSERT INTO `products` (`sku`, `title`, `price`, `category_id`, `stock`) VALUES (<0>, <1>, <2>, <3>, <4>)'],
    ['join', ['shop.orders.status', '-'],
      'SELECT `o`.`id`, `o`.`total`, `c`.`name` FROM `orders` `o` JOIN `customers` `c` ON `c`.`id` = `o`.`customer_id` WHERE `o`.`status` = <0> AND `o`.`created_at` > NOW() - INTERVAL <1> SQL_TSI_DAY ORDER BY `o`.`created_at` DESC'],
    ['inList', ['shop.products.ID'], 'SELECT * FROM `products` WHERE ID IN (<0>)'],
    ['limit', ['shop.products.category_id', 'COUNT'], 'SELECT ID, `title`, `price` FROM `products` WHERE `category_id` = <0> ORDER BY `price` DESC LIMIT <1>'],
    ['update', ['-', 'shop.products.ID', 'shop.products.stock'], 'UPDATE `products` SET `stock` = `stock` - <0> WHERE ID = <1> AND `stock` > <2>'],
  ] as const)('%s', (name, refs, filled) => {
    expect(plan(DIGESTS[name])).toEqual({ refs, filled });
  });
});

describe('sqlLiteral', () => {
  it.each([
    [42, '42'],
    [null, 'NULL'],
    ["O'Brien \\ \"x\"\n", "'O\\'Brien \\\\ \\\"x\\\"\\n'"],
    [new Date(2026, 10, 20, 10, 0, 1), "'2026-11-20 10:00:01'"],
    [Buffer.from([0xde, 0xad]), "X'dead'"],
  ])('%j → %s', (v, lit) => {
    expect(sqlLiteral(v)).toBe(lit);
  });

  it('cannot be broken out of by a sampled value', () => {
    const evil = "x' OR 1=1 -- ";
    const lit = quoteString(evil);
    expect(lit).toBe("'x\\' OR 1=1 -- '");
    expect(lit.slice(1, -1)).not.toMatch(/(^|[^\\])'/);
  });
});
