import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MASTER_USERNAME } from '../../src/core/identifiers.js';
import { BIN, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { ecommerceWorkload, loadEcommerce } from '../helpers/mariadb.js';

// QA pass on analyze-queries against a real local instance (the sample store, with foreign keys).
describe('analyze-queries QA on the local target', () => {
  let home: string;
  let conn: mysql.Connection;
  let workload: string;
  const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: home } });
  const instances = async () =>
    ((await cli(['list', '--json'])).json.data.DBInstances as Array<{ DBInstanceIdentifier: string }>).map((d) => d.DBInstanceIdentifier);

  beforeAll(async () => {
    home = await tempHome();
    const p = await cli(['provision', 'qa', '--manage-master-password', '--class', 'db.t4g.micro', '--json']);
    if (p.code !== 0) throw new Error(`provision failed: ${p.stderr}${p.stdout}`);
    const c = (await cli(['credentials', 'qa', '--json'])).json.data;
    conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password,
      ssl: { ca: await readFile(c.caFile), verifyIdentity: true }, multipleStatements: true });
    await loadEcommerce(conn, 'shop', { foreignKeys: true, scale: 0.3 });
    // Settled statistics: plans (and so the --top ranking compared across two runs) no longer move between runs.
    await conn.query('ANALYZE TABLE categories, customers, products, orders, order_items, carts, inventory, reviews');
    workload = path.join(home, 'workload.sql');
    await writeFile(workload, (await ecommerceWorkload()).map((s) => `${s};`).join('\n'));
  });

  afterAll(async () => {
    await conn?.end();
    if (home) expect(await cleanupHome(home)).toEqual([]);
  });

  it('before/after is what the recommended set alone gives, and a query lists only indexes its new plan uses', async () => {
    const r = await cli(['analyze-queries', 'qa', '--database', 'shop', '--queries', workload, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json.data;
    type Q = { id: string; recommendations: string[]; validation?: { after: { keys: string[] } } };
    const rejected = new Set((d.rejected as Array<{ name: string }>).map((x) => x.name));
    const validated = (d.queries as Q[]).filter((q) => q.validation);
    expect(validated.length).toBeGreaterThan(3);
    for (const q of validated) {
      // A rejected candidate left on the copy used to lend its gain to the numbers shown for this query.
      expect(q.validation!.after.keys.filter((k) => rejected.has(k)), q.id).toEqual([]);
      for (const name of q.recommendations) expect(q.validation!.after.keys, `${q.id} lists ${name}`).toContain(name);
    }
    for (const rec of d.recommendations as Array<{ name: string; queries: string[]; validation: { usedBy: string[] } }>) {
      expect([...rec.queries].sort(), rec.name).toEqual([...rec.validation.usedBy].sort());
    }
    expect(await instances()).toEqual(['qa']);
  });

  it('a messy workload: DDL and admin statements are skipped (never run), tagged and unknown-table statements handled', async () => {
    const file = path.join(home, 'messy.sql');
    await writeFile(file, [
      'CREATE INDEX ix_x ON orders (status);',
      'DROP TABLE orders;',
      'SET @a = 1;',
      "/* report:daily */ SELECT id FROM customers WHERE email = 'user5@example.com';",
      'SELECT * FROM nosuch_table WHERE x = 1;',
    ].join('\n'));
    const [before] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop'");
    const r = await cli(['analyze-queries', 'qa', '--database', 'shop', '--queries', file, '--no-validate', '--json']);
    expect(r.code, r.stderr).toBe(0);
    type Q = { sample: string; skipped?: string; explainError?: { errno?: number }; problems: Array<{ kind: string }> };
    const qs = r.json.data.queries as Q[];
    const find = (s: string) => qs.find((q) => q.sample.includes(s))!;
    for (const ddl of ['CREATE INDEX', 'DROP TABLE', 'SET @a']) {
      expect(find(ddl), ddl).toMatchObject({ skipped: expect.stringMatching(/nothing to EXPLAIN/), problems: [] });
      expect(find(ddl).explainError, ddl).toBeUndefined();
    }
    expect(find('user5@').problems.map((p) => p.kind)).toContain('full-table-scan');
    expect(find('nosuch_table').explainError).toMatchObject({ errno: 1146 });
    const human = await cli(['analyze-queries', 'qa', '--database', 'shop', '--queries', file, '--no-validate']);
    const flat = human.stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(/3 not queries \(DDL, SET, SHOW …: skipped\)/);
    expect(flat).toMatch(/Problem queries \(2 of 5/);
    const [after] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop'");
    expect(after).toEqual(before);
    // Validation on (the local default) with nothing to validate is not "off (recommendations are estimates)".
    const pk = path.join(home, 'pk.sql');
    await writeFile(pk, 'SELECT id FROM customers WHERE id = 5;');
    const v = await cli(['analyze-queries', 'qa', '--database', 'shop', '--queries', pk, '--json']);
    expect(v.json.data.validation).toMatchObject({ mode: 'off', note: 'no candidate index to validate' });
  });

  it('--top on a .sql file without timings keeps the heaviest statements by plan, not the first fingerprints A–Z', async () => {
    const r = await cli(['analyze-queries', 'qa', '--database', 'shop', '--queries', workload, '--top', '3', '--no-validate', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const all = await cli(['analyze-queries', 'qa', '--database', 'shop', '--queries', workload, '--no-validate', '--json']);
    type Q = { id: string; impact: number };
    const heaviest = (all.json.data.queries as Q[]).sort((a, b) => b.impact - a.impact).slice(0, 3).map((q) => q.impact);
    expect(r.json.data.workload).toMatchObject({ classes: 16, analyzed: 3 });
    expect((r.json.data.queries as Q[]).map((q) => q.impact)).toEqual(heaviest);
    expect((r.json.data.queries as Q[]).every((q) => q.impact > 1000)).toBe(true);
  });

  it('a read-only user: the analysis runs; --apply builds nothing, says why and exits non-zero', async () => {
    await conn.query("CREATE USER 'ro'@'%' IDENTIFIED BY 'Ro-pass-123'; GRANT SELECT ON shop.* TO 'ro'@'%'");
    const url = ((await cli(['connect', 'qa', '--database', 'shop', '--json'])).json.data.url as string).replace(`mysql://${DEFAULT_MASTER_USERNAME}@`, 'mysql://ro@');
    const env = { RDSCTL_HOME: home, RDSCTL_DB_PASSWORD: 'Ro-pass-123' };
    const [before] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop'");
    const r = await runCli(['analyze-queries', '--dsn', url, '--queries', workload, '--apply', '--yes', '--json'], { env });
    expect(r.code, r.stderr).toBe(7);
    expect(r.json.data.recommendations.length).toBeGreaterThan(2);
    expect((r.json.data.applied as Array<{ ok: boolean }>).every((a) => !a.ok)).toBe(true);
    const human = await runCli(['analyze-queries', '--dsn', url, '--queries', workload, '--apply', '--yes'], { env });
    expect(human.code).toBe(7);
    expect(human.stderr).toMatch(/error: \d+ of \d+ index\(es\) could not be built: ALTER command denied/);
    expect(human.stderr).toMatch(/hint: Nothing was built/);
    const [after] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop'");
    expect(after).toEqual(before);
  });

  it('a run that fails midway (the table copy) still deletes the temporary instance', async () => {
    const bin = path.join(home, 'failing-bin');
    await mkdir(bin);
    await writeFile(path.join(bin, 'mariadb-dump'), '#!/bin/sh\necho "mariadb-dump: Got error: 2013: Lost connection (simulated)" >&2\nexit 2\n', { mode: 0o755 });
    const r = await runCli(['analyze-queries', 'qa', '--database', 'shop', '--queries', workload, '--json'],
      { env: { RDSCTL_HOME: home, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code).toBe(7);
    expect(r.json.error).toMatchObject({ code: 'CLONE_COPY_FAILED', message: expect.stringMatching(/mariadb-dump exited 2.*simulated/) });
    expect(await instances()).toEqual(['qa']);
  });

  it('--apply without --yes and without a terminal is refused before any analysis or temporary instance', async () => {
    const r = await cli(['analyze-queries', 'qa', '--database', 'shop', '--queries', workload, '--apply']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--apply builds indexes on the analyzed server: it needs confirmation/);
    expect(r.stderr).not.toMatch(/explaining|temporary instance/);
    expect(await instances()).toEqual(['qa']);
  });

  it('Ctrl-C while the temporary validation instance exists deletes it before exiting 130', async () => {
    const child = spawn(process.execPath, [BIN, 'analyze-queries', 'qa', '--database', 'shop', '--queries', workload],
      { env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        // Interrupt as soon as the temporary instance is being created (the CLI's default handler exits on the spot).
        if (/creating temporary instance/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(stderr).toMatch(/creating temporary instance whatif-qa-/);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/deleting temporary instance whatif-qa-/);
    expect(await instances()).toEqual(['qa']);
  });
});
