import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintId } from '../../src/analyze/fingerprint.js';

// Expected values are pt-query-digest 3.2.1's own output (QueryRewriter::fingerprint with
// --preserve-embedded-numbers), captured once; test/integration/digest-pt.test.ts re-checks against the
// live tool on thousands of generated statements.
const CASES: Array<[string, string, string]> = [
  ["literal number", "SELECT * FROM orders WHERE id = 42", "select * from orders where id = ?"],
  ["single-quoted string", "select * from customers where email = 'ann@example.com'", "select * from customers where email = ?"],
  ["double-quoted string", "SELECT * FROM customers WHERE email = \"bob@example.com\"", "select * from customers where email = ?"],
  ["whitespace collapsed", "SELECT  *\n  FROM orders\n\tWHERE id=1", "select * from orders where id=?"],
  ["IN list", "SELECT * FROM products WHERE id IN (1, 2, 3)", "select * from products where id in(?+)"],
  ["IN list, other length", "SELECT * FROM products WHERE id IN (10,11,12,13,14,15,16)", "select * from products where id in(?+)"],
  ["multi-row VALUES", "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')", "insert into t (a, b) values(?+)"],
  ["single-row VALUES", "INSERT INTO t (a, b) VALUES (1, 'x')", "insert into t (a, b) values(?+)"],
  ["on duplicate key", "INSERT INTO s (p, q) VALUES (5, 10) ON DUPLICATE KEY UPDATE q = q + VALUES(q)", "insert into s (p, q) values(?+) on duplicate key update q = q + values(q)"],
  ["block comment stripped", "/* app:checkout */ SELECT 1 FROM dual", "select ? from dual"],
  ["line comment stripped", "SELECT a FROM t WHERE b = 1 -- trailing\n", "select a from t where b = ? "],
  ["version comment kept", "SELECT a FROM t /*!40001 SQL_NO_CACHE */ WHERE b = 2", "select a from t /*!? sql_no_cache */ where b = ?"],
  ["numbers in identifiers kept, LIMIT", "SELECT * FROM t1 JOIN db2.t3 ON t1.a = t3.b LIMIT 10", "select * from t1 join db2.t3 on t1.a = t3.b limit ?"],
  ["LIMIT offset, count", "SELECT * FROM t LIMIT 10, 20", "select * from t limit ?"],
  ["LIMIT OFFSET", "SELECT * FROM t LIMIT 10 OFFSET 20", "select * from t limit ?"],
  ["NULL and booleans", "SELECT * FROM t WHERE a IS NULL AND b = TRUE OR c = false", "select * from t where a is ? and b = ? or c = ?"],
  ["signed, exponent, hex", "SELECT * FROM t WHERE a = -5 AND b = 1.5e-3 AND c = 0x1F", "select * from t where a = ? and b = ? and c = ?f"],
  ["hex and bit strings", "SELECT * FROM t WHERE a = X'ff' AND b = b'0101'", "select * from t where a = x? and b = ?"],
  ["escaped quote", "SELECT * FROM t WHERE a = 'it\\'s' AND b = 'x'", "select * from t where a = ? and b = ?"],
  ["spaced minus kept", "UPDATE products SET stock = stock - 1 WHERE id = 5", "update products set stock = stock - ? where id = ?"],
  ["pt quirk: stock+1 → stock?", "UPDATE products SET stock = stock+1 WHERE id = 5", "update products set stock = stock? where id = ?"],
  ["ORDER BY ASC dropped", "SELECT a FROM t ORDER BY a ASC, b DESC, c ASC", "select a from t order by a, b desc, c"],
  ["UNION collapsed", "SELECT a FROM t1 WHERE b = 1 UNION SELECT a FROM t1 WHERE b = 2 UNION ALL SELECT a FROM t1 WHERE b = 3", "select a from t1 where b = ? /*repeat union all*/"],
  ["CALL", "CALL refresh_stats(42, 'daily')", "call refresh_stats"],
  ["use", "use shop", "use ?"],
  ["use with backticks", "USE `shop`", "use ?"],
  ["administrator command kept as is", "administrator command: Quit", "administrator command: Quit"],
  ["mysqldump", "SELECT /*!40001 SQL_NO_CACHE */ * FROM `orders`", "mysqldump"],
  ["placeholders stay", "SELECT * FROM t WHERE id = ?", "select * from t where id = ?"],
  ["REPLACE multi-row", "REPLACE INTO t VALUES (1,'a'),(2,'b')", "replace into t values(?+)"],
  ["adjacent strings", "SELECT 'a' 'b', \"c\"", "select ? ?, ?"],
  ["lower-cased", "SELECT COUNT(*) FROM Orders WHERE Status = 'NEW'", "select count(*) from orders where status = ?"],
];

describe('fingerprint (pt-query-digest compatible)', () => {
  it.each(CASES)('%s', (_name, sql, expected) => {
    expect(fingerprint(sql)).toBe(expected);
  });

  it("replaces numbers inside identifiers only with embeddedNumbers: 'replace' (pt's default)", () => {
    const sql = 'SELECT * FROM sessions_2026 JOIN db1.t2 USING (id) WHERE id = 3';
    expect(fingerprint(sql)).toBe('select * from sessions_2026 join db1.t2 using (id) where id = ?');
    expect(fingerprint(sql, { embeddedNumbers: 'replace' })).toBe('select * from sessions_? join d?t? using (id) where id = ?');
  });

  it('gives statements that differ only in literals, spacing and case the same id', () => {
    const a = fingerprint("SELECT * FROM orders WHERE customer_id = 5 AND status IN ('new','paid')");
    const b = fingerprint("select *\n  from ORDERS where customer_id=5 and status in ('x')");
    expect(fingerprintId(a)).not.toBe(fingerprintId(b)); // `=5` vs `= 5` differ, as in pt
    const c = fingerprint("select * from orders where customer_id = 77 and status in ('x', 'y', 'z')");
    expect(fingerprintId(a)).toBe(fingerprintId(c));
  });
});

describe('fingerprintId', () => {
  it("is pt's checksum: md5 of the fingerprint, upper-case, last 16 hex digits", () => {
    const fp = 'select * from customers where email = ?';
    const md5 = createHash('md5').update(fp).digest('hex').toUpperCase();
    expect(fingerprintId(fp)).toBe(md5.slice(16));
    // pt-query-digest --output json printed checksum 72EE32D521FECE247EA7C2F6108CB71C for this class
    // on fixtures/slowlogs/mariadb-10.11-shop.log.
    expect(fingerprintId(fp)).toBe('7EA7C2F6108CB71C');
  });

  it('hashes latin1 byte strings byte for byte (slow logs are read that way)', () => {
    const utf8 = "select * from t where name = 'é' and città = ?";
    const bytes = Buffer.from(utf8, 'utf8').toString('latin1');
    expect(fingerprintId(fingerprint(bytes), 'latin1')).toBe(fingerprintId(fingerprint(utf8), 'utf8'));
  });
});
