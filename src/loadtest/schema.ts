/**
 * The load test's e-commerce schema. It differs from fixtures/ecommerce on purpose: inventory keeps the
 * stock a product started with (initial_stock), so the correctness check can prove that every unit is
 * either still in stock or in an order item, and the indexes are those a store would have (the load
 * test measures the database, not missing indexes).
 */
export const META_TABLE = 'loadtest_meta';

const TABLES: Array<[string, string]> = [
  ['categories', `id INT UNSIGNED NOT NULL, parent_id INT UNSIGNED NULL, name VARCHAR(80) NOT NULL, slug VARCHAR(80) NOT NULL,
    PRIMARY KEY (id), UNIQUE KEY uk_slug (slug), FOREIGN KEY (parent_id) REFERENCES categories(id)`],
  ['customers', `id INT UNSIGNED NOT NULL AUTO_INCREMENT, email VARCHAR(120) NOT NULL, name VARCHAR(100) NOT NULL,
    country CHAR(2) NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id), UNIQUE KEY uk_email (email)`],
  ['products', `id INT UNSIGNED NOT NULL AUTO_INCREMENT, sku VARCHAR(32) NOT NULL, category_id INT UNSIGNED NOT NULL,
    name VARCHAR(120) NOT NULL, price DECIMAL(10,2) NOT NULL, status VARCHAR(16) NOT NULL, created_at DATETIME NOT NULL,
    PRIMARY KEY (id), UNIQUE KEY uk_sku (sku), KEY ix_category_price (category_id, price), KEY ix_name (name),
    FOREIGN KEY (category_id) REFERENCES categories(id)`],
  ['inventory', `product_id INT UNSIGNED NOT NULL, stock INT NOT NULL, initial_stock INT NOT NULL, updated_at DATETIME NOT NULL,
    PRIMARY KEY (product_id), FOREIGN KEY (product_id) REFERENCES products(id)`],
  ['carts', `id INT UNSIGNED NOT NULL AUTO_INCREMENT, customer_id INT UNSIGNED NOT NULL, product_id INT UNSIGNED NOT NULL,
    qty SMALLINT UNSIGNED NOT NULL, added_at DATETIME NOT NULL, PRIMARY KEY (id), KEY ix_customer (customer_id),
    FOREIGN KEY (customer_id) REFERENCES customers(id), FOREIGN KEY (product_id) REFERENCES products(id)`],
  ['orders', `id INT UNSIGNED NOT NULL AUTO_INCREMENT, customer_id INT UNSIGNED NOT NULL, status VARCHAR(16) NOT NULL,
    total DECIMAL(12,2) NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id), KEY ix_customer_created (customer_id, created_at),
    FOREIGN KEY (customer_id) REFERENCES customers(id)`],
  ['order_items', `id INT UNSIGNED NOT NULL AUTO_INCREMENT, order_id INT UNSIGNED NOT NULL, product_id INT UNSIGNED NOT NULL,
    qty SMALLINT UNSIGNED NOT NULL, price DECIMAL(10,2) NOT NULL, PRIMARY KEY (id), KEY ix_order (order_id), KEY ix_product (product_id),
    FOREIGN KEY (order_id) REFERENCES orders(id), FOREIGN KEY (product_id) REFERENCES products(id)`],
  ['reviews', `id INT UNSIGNED NOT NULL AUTO_INCREMENT, product_id INT UNSIGNED NOT NULL, customer_id INT UNSIGNED NOT NULL,
    rating TINYINT UNSIGNED NOT NULL, title VARCHAR(120) NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id),
    KEY ix_product_created (product_id, created_at), FOREIGN KEY (product_id) REFERENCES products(id),
    FOREIGN KEY (customer_id) REFERENCES customers(id)`],
];

/** Tables in dependency order (parents first). */
export const TABLE_NAMES = TABLES.map(([name]) => name);

export const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;

export function createTableSql(): string[] {
  return [
    ...TABLES.map(([name, cols]) => `CREATE TABLE ${ident(name)} (\n    ${cols}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`),
    `CREATE TABLE ${META_TABLE} (id TINYINT NOT NULL PRIMARY KEY, scale INT NOT NULL, complete TINYINT NOT NULL,
      prepared_at DATETIME NOT NULL) ENGINE=InnoDB`,
  ];
}

/** Children first, so foreign keys never block the drop. */
export function dropTableSql(): string[] {
  return [META_TABLE, ...[...TABLE_NAMES].reverse()].map((t) => `DROP TABLE IF EXISTS ${ident(t)}`);
}
