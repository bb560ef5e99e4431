import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    workload = path.join(home, 'workload.sql');
    await writeFile(workload, (await ecommerceWorkload()).map((s) => `${s};`).join('\n'));
  });

  afterAll(async () => {
    await conn?.end();
    if (home) expect(await cleanupHome(home)).toEqual([]);
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
    expect(code).toBe(130);
    expect(stderr).toMatch(/deleting temporary instance whatif-qa-/);
    expect(await instances()).toEqual(['qa']);
  });
});
