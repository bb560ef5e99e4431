import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, isolatedEnv, oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { loadEcommerce, startMariadb, type TestMariadb } from '../helpers/mariadb.js';

// The real CLI (bin/rdsctl.js as a child process) against a real mariadbd started for this file.
describe('rdsctl analyze-queries (CLI, real MariaDB)', () => {
  let db: TestMariadb;
  let conn: Connection;
  let iso: Awaited<ReturnType<typeof isolatedEnv>>;
  let queries: string;
  const dsn = (name = 'shop') => `mysql://root@localhost/${name}?socket=${encodeURIComponent(db.socketPath)}`;
  const indexCount = async () => {
    const [rows] = await conn.query("SELECT COUNT(DISTINCT TABLE_NAME, INDEX_NAME) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop' AND INDEX_NAME <> 'PRIMARY'");
    return Number((rows as Array<{ n: number }>)[0].n);
  };

  beforeAll(async () => {
    assertBuilt();
    iso = await isolatedEnv();
    db = await startMariadb(['userstat=ON']); // index usage statistics for the unused-index check
    const mysql = await import('mysql2/promise');
    conn = await mysql.createConnection(db.connectOptions());
    await loadEcommerce(conn, 'shop', { foreignKeys: false, scale: 0.2 });
    queries = path.join(iso.dir, 'workload.sql');
    await writeFile(queries, [
      "SELECT id, status, total FROM orders WHERE customer_id = 42 ORDER BY created_at DESC LIMIT 10;",
      "SELECT id, name FROM customers WHERE email = 'user7@example.com';",
      'SELECT * FROM no_such_table WHERE id = 1;',
      "SELECT id FROM customers WHERE LOWER(email) = 'user7@example.com' OR phone = 4910001;",
    ].join('\n'));
  });

  afterAll(async () => {
    await conn?.end();
    await db?.stop();
    await iso?.cleanup();
  });

  it('--json: one document; a statement that fails to EXPLAIN is reported with the server error and the rest goes on', async () => {
    const r = await runRdsctl(['analyze-queries', '--dsn', dsn(), '--queries', queries, '--json'], iso.env);
    expect(r.code).toBe(0);
    const doc = oneJsonDoc(r.stdout);
    expect(doc).toMatchObject({ ok: true, command: 'analyze-queries' });
    const qs = doc.data.queries as Array<{ sample: string; explainError?: { errno: number; message: string }; problems: Array<{ kind: string }> }>;
    expect(qs).toHaveLength(4);
    expect(qs.find((q) => q.sample.includes('no_such_table'))!.explainError).toMatchObject({ errno: 1146, message: expect.stringMatching(/doesn't exist/) });
    const nonSargable = qs.find((q) => q.sample.includes('LOWER'))!.problems.map((p) => p.kind);
    expect(nonSargable).toEqual(expect.arrayContaining(['non-sargable', 'or-across-columns', 'full-table-scan']));
    expect(doc.data.recommendations.map((x: { columns: string[] }) => x.columns[0]).sort()).toEqual(['customer_id', 'email']);
    expect(doc.data.validation.mode).toBe('off');
  });

  it('human report on stdout, progress on stderr; --ddl-out writes the DDL; nothing is built', async () => {
    const out = path.join(iso.dir, 'indexes.sql');
    const r = await runRdsctl(['analyze-queries', '--dsn', dsn(), '--queries', queries, '--ddl-out', out], iso.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Problem queries/);
    expect(r.stdout).toMatch(/EXPLAIN failed: .*no_such_table/);
    expect(r.stderr).toMatch(/connecting to mysql:\/\/root@localhost\/shop/);
    const ddl = await readFile(out, 'utf8');
    expect(ddl).toMatch(/^ALTER TABLE `shop`.`orders` ADD INDEX `ix_orders_customer_id_created_at` \(`customer_id`,`created_at`\), ALGORITHM=INPLACE, LOCK=NONE;$/m);
    expect(await indexCount()).toBe(0);
  });

  it('--apply without a terminal needs --yes and changes nothing; with --yes it builds the indexes', async () => {
    const refused = await runRdsctl(['analyze-queries', '--dsn', dsn(), '--queries', queries, '--apply'], iso.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(await indexCount()).toBe(0);
    const applied = await runRdsctl(['analyze-queries', '--dsn', dsn(), '--queries', queries, '--apply', '--yes', '--json'], iso.env);
    expect(applied.code).toBe(0);
    expect(oneJsonDoc(applied.stdout).data.applied.every((a: { ok: boolean }) => a.ok)).toBe(true);
    expect(await indexCount()).toBe(2);
  });

  it.each([
    ['a DSN that is not a URL', ['--dsn', 'not a url', '--queries', 'x.sql'], 2, /DSN is not a URL/],
    ['no workload source', ['--dsn', 'mysql://u@127.0.0.1:1/db'], 2, /Name the workload/],
    ['--validate without a copy for a DSN', ['--queries', 'Q', '--validate'], 2, /never on the analyzed server/],
    ['--validate-on the analyzed database itself', ['--queries', 'Q', '--validate-on', 'SELF'], 2, /points at the analyzed database itself/],
  ])('%s → usage error with a clear message', async (_n, args, code, message) => {
    const fixed = args.map((a) => (a === 'Q' ? queries : a === 'SELF' ? dsn() : a));
    const withDsn = fixed.includes('--dsn') ? fixed : ['--dsn', dsn(), ...fixed];
    const r = await runRdsctl(['analyze-queries', ...withDsn], iso.env);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it('redundant indexes by pt-duplicate-key-checker rules, and unused ones from userstat with the uptime caveat', async () => {
    await loadEcommerce(conn, 'legacy', { foreignKeys: true, scale: 0.1 });
    await conn.query('USE legacy');
    // ix_cust replaces the FK's implicit index (InnoDB drops that one when another index can serve the FK).
    await conn.query('ALTER TABLE orders ADD INDEX ix_cust (customer_id), ADD INDEX ix_status (status), ADD INDEX ix_status_created (status, created_at), ADD INDEX ix_dup_a (status, created_at), ADD INDEX ix_total_id (total, id)');
    await conn.query('ANALYZE TABLE orders');
    const sql = "SELECT id FROM orders WHERE status = 'paid' AND created_at >= '2026-11-01 00:00:00'";
    await conn.query(sql); // a real read, so userstat records ix_status_created as used
    const file = path.join(iso.dir, 'legacy.sql');
    await writeFile(file, `${sql};\n`);
    const r = await runRdsctl(['analyze-queries', '--dsn', dsn('legacy'), '--queries', file, '--json'], iso.env);
    expect(r.code, r.stderr).toBe(0);
    const data = oneJsonDoc(r.stdout).data;
    const redundant = data.redundant.filter((x: { table: string }) => x.table === 'orders').map((x: { index: string; kind: string; coveredBy?: string }) => [x.index, x.kind, x.coveredBy]);
    expect(redundant).toEqual([['ix_status', 'left-prefix', 'ix_dup_a'], ['ix_status_created', 'duplicate', 'ix_dup_a'], ['ix_total_id', 'pk-suffix', undefined]]);
    expect(data.redundant.find((x: { index: string }) => x.index === 'ix_status').hideDdl).toBe('ALTER TABLE `legacy`.`orders` ALTER INDEX `ix_status` IGNORED;');
    expect(data.usage.source).toBe('information_schema.INDEX_STATISTICS');
    const unused = data.unused.map((x: { index: string }) => x.index);
    expect(unused).toEqual(expect.arrayContaining(['ix_status', 'ix_total_id']));
    expect(unused).not.toContain('ix_cust'); // the foreign key needs it
    expect(unused.includes('ix_status_created') && unused.includes('ix_dup_a')).toBe(false); // the query read one of them
    expect(data.unused[0].detail).toMatch(/up only 0 h/);
  });

  it('--slow-log: measured rows examined per execution drive the ranking and the "rows examined ≫ rows sent" problem', async () => {
    const log = path.join(db.dir, 'slow.log');
    await conn.query(`SET GLOBAL slow_query_log_file = '${log}'`);
    await conn.query('SET GLOBAL long_query_time = 0');
    await conn.query('SET GLOBAL slow_query_log = ON');
    const mysql = await import('mysql2/promise');
    const app = await mysql.createConnection(db.connectOptions('shop')); // a new session picks up long_query_time = 0
    for (let i = 0; i < 5; i++) await app.query(`SELECT id, total FROM orders WHERE total > ${1990 + i} LIMIT 5`);
    await app.query("SELECT name FROM products WHERE sku = 'SKU-000010'");
    await app.end();
    await conn.query('SET GLOBAL slow_query_log = OFF');
    const r = await runRdsctl(['analyze-queries', '--dsn', dsn(), '--slow-log', log, '--json'], iso.env);
    expect(r.code, r.stderr).toBe(0);
    const data = oneJsonDoc(r.stdout).data;
    expect(data.workload.source).toMatch(/^slow-log:/);
    const totals = data.queries.find((q: { fingerprint: string }) => /from orders where total > \?/.test(q.fingerprint));
    expect(totals.count).toBe(5);
    expect(totals.rowsExamined).toBeGreaterThan(100); // measured by the server, per execution
    expect(totals.problems.find((p: { kind: string }) => p.kind === 'rows-examined-vs-sent').detail).toMatch(/^measured .* rows examined for 5 sent/);
  });

  it('over TCP the password can come from RDSCTL_DB_PASSWORD (never printed); one inside --dsn gets a warning', async () => {
    await conn.query("CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY 'Tcp-Pw-7781'");
    await conn.query("GRANT SELECT, SHOW VIEW ON shop.* TO 'app'@'127.0.0.1'");
    const tcp = `mysql://app@127.0.0.1:${db.port}/shop`;
    const r = await runRdsctl(['analyze-queries', '--dsn', tcp, '--queries', queries, '--json'], { ...iso.env, RDSCTL_DB_PASSWORD: 'Tcp-Pw-7781' });
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data.server.label).toBe(`mysql://app@127.0.0.1:${db.port}/shop`);
    expect(r.stdout + r.stderr).not.toContain('Tcp-Pw-7781');
    const inline = await runRdsctl(['analyze-queries', '--dsn', `mysql://app:Tcp-Pw-7781@127.0.0.1:${db.port}/shop`, '--queries', queries], iso.env);
    expect(inline.code).toBe(0);
    expect(inline.stderr).toMatch(/warning: the password in --dsn is visible to other users/);
    expect(inline.stdout + inline.stderr).not.toContain('Tcp-Pw-7781');
    const wrong = await runRdsctl(['analyze-queries', '--dsn', tcp, '--queries', queries, '--json'], { ...iso.env, RDSCTL_DB_PASSWORD: 'nope-nope' });
    expect(wrong.code).toBe(3);
    expect(oneJsonDoc(wrong.stdout).error.code).toBe('DB_ACCESS_DENIED');
  });

  it('an unreachable server → exit 7, the password never printed', async () => {
    const net = await import('node:net');
    const port = await new Promise<number>((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); }); });
    const r = await runRdsctl(['analyze-queries', '--dsn', `mysql://admin:S3cretPw9@127.0.0.1:${port}/shop`, '--queries', queries, '--json'], iso.env);
    expect(r.code).toBe(7);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'DB_UNREACHABLE', message: expect.stringMatching(/Cannot connect to mysql:\/\/admin@127.0.0.1/) });
    expect(r.stdout + r.stderr).not.toContain('S3cretPw9');
  });
});
