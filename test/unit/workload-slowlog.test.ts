import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkload } from '../../src/analyze/workload/index.js';

const fixture = (name: string) => new URL(`../../fixtures/slowlogs/${name}`, import.meta.url).pathname;
const load = (file: string) => loadWorkload({ kind: 'slow-log', file });

describe('loadWorkload({ kind: "slow-log" })', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-slowlog-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('summarises the captured MariaDB 10.11 log: 238 entries across a restart, ranked by total time', async () => {
    const s = await load(fixture('mariadb-10.11-shop.log'));
    expect([s.events, s.malformed, s.classes.length]).toEqual([238, 0, 26]);
    const totals = s.classes.map((c) => c.totalTime);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const byEmail = s.classes.find((c) => c.fingerprint === 'select * from customers where email = ?');
    // 8 lookups before the restart (root over the socket) and 8 after (app over TCP, after the banner).
    expect(byEmail).toMatchObject({ count: 16, db: 'shop' });
    expect(byEmail!.sample).toMatch(/^SELECT \* FROM customers WHERE email = 'user\d+@example\.com'$/);
    expect(s.classes.find((c) => c.fingerprint.startsWith('grant all on shop.* to ?@?'))?.count).toBe(1);
  });

  it('streams a .gz log (detected by content) to the same summary as the plain file', async () => {
    const plain = await load(fixture('mariadb-10.11-shop.log'));
    const gz = await load(fixture('mariadb-10.11-shop.log.gz'));
    expect({ ...gz, source: '' }).toEqual({ ...plain, source: '' });
    const renamed = path.join(dir, 'slow-log-without-extension');
    await writeFile(renamed, gzipSync(await (await import('node:fs/promises')).readFile(fixture('mysql-8.0-shop.log'))));
    expect((await load(renamed)).events).toBe(23);
  });

  it('reads the MySQL 8 format: admin commands, per-connection use, numbers in table names', async () => {
    const s = await load(fixture('mysql-8.0-shop.log'));
    expect([s.events, s.malformed, s.classes.length]).toEqual([23, 0, 15]);
    const fps = s.classes.map((c) => c.fingerprint);
    expect(fps).toEqual(expect.arrayContaining(['administrator command: Quit', 'administrator command: Ping', 'select id from sessions_2025 where token = ? limit ?', 'select id from sessions_2026 where token = ? limit ?']));
    expect(s.classes[0]).toMatchObject({ count: 2, db: 'analytics', maxTime: 1.204411, rowsExamined: 500000, rowsSent: 8 });
    expect(s.classes.find((c) => c.fingerprint.startsWith('select id from sessions_2026'))?.db).toBeUndefined();
  });

  it('skips and counts every damaged entry of the messy log, keeping the rest', async () => {
    const s = await load(fixture('mariadb-10.11-messy.log'));
    // Malformed: stray line at the top, header block without statement, statement cut before its ;,
    // Query_time "not-a-number", statement truncated at end of file. (The "####" line is a comment.)
    expect([s.events, s.malformed]).toEqual([12, 5]);
    expect(Object.fromEntries(s.classes.map((c) => [c.fingerprint, c.count]))).toEqual({
      'select * from customers where email = ?': 3,
      'update orders set status = ? where id = ?': 2,
      'insert into order_items (order_id, product_id, qty, price) values(?+)': 1,
      'update products set stock = stock - ? where id = ? and stock > ?': 1,
      'select * from shop.customers where id = ?': 1,
      'select id, title, price from products where category_id = ? order by price desc limit ?': 2,
      'select @@version_comment limit ?': 1,
      'select ?': 1,
    });
  });

  it('reads lines across 1 MB read chunks, including one 5 MB statement', async () => {
    const entry = (i: number, sql: string) => `# Time: 2026-11-20T10:00:01.000000Z\n# User@Host: app[app] @  [10.0.0.5]  Id: ${i % 7}\n# Query_time: 0.00${i % 10}100  Lock_time: 0.000001 Rows_sent: 1  Rows_examined: ${i}\nSET timestamp=1795687201;\n${sql};\n`;
    const rows = Array.from({ length: 200_000 }, (_, i) => `(${i}, 'name ${i}')`).join(',');
    let text = '';
    for (let i = 0; i < 10_000; i++) text += entry(i, i === 5000 ? `INSERT INTO big (id, name) VALUES ${rows}` : `SELECT * FROM t${i % 3} WHERE id = ${i}`);
    const file = path.join(dir, 'chunks.log');
    await writeFile(file, text);
    expect(text.length).toBeGreaterThan(5_000_000);
    const s = await load(file);
    expect([s.events, s.malformed]).toEqual([10_000, 0]);
    expect(Object.fromEntries(s.classes.map((c) => [c.fingerprint, c.count]))).toEqual({
      'select * from t0 where id = ?': 3334, 'select * from t1 where id = ?': 3333, 'select * from t2 where id = ?': 3332, // i = 5000 is the INSERT
      'insert into big (id, name) values(?+)': 1,
    });
    expect(s.classes.find((c) => c.fingerprint.startsWith('insert'))!.sample).toHaveLength(`INSERT INTO big (id, name) VALUES ${rows}`.length);
  });

  it('refuses a file that is not a slow log (exit 2, with a hint)', async () => {
    const err = await load(fixture('not-a-slow-log.csv')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MALFORMED_SLOW_LOG', exitCode: 2 });
    expect((err as { hint?: string }).hint).toMatch(/slow_query_log_file/);
  });

  it('refuses a missing file and a corrupt .gz (exit 2); an empty file is an empty workload', async () => {
    await expect(load(path.join(dir, 'missing.log'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', exitCode: 2 });
    await expect(load(dir)).rejects.toMatchObject({ code: 'FILE_IS_DIRECTORY', exitCode: 2 });
    const bad = path.join(dir, 'bad.gz');
    await writeFile(bad, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('definitely not deflate data')]));
    await expect(load(bad)).rejects.toMatchObject({ code: 'MALFORMED_SLOW_LOG', exitCode: 2 });
    const empty = path.join(dir, 'empty.log');
    await writeFile(empty, '');
    expect(await load(empty)).toMatchObject({ events: 0, malformed: 0, classes: [] });
  });
});
