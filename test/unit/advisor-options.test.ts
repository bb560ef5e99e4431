import { describe, expect, it } from 'vitest';
import { parseDsn } from '../../src/services/analyze-db.js';
import { explainableText } from '../../src/services/analyze-explain.js';
import { checkOptions } from '../../src/services/analyze-run.js';
import { dmlTarget } from '../../src/services/analyze.js';
import { columnBytes } from '../../src/services/analyze-catalog.js';

describe('parseDsn', () => {
  it.each([
    ['mysql://admin:p%40ss@db.example.com:3307/shop', { host: 'db.example.com', port: 3307, user: 'admin', password: 'p@ss', database: 'shop', label: 'mysql://admin@db.example.com:3307/shop' }],
    ['mysql://root@localhost/shop?socket=/tmp/x.sock', { socketPath: '/tmp/x.sock', user: 'root', database: 'shop', label: 'mysql://root@localhost/shop?socket=/tmp/x.sock' }],
    ['mysql://u@h', { host: 'h', port: 3306, database: undefined }],
  ])('%s', (dsn, want) => expect(parseDsn(dsn)).toMatchObject(want));

  it.each([
    ['not a url', /not a URL/],
    ['postgres://u@h/db', /scheme "postgres:"/],
    ['mysql://h:3306/db', /no user/],
  ])('%s → usage error', (dsn, message) => {
    expect(() => parseDsn(dsn)).toThrow(message);
    try { parseDsn(dsn); } catch (e) { expect((e as { exitCode: number }).exitCode).toBe(2); }
  });

  it.each([
    ['mysql://u@h/d?ssl-mode=VERIFY_IDENTITY&ssl-ca=/x/ca.pem', { caFile: '/x/ca.pem', verifyIdentity: true }],
    ['mysql://u@h/d?ssl-mode=VERIFY_CA&ssl-ca=/x/ca.pem', { caFile: '/x/ca.pem', verifyIdentity: false }],
    ['mysql://u@h/d?ssl-mode=REQUIRED', { unverified: true }],
    ['mysql://u@h/d?ssl-mode=DISABLED', undefined],
    ['mysql://u@h/d', undefined],
  ])('TLS from %s', (dsn, tls) => expect(parseDsn(dsn).tls).toEqual(tls));

  it.each([
    ['mysql://u@h/d?ssl-mode=VERIFY_IDENTITY', /needs ssl-ca/],
    ['mysql://u@h/d?ssl-mode=SOMETIMES', /Unknown ssl-mode/],
  ])('TLS misconfiguration %s → usage error', (dsn, message) => expect(() => parseDsn(dsn)).toThrow(message));

  it('the label never carries the password', () => {
    expect(parseDsn('mysql://admin:Sup3rSecret@h:1/d').label).not.toContain('Sup3rSecret');
  });
});

describe('checkOptions', () => {
  it.each([
    [{}, /Name the workload/],
    [{ queries: 'a', slowLog: 'b' }, /only one workload source/],
    [{ queries: 'a', threshold: 0 }, /--threshold must be a percentage/],
    [{ queries: 'a', threshold: 150 }, /--threshold must be a percentage/],
    [{ queries: 'a', top: 0 }, /--top must be a positive integer/],
    [{ queries: 'a', validate: false, validateOn: 'mysql://u@h/d' }, /contradict/],
  ])('%j', (opts, message) => expect(() => checkOptions(opts)).toThrow(message));

  it('accepts one source with sane numbers', () => expect(() => checkOptions({ digest: true, threshold: 50, top: 10 })).not.toThrow());
});

describe('explainableText: only one explainable statement goes after EXPLAIN', () => {
  it.each([
    ['SELECT 1;', 'SELECT 1'],
    ['  update t set a=1 where id=2 ;; ', 'update t set a=1 where id=2'],
    ['(SELECT 1) UNION (SELECT 2)', '(SELECT 1) UNION (SELECT 2)'],
    ['DROP TABLE t', undefined],
    ['SET @a = 1', undefined],
  ])('%s', (sql, want) => expect(explainableText(sql)).toBe(want));
});

describe('dmlTarget: the table a write outside --top touches', () => {
  it.each([
    ['insert into carts (a) values(?+)', { table: 'carts' }],
    ['INSERT IGNORE INTO `shop`.`carts` VALUES (?)', { db: 'shop', table: 'carts' }],
    ['update inventory set quantity = quantity - ? where product_id = ?', { table: 'inventory' }],
    ['delete from shop.carts where id = ?', { db: 'shop', table: 'carts' }],
    ['replace into t values(?)', { table: 't' }],
    ['select * from t', undefined],
  ])('%s', (sql, want) => expect(dmlTarget(sql)).toEqual(want));
});

describe('columnBytes: index width per column (for "covering when cheap")', () => {
  it.each([
    ['int', null, null, 4], ['bigint', null, null, 8], ['datetime', null, null, 5], ['decimal', null, 10, 6],
    ['varchar', 128, null, 130], ['char', 8, null, 10], ['text', 65535, null, Infinity], ['json', null, null, Infinity],
  ])('%s', (type, octets, precision, want) => expect(columnBytes(type as string, octets, precision)).toBe(want));
});
