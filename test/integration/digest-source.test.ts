import mysql, { type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkload } from '../../src/analyze/workload/index.js';
import { startMariadb, type TestMariadb } from '../helpers/mariadb.js';

const SCHEMA = [
  'CREATE DATABASE shop',
  'CREATE TABLE shop.customers (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(120) NOT NULL, country CHAR(2), created_at DATETIME NOT NULL, KEY (email))',
  'CREATE TABLE shop.orders (id INT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL, status VARCHAR(16), total DECIMAL(10,2))',
];

async function runWorkload(conn: Connection): Promise<void> {
  for (const s of SCHEMA) await conn.query(s);
  await conn.query('USE shop');
  for (let i = 1; i <= 30; i++) await conn.query(`INSERT INTO customers (email, country, created_at) VALUES ('user${i}@example.com', 'DE', NOW())`);
  for (let i = 1; i <= 12; i++) await conn.query(`SELECT * FROM customers WHERE email = 'user${i}@example.com'`);
  for (let i = 1; i <= 5; i++) await conn.query(`SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'new' AND c.country = 'DE' LIMIT ${i}`);
  await conn.query("SELECT * FROM customers WHERE id IN (1, 2, 3) AND email LIKE 'user%'");
}

describe('loadWorkload({ kind: "digest" }) on a real MariaDB 10.11', () => {
  let on: TestMariadb;
  let off: TestMariadb;
  let connOn: Connection;
  let connOff: Connection;

  beforeAll(async () => {
    [on, off] = await Promise.all([startMariadb(['performance_schema=ON']), startMariadb([])]);
    connOn = await mysql.createConnection(on.connectOptions());
    connOff = await mysql.createConnection(off.connectOptions());
    await runWorkload(connOn);
  });

  afterAll(async () => {
    await connOn?.end();
    await connOff?.end();
    await Promise.all([on?.stop(), off?.stop()]);
  });

  it('says how to turn performance_schema on when it is off', async () => {
    const err = await loadWorkload({ kind: 'digest', connection: connOff }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PERFORMANCE_SCHEMA_OFF', exitCode: 5 });
    expect((err as { hint: string }).hint).toMatch(/performance_schema=ON.*restart/);
  });

  it('reads digest classes with counts, and synthesizes samples from real column values', async () => {
    const s = await loadWorkload({ kind: 'digest', connection: connOn });
    expect(s.source).toBe('digest');
    const byEmail = s.classes.find((c) => /^select \* from `customers` where `email` = \?\s*$/.test(c.fingerprint));
    expect(byEmail).toMatchObject({ count: 12, db: 'shop', sampleSynthesized: true, p95IsUpperBound: true });
    // The placeholder got a value that exists in the column, so EXPLAIN sees a realistic lookup.
    expect(byEmail!.sample).toMatch(/^SELECT \* FROM `customers` WHERE `email` = 'user\d+@example\.com'$/);
    const insert = s.classes.find((c) => c.fingerprint.startsWith('insert into `customers`'));
    expect(insert?.count).toBe(30);
    expect(byEmail!.totalTime).toBeGreaterThan(0);
    expect(byEmail!.maxTime).toBeGreaterThanOrEqual(byEmail!.avgTime);
  });

  it('every synthesized SELECT sample is valid SQL the server can EXPLAIN', async () => {
    const s = await loadWorkload({ kind: 'digest', connection: connOn });
    const selects = s.classes.filter((c) => c.db === 'shop' && c.sampleSynthesized && /^SELECT/i.test(c.sample) && /`(customers|orders)`/.test(c.sample));
    expect(selects.length).toBeGreaterThanOrEqual(3);
    for (const c of selects) await expect(connOn.query(`EXPLAIN ${c.sample}`), c.sample).resolves.toBeDefined();
  });
});
