import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/analyze/fingerprint.js';
import type { WorkloadSummary } from '../../src/analyze/types.js';
import { loadWorkload } from '../../src/analyze/workload/index.js';
import { ptDigest, ptFingerprints, type PtClass } from './digest-pt.js';

const fixture = (name: string) => new URL(`../../fixtures/slowlogs/${name}`, import.meta.url).pathname;

/** Same ids, counts, total / max / p95 time (pt prints 6 decimals). */
function expectSameClasses(ours: WorkloadSummary, pt: Map<string, PtClass>): void {
  expect(ours.classes.map((c) => c.id).sort()).toEqual([...pt.keys()].sort());
  for (const c of ours.classes) {
    const p = pt.get(c.id)!;
    expect({ id: c.id, fp: c.fingerprint, count: c.count }).toEqual({ id: p.id, fp: p.fingerprint, count: p.count });
    expect(Math.abs(c.totalTime - p.sum)).toBeLessThan(1e-6);
    expect(Math.abs(c.maxTime - p.max)).toBeLessThan(1e-6);
    expect(Math.abs(c.p95Time - p.p95)).toBeLessThan(1e-6);
  }
}

describe('classes equal the real pt-query-digest on the fixtures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-ptcmp-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('MySQL 8 log (also with pt default fingerprints, numbers in names replaced)', async () => {
    const file = fixture('mysql-8.0-shop.log');
    expectSameClasses(await loadWorkload({ kind: 'slow-log', file }), await ptDigest(file));
    const replaced = await loadWorkload({ kind: 'slow-log', file }, { embeddedNumbers: 'replace' });
    const pt = await ptDigest(file, { preserveEmbeddedNumbers: false });
    expectSameClasses(replaced, pt);
    expect(replaced.classes.length).toBe(14); // sessions_2025 and sessions_2026 merge into sessions_?
  });

  it('captured MariaDB log, once pt can see the restart banner (pt only knows "…mysqld, Version")', async () => {
    const raw = await readFile(fixture('mariadb-10.11-shop.log'), 'latin1');
    const file = path.join(dir, 'banner-spelled-for-pt.log');
    await writeFile(file, raw.replace(/^mariadbd, Version/gm, '/usr/sbin/mysqld, Version'), 'latin1');
    const ours = await loadWorkload({ kind: 'slow-log', file: fixture('mariadb-10.11-shop.log') });
    expectSameClasses(ours, await ptDigest(file));
    expect(ours.events).toBe(238);
  });

  it('on the raw MariaDB log pt glues the statement before the restart to the next entry; we do not', async () => {
    const pt = await ptDigest(fixture('mariadb-10.11-shop.log'));
    const glued = [...pt.values()].filter((c) => c.fingerprint.includes('mariadbd, version'));
    expect(glued.map((c) => c.fingerprint.slice(0, 40))).toEqual(['grant all on shop.* to ?@?; mariadbd, ve']);
    expect([...pt.values()].reduce((n, c) => n + c.count, 0)).toBe(237);
  });

  it('the .gz fixture gives the same classes as pt on the uncompressed file', async () => {
    const raw = await readFile(fixture('mariadb-10.11-shop.log'), 'latin1');
    const file = path.join(dir, 'for-pt.log');
    await writeFile(file, raw.replace(/^mariadbd, Version/gm, '/usr/sbin/mysqld, Version'), 'latin1');
    expectSameClasses(await loadWorkload({ kind: 'slow-log', file: fixture('mariadb-10.11-shop.log.gz') }), await ptDigest(file));
  });

  it('messy log: every class pt gets right is ours too; pt glues what we count as malformed', async () => {
    const ours = await loadWorkload({ kind: 'slow-log', file: fixture('mariadb-10.11-messy.log') });
    const pt = await ptDigest(fixture('mariadb-10.11-messy.log'));
    const damaged = (fp: string) => fp === '' || fp.includes('set timestamp=') || fp.includes('mariadbd, version') || fp.endsWith('in (?, ?, ?');
    const ptGood = [...pt.values()].filter((c) => !damaged(c.fingerprint));
    const oursById = new Map(ours.classes.map((c) => [c.id, c]));
    // pt swallowed two of the three e-mail lookups into glued events (after the truncated UPDATE and the banner).
    const emailId = ours.classes.find((c) => c.fingerprint === 'select * from customers where email = ?')!.id;
    for (const p of ptGood) expect([p.fingerprint, oursById.get(p.id)?.count]).toEqual([p.fingerprint, p.count + (p.id === emailId ? 2 : 0)]);
    expect(ours.classes.length).toBe(ptGood.length + (pt.has(emailId) ? 0 : 1));
    expect([...pt.values()].filter((c) => damaged(c.fingerprint))).toHaveLength(4);
  });
});

describe("fingerprint equals pt's QueryRewriter::fingerprint on generated statements", () => {
  // Deterministic generator of awkward SQL: quotes of both kinds, escapes, comments, numbers in all
  // spellings, IN/VALUES lists, LIMIT forms, ORDER BY … ASC, UNION, NULL/TRUE, non-ASCII bytes.
  const atoms = ['SELECT', 'select', 'FROM', 't1', 'tbl_2', 'a', 'b', 'x', 'db1.t2', "'str'", "'it''s'", '"dq"', "'a\\'b'", '\\', "'", '"',
    '1', '-1', '+2', '1.5', '1e-5', '0x1F', "X'ff'", "b'01'", 'true', 'FALSE', 'NULL', 'null1', 'IN', 'in (1,2, 3)', 'IN(?)', '?', 'VALUES (1,2),(3,4)',
    'LIMIT 10', 'limit 5, 10', 'LIMIT 1 OFFSET 2', 'ORDER BY', 'ASC', 'asc', 'DESC', '/* c */', '/*!40101 x */', '/**/', '-- cmt\n', '# hash\n', '\n', '\t', '  ',
    ',', '(', ')', '=', '.', '+', '-', '*', 'UNION', 'UNION ALL', 'select a from b', 'stock+1', 'a-b', 'ab-3', 'col_x', 'bb', '\r\n', '\xe9', '\xc3\xa4', 'now()', 'IS NULL', 'ON DUPLICATE KEY UPDATE', 'c=c+1'];
  const prefixes = ['', ' ', '\n', 'INSERT INTO t (a,b) VALUES ', 'insert ignore into t values ', 'REPLACE INTO x VALUES', 'use ', 'CALL p(', 'SELECT ', 'select * from t where ', 'UPDATE t SET ', '  SELECT a FROM t ORDER BY '];
  function generate(n: number, seed: number): string[] {
    let s = seed;
    const rnd = (k: number) => {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % k;
    };
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      let q = prefixes[rnd(prefixes.length)];
      for (let j = 1 + rnd(14); j > 0; j--) q += (rnd(3) ? ' ' : '') + atoms[rnd(atoms.length)];
      out.push(rnd(4) === 0 ? `${q}\n` : q);
    }
    return out;
  }

  it.each([true, false])('20,000 statements, preserve embedded numbers = %s', async (preserve) => {
    const qs = generate(20_000, preserve ? 1 : 2);
    const pt = await ptFingerprints(qs, { preserveEmbeddedNumbers: preserve });
    const mismatches = qs.filter((q, i) => fingerprint(q, { embeddedNumbers: preserve ? 'keep' : 'replace' }) !== pt[i]);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
