import { Readable } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdsctlError } from '../../src/core/errors.js';
import { loadWorkload } from '../../src/analyze/workload/index.js';
import { splitStatements } from '../../src/analyze/workload/queries-file.js';

describe('splitStatements', () => {
  it('splits on ; outside quotes, backticks and comments', () => {
    const sql = [
      "SELECT 'a;b' FROM t;",
      'SELECT "x;" AS `we;ird` FROM t -- trailing; comment',
      ';',
      '/* block; comment */ UPDATE t SET a = 1 # hash; comment',
      '  WHERE id = 2;',
      "INSERT INTO t VALUES ('it''s', 'back\\\\slash', 'q\\';')",
    ].join('\n');
    expect(splitStatements(sql).map((s) => [s.sql, s.line])).toEqual([
      ["SELECT 'a;b' FROM t", 1],
      ['SELECT "x;" AS `we;ird` FROM t -- trailing; comment', 2],
      ['UPDATE t SET a = 1 # hash; comment\n  WHERE id = 2', 4],
      ["INSERT INTO t VALUES ('it''s', 'back\\\\slash', 'q\\';')", 6],
    ]);
  });

  it('reads -- weight: N (or # weight: N) right before a statement; default 1', () => {
    const sql = '-- weight: 25\nSELECT * FROM orders WHERE id = 1;\n# the checkout page\n# weight: 2.5\nSELECT 2;\nSELECT 3;\n';
    expect(splitStatements(sql).map((s) => [s.sql, s.weight])).toEqual([
      ['SELECT * FROM orders WHERE id = 1', 25],
      ['SELECT 2', 2.5],
      ['SELECT 3', 1],
    ]);
  });

  it('does not take a weight comment inside a statement as the next statement\'s weight', () => {
    expect(splitStatements('SELECT 1\n-- weight: 9\n;\nSELECT 2;').map((s) => s.weight)).toEqual([1, 1]);
  });

  it.each(['0', '-3', 'lots'])('refuses weight %s with a typed error naming the line', (w) => {
    const run = () => splitStatements(`SELECT 1;\n-- weight: ${w}\nSELECT 2;`, 'q.sql');
    expect(run).toThrow(RdsctlError);
    expect(run).toThrow(/q\.sql line 2: weight must be a positive number/);
  });
});

describe('loadWorkload({ kind: "queries" })', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-queries-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('weights classes and ranks them by executions when there are no timings', async () => {
    const file = path.join(dir, 'w.sql');
    await writeFile(file, "-- weight: 10\nSELECT * FROM orders WHERE id = 1;\n-- weight: 40\nSELECT * FROM customers WHERE email = 'a';\nSELECT * FROM orders WHERE id = 2;\n");
    const s = await loadWorkload({ kind: 'queries', file }, { database: 'shop' });
    expect(s.source).toBe(`queries:${file}`);
    expect([s.events, s.malformed]).toEqual([51, 0]);
    expect(s.classes.map((c) => [c.fingerprint, c.count, c.db])).toEqual([
      ['select * from customers where email = ?', 40, 'shop'],
      ['select * from orders where id = ?', 11, 'shop'],
    ]);
  });

  it('reads stdin for "-"', async () => {
    const stdin = Readable.from([Buffer.from('SELECT 1;\nSELECT 2;')]);
    const s = await loadWorkload({ kind: 'queries', file: '-' }, { stdin });
    expect([s.source, s.events, s.classes.length, s.classes[0].count]).toEqual(['queries:stdin', 2, 1, 2]);
  });

  it('refuses a missing file and a file without statements (exit 2)', async () => {
    await expect(loadWorkload({ kind: 'queries', file: path.join(dir, 'nope.sql') })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', exitCode: 2 });
    const empty = path.join(dir, 'empty.sql');
    await writeFile(empty, '-- only a comment\n');
    await expect(loadWorkload({ kind: 'queries', file: empty })).rejects.toMatchObject({ code: 'NO_QUERIES', exitCode: 2 });
  });
});
