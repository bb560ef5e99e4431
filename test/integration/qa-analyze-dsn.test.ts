import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, isolatedEnv, oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { loadEcommerce, startMariadb, type TestMariadb } from '../helpers/mariadb.js';

// QA on a real mariadbd started for this file, reached with --dsn (no local endpoint involved).
describe('analyze-queries QA over --dsn', () => {
  let db: TestMariadb;
  let conn: Connection;
  let iso: Awaited<ReturnType<typeof isolatedEnv>>;
  const dsn = () => `mysql://root@localhost/shop?socket=${encodeURIComponent(db.socketPath)}`;

  beforeAll(async () => {
    assertBuilt();
    iso = await isolatedEnv();
    db = await startMariadb();
    const mysql = await import('mysql2/promise');
    conn = await mysql.createConnection(db.connectOptions());
    await loadEcommerce(conn, 'shop', { foreignKeys: true, scale: 0.2 });
    // A big enough table in a system schema (as performance_schema's digest table is on a busy server).
    await conn.query('CREATE TABLE mysql.qa_big (id INT PRIMARY KEY, k INT NOT NULL) ENGINE=InnoDB');
    await conn.query('INSERT INTO mysql.qa_big SELECT seq, seq % 1000 FROM seq_1_to_5000');
    await conn.query('ANALYZE TABLE mysql.qa_big');
  });

  afterAll(async () => {
    await conn?.end();
    await db?.stop();
    await iso?.cleanup();
  });

  // A slow log captured with long_query_time=0 holds the DBA's own monitoring queries too: the advisor
  // proposed ix_events_statements_summary_by_digest_count_star on performance_schema.
  it('no index is proposed on the server’s own schemas; the shop’s tables still get theirs', async () => {
    const file = path.join(iso.dir, 'monitoring.sql');
    await writeFile(file, [
      'SELECT DIGEST_TEXT FROM performance_schema.events_statements_summary_by_digest WHERE COUNT_STAR > 100;',
      "SELECT Host FROM mysql.user WHERE User = 'app';",
      'SELECT id FROM mysql.qa_big WHERE k = 5;',
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop';",
      "SELECT id, name FROM customers WHERE email = 'user7@example.com';",
    ].join('\n'));
    const r = await runRdsctl(['analyze-queries', '--dsn', dsn(), '--queries', file, '--json'], iso.env);
    expect(r.code, r.stderr).toBe(0);
    const data = oneJsonDoc(r.stdout).data;
    expect(data.recommendations.map((x: { db: string; table: string }) => `${x.db}.${x.table}`)).toEqual(['shop.customers']);
  });
});
