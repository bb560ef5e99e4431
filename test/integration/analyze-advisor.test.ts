import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { findRedundant } from '../../src/analyze/advisor/redundant.js';
import { catalogKey } from '../../src/analyze/advisor/types.js';
import type { AnalysisReport } from '../../src/analyze/report/types.js';
import type { QueryClass } from '../../src/analyze/types.js';
import { analyzeQueries } from '../../src/services/analyze.js';
import { readCatalog } from '../../src/services/analyze-catalog.js';
import { openSession, parseDsn, type SqlSession } from '../../src/services/analyze-db.js';
import { applyDdl, validationCopy } from '../../src/services/analyze-target.js';
import { ecommerceWorkload, loadEcommerce, startMariadb, type TestMariadb } from '../helpers/mariadb.js';

/** Plain statements → one class each (the workload helper's fingerprinting is not needed here). */
const classesOf = (sqls: string[]): QueryClass[] => sqls.map((sql, i) => ({
  fingerprint: sql, id: `Q${String(i + 1).padStart(2, '0')}`, sample: sql, db: 'shop', count: 1,
  totalTime: 0, avgTime: 0, p95Time: 0, maxTime: 0, rowsExamined: 0, rowsSent: 0 }));

const HANDLER_READS = ['Handler_read_first', 'Handler_read_key', 'Handler_read_last', 'Handler_read_next', 'Handler_read_prev', 'Handler_read_rnd', 'Handler_read_rnd_next'];

async function handlerReads(conn: Connection): Promise<number> {
  const [rows] = await conn.query("SHOW SESSION STATUS LIKE 'Handler_read%'");
  return (rows as Array<{ Variable_name: string; Value: string }>).filter((r) => HANDLER_READS.includes(r.Variable_name)).reduce((s, r) => s + Number(r.Value), 0);
}

/** Rows the server read running every SELECT of the workload once (Handler_read_* deltas, minus SHOW STATUS's own reads). */
async function rowsExamined(conn: Connection, sqls: string[]): Promise<number> {
  const a = await handlerReads(conn);
  const overhead = (await handlerReads(conn)) - a;
  const start = await handlerReads(conn);
  for (const sql of sqls.filter((s) => /^select/i.test(s))) await conn.query(sql);
  return (await handlerReads(conn)) - start - overhead;
}

describe('analyze-queries advisor on a real MariaDB (e-commerce schema without secondary indexes)', () => {
  let db: TestMariadb;
  let conn: Connection;
  let session: SqlSession;
  let report: AnalysisReport;
  let before = 0;
  let sqls: string[] = [];
  const dsn = (name: string) => `mysql://root@localhost/${name}?socket=${encodeURIComponent(db.socketPath)}`;

  beforeAll(async () => {
    db = await startMariadb();
    const mysql = await import('mysql2/promise');
    conn = await mysql.createConnection(db.connectOptions());
    // No FOREIGN KEY constraints: InnoDB would create an index for each, and the point is "no secondary indexes".
    await loadEcommerce(conn, 'shop', { foreignKeys: false });
    await loadEcommerce(conn, 'shop_copy', { foreignKeys: false });
    await conn.query('USE shop');
    for (const t of ['customers', 'products', 'orders', 'order_items', 'carts', 'inventory', 'reviews', 'categories']) await conn.query(`ANALYZE TABLE \`${t}\``);
    sqls = await ecommerceWorkload();
    before = await rowsExamined(conn, sqls);
    session = await openSession(parseDsn(dsn('shop')), { readOnly: true });
    report = await analyzeQueries({
      session, classes: classesOf(sqls), workload: { source: 'fixture', events: sqls.length, malformed: 0 }, defaultDb: 'shop',
      openValidation: (_t, dbs) => validationCopy(dsn('shop_copy'), session, dbs),
    });
  });

  afterAll(async () => {
    await session?.close();
    await conn?.end();
    await db?.stop();
  });

  it('names the problems of the workload queries', () => {
    const q = (n: number) => report.queries.find((x) => x.id === `Q${String(n).padStart(2, '0')}`)!;
    expect(q(1).problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['full-table-scan', 'filesort']));
    expect(q(12).problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['full-table-scan', 'temporary-table']));
    expect(q(15).problems).toEqual([]); // UPDATE by primary key
    expect(report.queries[0].impact).toBeGreaterThanOrEqual(report.queries.at(-1)!.impact);
  });

  it('validates on the copy and reports before/after for the affected queries', () => {
    expect(report.validation).toMatchObject({ mode: 'validate-on', threshold: 0.5 });
    expect(report.recommendations.length).toBeGreaterThan(3);
    for (const r of report.recommendations) {
      expect(r.validation?.kept).toBe(true);
      expect(r.validation!.bestReduction).toBeGreaterThanOrEqual(0.5);
    }
    const q3 = report.queries.find((x) => x.id === 'Q03')!;
    expect(q3.validation!.after.rowsExamined).toBeLessThan(q3.validation!.before.rowsExamined / 10);
    expect(report.ddl.every((d) => /^ALTER TABLE `shop`\.`\w+` ADD INDEX `ix_\w+` \((`\w+`,?)+\), ALGORITHM=INPLACE, LOCK=NONE;$/.test(d))).toBe(true);
  });

  it('left the copy and the analyzed database without new indexes', async () => {
    const [rows] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN ('shop','shop_copy') AND INDEX_NAME <> 'PRIMARY'");
    expect(Number((rows as Array<{ n: number }>)[0].n)).toBe(0);
  });

  it('applying the recommendations cuts the rows the workload examines by at least 10x', async () => {
    const applied = await applyDdl(parseDsn(dsn('shop')), report.ddl);
    expect(applied.filter((a) => !a.ok)).toEqual([]);
    const after = await rowsExamined(conn, sqls);
    expect(before / after).toBeGreaterThanOrEqual(10);
    console.log(`rows examined by the workload: ${before} before, ${after} after (${(before / after).toFixed(1)}x)`);
  });

  it('no recommendation is redundant with another or with an existing index', async () => {
    const catalog = await readCatalog(session, new Set(report.recommendations.map((r) => catalogKey(r.db, r.table))));
    const redundant = [...catalog.values()].flatMap((t) => findRedundant(t, 'mariadb'));
    expect(redundant).toEqual([]);
  });
});
