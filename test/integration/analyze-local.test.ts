import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { ecommerceWorkload, loadEcommerce } from '../helpers/mariadb.js';

// analyze-queries by instance id on the real local endpoint: credentials from the home, TLS verified,
// validation on a temporary instance holding a copy of the tables (default for the local target), then --apply.
describe('rdsctl analyze-queries <instance-id> on the local target', () => {
  let home: string;
  let conn: mysql.Connection;
  let workload: string;
  const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: home } });
  const secondaryIndexes = async () => {
    const [rows] = await conn.query("SELECT COUNT(DISTINCT TABLE_NAME, INDEX_NAME) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop' AND INDEX_NAME <> 'PRIMARY'");
    return Number((rows as Array<{ n: number }>)[0].n);
  };

  const schemas = async () => {
    const [rows] = await conn.query('SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA ORDER BY 1');
    return (rows as Array<{ s: string }>).map((r) => r.s);
  };

  beforeAll(async () => {
    home = await tempHome();
    const p = await cli(['provision', 'store', '--manage-master-password', '--class', 'db.t4g.micro', '--json']);
    if (p.code !== 0) throw new Error(`provision failed: ${p.stderr}${p.stdout}`);
    const c = (await cli(['credentials', 'store', '--json'])).json.data;
    conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password,
      ssl: { ca: await readFile(c.caFile), verifyIdentity: true }, multipleStatements: true });
    await loadEcommerce(conn, 'shop', { foreignKeys: false, scale: 0.3 });
    workload = path.join(home, 'workload.sql');
    await writeFile(workload, (await ecommerceWorkload()).map((s) => `${s};`).join('\n'));
  });

  afterAll(async () => {
    await conn?.end();
    if (home) expect(await cleanupHome(home)).toEqual([]);
  });

  it('validates on a temporary instance by default, then deletes it; the analyzed instance gets nothing', async () => {
    const schemasBefore = await schemas();
    const r = await cli(['analyze-queries', 'store', '--queries', workload, '--database', 'shop', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const data = r.json.data;
    expect(data.validation.mode).toBe('temporary-instance');
    expect(data.validation.target).toMatch(/^temporary instance whatif-store-/);
    expect(data.recommendations.length).toBeGreaterThan(2);
    expect(data.recommendations.every((x: { validation: { kept: boolean } }) => x.validation.kept)).toBe(true);
    expect(data.server.label).toMatch(/\(store\)$/);
    expect(r.stdout + r.stderr).not.toMatch(/password/i);
    expect(await schemas()).toEqual(schemasBefore);
    const list = await cli(['list', '--json']);
    expect(list.json.data.DBInstances.map((d: { DBInstanceIdentifier: string }) => d.DBInstanceIdentifier)).toEqual(['store']);
    expect(await secondaryIndexes()).toBe(0);
  });

  it('--apply --yes builds exactly the recommended indexes', async () => {
    const r = await cli(['analyze-queries', 'store', '--queries', workload, '--database', 'shop', '--apply', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const applied = r.json.data.applied as Array<{ ok: boolean }>;
    expect(applied.length).toBe(r.json.data.recommendations.length);
    expect(applied.every((a) => a.ok)).toBe(true);
    expect(await secondaryIndexes()).toBe(applied.length);
  });

  it('--dsn from `rdsctl connect` (verified TLS) with the password from RDSCTL_DB_PASSWORD', async () => {
    const url = (await cli(['connect', 'store', '--database', 'shop', '--json'])).json.data.url as string;
    expect(url).toMatch(/ssl-mode=VERIFY_IDENTITY/);
    const c = (await cli(['credentials', 'store', '--json'])).json.data;
    const r = await runCli(['analyze-queries', '--dsn', url, '--queries', workload, '--json'], { env: { RDSCTL_HOME: home, RDSCTL_DB_PASSWORD: c.password } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.validation.mode).toBe('off'); // a DSN is not a local instance: estimates unless a copy is given
    expect(r.json.data.queries.filter((q: { plan?: unknown }) => q.plan).length).toBe(r.json.data.queries.length);
    expect(r.stdout + r.stderr).not.toContain(c.password);
  });

  it('an unknown instance id is a not-found error', async () => {
    const r = await cli(['analyze-queries', 'no-such-db', '--queries', workload, '--json']);
    expect(r.code).toBe(4);
    expect(r.json.error.code).toBe('INSTANCE_NOT_FOUND');
  });
});
