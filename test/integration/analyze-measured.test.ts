import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/analyze/report/render.js';
import type { AnalysisReport, PlanDelta } from '../../src/analyze/report/types.js';
import type { QueryClass } from '../../src/analyze/types.js';
import { analyzeQueries } from '../../src/services/analyze.js';
import { openSession, parseDsn, type SqlSession } from '../../src/services/analyze-db.js';
import { measureRead } from '../../src/services/analyze-measure.js';
import { validationCopy } from '../../src/services/analyze-target.js';
import { assertBuilt, isolatedEnv, oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { startMariadb, type TestMariadb } from '../helpers/mariadb.js';

// A store's product table at a realistic size (60k products in 900 categories, the first 600 still drafts)
// and a sales table, on a real mariadbd; `store_copy` is the validation copy. EXPLAIN's row estimates
// ignore LIMIT, so only what the copy measures shows what an index does for a listing page.
const LISTING = "SELECT id, sku, name, price FROM products WHERE category_id = 7 AND status = 'active' ORDER BY created_at DESC LIMIT 24";
const DRAFTS = "SELECT id, sku, name FROM products WHERE status = 'draft' LIMIT 24";
const REPRICE = "UPDATE products SET price = price + 1 WHERE sku = 'SKU-00012345'";
const SOLD = 'SELECT COUNT(*) FROM sales s JOIN products p ON p.sku = s.sku WHERE s.qty > 3';
// A read that writes through a stored function: running it on the copy must not change the copy.
const TOUCHING = "SELECT id, touch() AS t FROM products WHERE category_id = 8 AND status = 'active' ORDER BY created_at DESC LIMIT 5";
const IX_LISTING = 'ix_products_category_id_status_created_at';

const SCHEMA = [
  `CREATE TABLE products (id INT UNSIGNED NOT NULL AUTO_INCREMENT, sku VARCHAR(32) NOT NULL, category_id INT UNSIGNED NOT NULL,
    name VARCHAR(120) NOT NULL, price DECIMAL(10,2) NOT NULL, status VARCHAR(16) NOT NULL, created_at DATETIME NOT NULL,
    PRIMARY KEY (id), KEY category_id (category_id)) ENGINE=InnoDB`,
  // Seeded RAND: the same rows on every run.
  `INSERT INTO products SELECT seq, CONCAT('SKU-', LPAD(seq, 8, '0')), 1 + FLOOR(RAND(7) * 900), CONCAT('Product ', seq), 1 + FLOOR(RAND(3) * 50000) / 100,
    IF(seq <= 600, 'draft', IF(RAND(11) < 0.1, 'retired', 'active')), '2024-01-01' + INTERVAL FLOOR(RAND(5) * 900 * 86400) SECOND FROM seq_1_to_60000`,
  'CREATE TABLE sales (id INT UNSIGNED NOT NULL AUTO_INCREMENT, sku VARCHAR(32) NOT NULL, qty SMALLINT UNSIGNED NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB',
  "INSERT INTO sales SELECT seq, CONCAT('SKU-', LPAD(1 + FLOOR(RAND(13) * 60000), 8, '0')), 1 + FLOOR(RAND(17) * 5) FROM seq_1_to_20000",
  'CREATE TABLE touched (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB',
  'CREATE FUNCTION touch() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO touched VALUES (NULL); RETURN 1; END',
  'ANALYZE TABLE products, sales',
];

const classesOf = (sqls: string[]): QueryClass[] => sqls.map((sql, i) => ({ fingerprint: sql, id: `Q${i + 1}`, sample: sql, db: 'store', count: 1,
  totalTime: 0, avgTime: 0, p95Time: 0, maxTime: 0, rowsExamined: 0, rowsSent: 0 }));

describe('analyze-queries decides on what the validation copy measures', () => {
  let db: TestMariadb;
  let conn: Connection;
  let session: SqlSession;
  let report: AnalysisReport;
  let category7 = 0;
  const dsn = (name: string, user = 'root') => `mysql://${user}@localhost/${name}?socket=${encodeURIComponent(db.socketPath)}`;
  const delta = (id: string) => report.queries.find((q) => q.id === id)!.validation as PlanDelta;
  const rec = (name: string) => [...report.recommendations, ...report.rejected].find((r) => r.name === name)!;
  const price = async (schema: string) => {
    const [rows] = await conn.query(`SELECT price FROM \`${schema}\`.products WHERE sku = 'SKU-00012345'`);
    return String((rows as Array<{ price: string }>)[0].price);
  };

  beforeAll(async () => {
    db = await startMariadb();
    const mysql = await import('mysql2/promise');
    conn = await mysql.createConnection(db.connectOptions());
    for (const schema of ['store', 'store_copy']) {
      await conn.query(`CREATE DATABASE ${schema}`);
      await conn.query(`USE ${schema}`);
      for (const sql of SCHEMA) await conn.query(sql);
    }
    await conn.query('CREATE DATABASE empty_copy');
    await conn.query("CREATE USER 'qa'@'localhost' IDENTIFIED BY 'Qa-pass-123'");
    await conn.query("GRANT ALL ON *.* TO 'qa'@'localhost'");
    const [n] = await conn.query('SELECT COUNT(*) AS n FROM store.products WHERE category_id = 7');
    category7 = Number((n as Array<{ n: number }>)[0].n);
    const copyPriceBefore = await price('store_copy');
    session = await openSession(parseDsn(dsn('store')), { readOnly: true });
    report = await analyzeQueries({
      session, classes: classesOf([LISTING, DRAFTS, REPRICE, SOLD]), workload: { source: 'fixture', events: 4, malformed: 0 }, defaultDb: 'store',
      openValidation: (_t, dbs) => validationCopy(dsn('store_copy'), session, dbs), statementTimeoutMs: 1000,
    });
    expect(await price('store_copy')).toBe(copyPriceBefore); // the UPDATE was never run on the copy
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await conn?.end();
    await db?.stop();
  });

  it('the listing-page index: EXPLAIN says −9% (rejected on the estimate), the copy measured every row of the category + a sort → 24 rows, no sort: accepted', () => {
    const d = delta('Q1');
    expect(d.basis).toBe('measured');
    // ref on category_id: one index dive + one read per row of category 7; then the sort and LIMIT 24.
    expect(d.measured!.before).toMatchObject({ rowsRead: category7 + 1, joinBufferRows: 0, filesort: true, keys: ['category_id'] });
    // The new index hands over exactly the 24 newest active rows of the category, in order.
    expect(d.measured!.after).toMatchObject({ rowsRead: 24, joinBufferRows: 0, filesort: false, keys: [IX_LISTING] });
    expect(d.estimatedReduction).toBeLessThan(0.5);
    expect(d.reduction).toBeCloseTo(1 - 24 / (category7 + 1), 5);
    expect(report.recommendations.map((r) => r.name)).toContain(IX_LISTING);
    expect(rec(IX_LISTING).validation).toMatchObject({ kept: true, basis: 'measured', usedBy: ['Q1'] });
    console.log(`listing page: measured ${category7 + 1} → 24 rows read (filesort → none); EXPLAIN ${d.before.rowsExamined} → ${d.after.rowsExamined} (−${Math.round(d.estimatedReduction * 100)}%)`);
  });

  it('the drafts index: EXPLAIN says −99%, the copy measured 24 rows read either way (the scan already stops at LIMIT): rejected', () => {
    expect(report.recommendations.map((r) => r.name)).not.toContain('ix_products_status');
    expect(rec('ix_products_status').validation).toMatchObject({ kept: false, basis: 'measured', usedBy: ['Q2'],
      note: expect.stringMatching(/^used, but cuts rows read by only 0% \(threshold 50%; 24 → 24 rows read measured; EXPLAIN estimated −99%\)$/) });
    // What is shown for the query is what the recommended set alone gives: the full scan that stops after 24 rows.
    expect(delta('Q2')).toMatchObject({ basis: 'measured', after: { keys: [] }, measured: { before: { rowsRead: 24 }, after: { rowsRead: 24 } } });
  });

  it('the UPDATE is judged by EXPLAIN only (never run on the copy), and its index still gets built there and validated', () => {
    expect(delta('Q3')).toMatchObject({ basis: 'estimated', estimateReason: 'a write: never run on the copy' });
    expect(rec('ix_products_sku_price').validation).toMatchObject({ kept: true, basis: 'estimated' });
  });

  // (The analyzed server's READ ONLY session already refuses even to EXPLAIN it: errno 1792.)
  it('on the copy, a read that writes through a function is refused by the READ ONLY session it runs in: nothing written', async () => {
    const copy = await openSession(parseDsn(dsn('store_copy')));
    try {
      const m = await measureRead(copy, 'store_copy', TOUCHING);
      expect(m).toEqual({ notMeasured: expect.stringMatching(/^could not be run on the copy: Cannot execute statement in a READ ONLY transaction/) });
      const [rows] = await conn.query('SELECT COUNT(*) AS n FROM store_copy.touched');
      expect(Number((rows as Array<{ n: number }>)[0].n)).toBe(0);
      // The session is usable afterwards (switched back to READ WRITE): an index can still be built there.
      await copy.query('ALTER TABLE store_copy.touched ADD INDEX ix_probe (id)');
      await copy.query('ALTER TABLE store_copy.touched DROP INDEX ix_probe');
    } finally {
      await copy.close();
    }
  });

  it('a read that hits the per-statement time limit is reported as timed out and falls back to the estimate', () => {
    const d = delta('Q4');
    expect(d.measured!.before.timedOut).toBe(true);
    expect(d.measured!.before.ms).toBeLessThan(5000);
    expect(d).toMatchObject({ basis: 'estimated', estimateReason: expect.stringMatching(/^timed out on the copy after \d+ ms without the indexes \(with them it took \d+ ms\)$/) });
    expect(report.validation).toMatchObject({ measured: 2, estimated: 2, timedOut: 1, statementTimeoutMs: 1000 });
  });

  it('the terminal report says which figure is measured and which is estimated', () => {
    const text = renderReport(report).replace(/\s+/g, ' ');
    expect(text).toContain(`before/after (measured on the copy): ${category7 + 1} → 24 rows read (−${Math.round((1 - 24 / (category7 + 1)) * 100)}%), filesort → no sort`);
    expect(text).toMatch(/EXPLAIN estimated ~\d+ → ~\d+ rows examined \(−\d+%\)/);
    expect(text).toContain('not measured: a write: never run on the copy (judged by the EXPLAIN estimate)');
    expect(text).toMatch(/not measured: timed out on the copy after \d+ ms without the indexes/);
    expect(text).toMatch(/2 queries measured on the copy, 2 estimated by EXPLAIN \(writes are never run\) · 1 measurement timed out \(1 s per statement\)/);
  });

  it('left no index on the copy', async () => {
    const [rows] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'store_copy' AND INDEX_NAME NOT IN ('PRIMARY', 'category_id')");
    expect(Number((rows as Array<{ n: number }>)[0].n)).toBe(0);
  });

  describe('the CLI', () => {
    let iso: Awaited<ReturnType<typeof isolatedEnv>>;
    let file: string;
    const env = () => ({ ...iso.env, RDSCTL_DB_PASSWORD: 'Qa-pass-123' });

    beforeAll(async () => {
      assertBuilt();
      iso = await isolatedEnv();
      file = path.join(iso.dir, 'workload.sql');
      await writeFile(file, `${[LISTING, DRAFTS, 'SELEC oops'].join(';\n')};\n`);
    });
    afterAll(async () => iso?.cleanup());

    it('--validate-on without a password in the DSN takes RDSCTL_DB_PASSWORD, like --dsn; a typo is a syntax error, not "not a query"', async () => {
      const r = await runRdsctl(['analyze-queries', '--dsn', dsn('store', 'qa'), '--validate-on', dsn('store_copy', 'qa'), '--queries', file, '--json'], env());
      expect(r.code, r.stderr).toBe(0);
      const data = oneJsonDoc(r.stdout).data;
      expect(data.validation).toMatchObject({ mode: 'validate-on', measured: 2 });
      expect(data.recommendations.map((x: { name: string }) => x.name)).toEqual([IX_LISTING]);
      const typo = data.queries.find((q: { sample: string }) => q.sample === 'SELEC oops');
      expect(typo.skipped).toBeUndefined();
      expect(typo.explainError).toMatchObject({ errno: 1064, message: expect.stringMatching(/near 'SELEC oops'/) });
      const human = await runRdsctl(['analyze-queries', '--dsn', dsn('store', 'qa'), '--no-validate', '--queries', file], env());
      expect(human.stdout.replace(/\s+/g, ' ')).toMatch(/SELEC oops syntax error \(parse failure\): You have an error in your SQL syntax.*\(errno 1064\)/);
      expect(human.stdout).not.toMatch(/not queries/);
      expect(r.stdout + r.stderr + human.stdout + human.stderr).not.toContain('Qa-pass-123');
    });

    it('a copy that holds none of the tables is refused (exit 2), and nothing is built there', async () => {
      const r = await runRdsctl(['analyze-queries', '--dsn', dsn('store', 'qa'), '--validate-on', dsn('empty_copy', 'qa'), '--queries', file], env());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/error: The validation copy mysql:\/\/qa@localhost\/empty_copy\S* has none of the tables the workload reads \(store\.products\)\./);
      expect(r.stderr).toMatch(/hint: Point --validate-on at a database holding a copy of them/);
      const [rows] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'empty_copy'");
      expect(Number((rows as Array<{ n: number }>)[0].n)).toBe(0);
    });

    it('without a default database every statement fails: the report is out, and the exit code (6) says why', async () => {
      const noDb = `mysql://qa@localhost/?socket=${encodeURIComponent(db.socketPath)}`;
      const json = await runRdsctl(['analyze-queries', '--dsn', noDb, '--queries', file, '--json'], env());
      expect(json.code).toBe(6);
      const doc = oneJsonDoc(json.stdout);
      expect(doc.data.failure).toMatchObject({ failed: 3, analyzed: 3, reason: '3 of 3 statements failed: No database selected — pass --database <db>' });
      const human = await runRdsctl(['analyze-queries', '--dsn', noDb, '--queries', file], env());
      expect(human.code).toBe(6);
      expect(human.stdout).toMatch(/Problem queries/);
      expect(human.stderr).toMatch(/^error: 3 of 3 statements failed: No database selected — pass --database <db>\.$/m);
      expect(human.stderr).toMatch(/^hint: Pass --database <db> \(or a database in the DSN\)/m);
      const ok = await runRdsctl(['analyze-queries', '--dsn', noDb, '--database', 'store', '--queries', file, '--json'], env());
      expect(ok.code, ok.stderr).toBe(0);
    });
  });
});
