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
