import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { ecommerceWorkload, loadEcommerce } from '../helpers/mariadb.js';

// `rdsctl provision shop --db-name shop`, then `analyze-queries shop` without --database: every statement
// used to fail with "No database selected" and the command still exited 0.
describe('analyze-queries <instance-id> without --database uses the instance’s DBName', () => {
  let home: string;
  let conn: mysql.Connection;
  let workload: string;
  const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: home } });

  beforeAll(async () => {
    home = await tempHome();
    const p = await cli(['provision', 'shop', '--db-name', 'shop', '--manage-master-password', '--class', 'db.t4g.micro', '--json']);
    if (p.code !== 0) throw new Error(`provision failed: ${p.stderr}${p.stdout}`);
    const c = (await cli(['credentials', 'shop', '--json'])).json.data;
    conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password,
      ssl: { ca: await readFile(c.caFile), verifyIdentity: true }, multipleStatements: true });
    await conn.query('DROP DATABASE shop'); // the fixture loader creates it with the store's tables
    await loadEcommerce(conn, 'shop', { foreignKeys: false, scale: 0.1 });
    workload = path.join(home, 'workload.sql');
    await writeFile(workload, (await ecommerceWorkload()).map((s) => `${s};`).join('\n'));
  });

  afterAll(async () => {
    await conn?.end();
    if (home) expect(await cleanupHome(home)).toEqual([]);
  });

  it('EXPLAINs every statement in shop and says so in the server label', async () => {
    const r = await cli(['analyze-queries', 'shop', '--queries', workload, '--no-validate', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const data = r.json.data;
    expect(data.server.label).toMatch(/\/shop \(shop\)$/);
    expect(data.queries.filter((q: { explainError?: unknown }) => q.explainError)).toEqual([]);
    expect(data.queries.every((q: { db?: string; plan?: unknown }) => q.db === 'shop' && q.plan)).toBe(true);
    expect(data.recommendations.length).toBeGreaterThan(2);
  });

  it('--database still wins: a database without the tables fails most statements, with exit 6 and the reason', async () => {
    await conn.query('CREATE DATABASE other');
    const r = await cli(['analyze-queries', 'shop', '--database', 'other', '--queries', workload, '--no-validate']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^error: \d+ of 16 statements failed: Table 'other\.\w+' doesn't exist\.$/m);
    expect(r.stdout).toMatch(/EXPLAIN failed: Table 'other\.\w+' doesn't exist \(errno 1146\)/);
  });
});
