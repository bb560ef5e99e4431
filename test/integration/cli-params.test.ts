import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { BIN, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';

// rdsctl params through the real CLI binary, the SDK and the local endpoint's real mariadbd.
let home: string;
const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: home } });

async function query(id: string, sql: string): Promise<void> {
  const c = (await cli(['credentials', id, '--json'])).json.data;
  const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password, ssl: { ca: await readFile(c.caFile), verifyIdentity: true } });
  await conn.query(sql);
  await conn.end();
}

async function globalVar(id: string, name: string): Promise<string> {
  const r = await cli(['credentials', id, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const c = r.json.data;
  const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password, ssl: { ca: await readFile(c.caFile), verifyIdentity: true } });
  try {
    const [rows] = await conn.query(`SELECT @@GLOBAL.${name} AS v`);
    return String((rows as { v: unknown }[])[0].v);
  } finally {
    await conn.end();
  }
}

const userValues = async (group: string) => {
  const r = await cli(['params', group, 'list', '--source', 'user', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return Object.fromEntries(r.json.data.Parameters.map((p: { ParameterName: string; ParameterValue: string }) => [p.ParameterName, p.ParameterValue]));
};

beforeAll(async () => {
  home = await tempHome();
});
afterAll(async () => {
  expect(await cleanupHome(home)).toEqual([]);
});

describe('rdsctl params on the local target', () => {
  it('creates a group, plans which changes need a reboot, refuses bad input with one line and changes nothing', async () => {
    const created = await cli(['params', 'create', 'peak', '--description', 'peak load']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created parameter group peak (mariadb10.11)');
    const groups = await cli(['params']);
    expect(groups.stdout).toMatch(/default\.mariadb10\.11/);
    expect(groups.stdout).toMatch(/peak\s+mariadb10\.11\s+peak load/);

    const plan = await cli(['params', 'peak', 'set', 'max_connections=120', 'performance_schema=1', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/would change \(dry run\)/);
    expect(plan.stdout).toMatch(/max_connections .*dynamic\s+now/);
    expect(plan.stdout).toMatch(/performance_schema .*static\s+at next reboot/);
    expect(plan.stdout).toContain('pending-reboot until rebooted');
    const json = await cli(['params', 'peak', 'set', 'long_query_time=2', '--dry-run', '--json']);
    expect(json.json.data).toMatchObject({ dryRun: true, applied: false, needsReboot: false, changes: [{ name: 'long_query_time', to: '2', method: 'immediate' }] });

    const bad: [string[], number, RegExp][] = [
      [['params', 'peak', 'set', 'performance_schema=1', '--apply-method', 'immediate'], 2, /performance_schema is static/],
      [['params', 'peak', 'set', 'datadir=/tmp'], 2, /datadir cannot be modified/],
      [['params', 'peak', 'set', 'no_such=1'], 2, /has no parameter no_such/],
      [['params', 'peak', 'set', 'max_connections'], 2, /"max_connections" is not name=value/],
      [['params', 'peak', 'set', 'max_connections=0'], 2, /outside of range 1-100000/],
      [['params', 'peak', 'frobnicate'], 2, /"frobnicate" is not list, set or reset/],
      [['params', 'nope', 'list'], 4, /DBParameterGroup not found: nope/],
      [['params', 'create', 'peak'], 5, /already exists/],
      [['params', 'default.mariadb10.11', 'set', 'max_connections=50'], 2, /Default parameter groups cannot be modified/],
    ];
    for (const [args, code, msg] of bad) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
    expect(await userValues('peak')).toEqual({});
  });

  it('provisions with --parameter-group, sets a dynamic value live and a static one at the reboot', async () => {
    expect((await cli(['params', 'peak', 'set', 'max_connections=120'])).code).toBe(0);
    const p = await cli(['provision', 'tuned', '--class', 'db.t4g.micro', '--manage-master-password', '--parameter-group', 'peak', '--json']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.json.data.DBInstance.DBParameterGroups).toEqual([{ DBParameterGroupName: 'peak', ParameterApplyStatus: 'in-sync' }]);
    expect(await globalVar('tuned', 'max_connections')).toBe('120');

    const set = await cli(['params', 'peak', 'set', 'wait_timeout=300', 'innodb_log_file_size=67108864']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('peak: changed 2 parameters.');
    expect(set.stdout).toContain('reboot them with rdsctl reboot');
    for (let i = 0; i < 50 && (await globalVar('tuned', 'wait_timeout')) !== '300'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await globalVar('tuned', 'wait_timeout')).toBe('300');
    expect(await globalVar('tuned', 'innodb_log_file_size')).toBe('50331648');
    const before = await cli(['describe', 'tuned', '--json']);
    expect(before.json.data.DBInstance.DBParameterGroups[0].ParameterApplyStatus).toBe('pending-reboot');
    expect((await cli(['reboot', 'tuned'])).code).toBe(0);
    expect(await globalVar('tuned', 'innodb_log_file_size')).toBe('67108864');

    const reset = await cli(['params', 'peak', 'reset', 'wait_timeout', '--json']);
    expect(reset.json.data.changes).toMatchObject([{ name: 'wait_timeout', method: 'immediate', needsReboot: false }]);
    expect(Object.keys(await userValues('peak')).sort()).toEqual(['innodb_log_file_size', 'max_connections']);

    const modify = await cli(['modify', 'tuned', '--parameter-group', 'default.mariadb10.11', '--dry-run']);
    expect(modify.code, modify.stderr).toBe(0);
    expect(modify.stdout).toMatch(/DBParameterGroupName/);
    expect(modify.stdout).toMatch(/next reboot/);
  }, 300_000);

  it('rdsctl logs shows the error and slow logs, -n lines, --follow new lines, and refuses bad input', async () => {
    expect((await cli(['params', 'peak', 'set', 'slow_query_log=1', 'long_query_time=0'])).code).toBe(0);
    for (let i = 0; i < 50 && (await globalVar('tuned', 'slow_query_log')) !== '1'; i++) await new Promise((r) => setTimeout(r, 100));
    await query('tuned', 'SELECT 4242 AS logs_marker');
    const error = await cli(['logs', 'tuned']);
    expect(error.code, error.stderr).toBe(0);
    expect(error.stdout).toContain('ready for connections');
    const slow = await cli(['logs', 'tuned', '--slow', '-n', '3']);
    expect(slow.code, slow.stderr).toBe(0);
    expect(slow.stdout.trimEnd().split('\n')).toHaveLength(3);
    const json = await cli(['logs', 'tuned', '--slow', '-n', '200', '--json']);
    expect(json.json.data).toMatchObject({ DBInstanceIdentifier: 'tuned', LogFileName: 'slowquery/mysql-slowquery.log' });
    expect(json.json.data.LogFileData).toContain('SELECT 4242 AS logs_marker');

    const follow = spawn(process.execPath, [BIN, 'logs', 'tuned', '--slow', '-n', '1', '--follow'], { env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' } });
    let seen = '';
    follow.stdout.on('data', (d) => { seen += String(d); });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      await query('tuned', 'SELECT 777 AS followed_marker');
      for (let i = 0; i < 50 && !seen.includes('followed_marker'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(seen).toContain('SELECT 777 AS followed_marker');
    } finally {
      follow.kill('SIGINT');
    }

    const bad: [string[], number, RegExp][] = [
      [['logs', 'tuned', '--slow', '--general'], 2, /Pick one: --error, --slow, --general, --audit, --file or --list\./],
      [['logs', 'tuned', '-n', 'banana'], 2, /-n "banana" is not a number of lines/],
      [['logs', 'tuned', '--follow', '--json'], 2, /--follow streams lines/],
      [['logs', 'tuned', '--general'], 4, /mysql-general.log, is not found/],
      [['logs', 'nope'], 4, /nope not found/],
    ];
    for (const [args, code, msg] of bad) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr + r.stdout).toMatch(msg); // --json puts the error on stdout
    }
  }, 120_000);

  it('analyze-queries --slow-log-from digests the slow log the instance wrote', async () => {
    await query('tuned', 'CREATE DATABASE IF NOT EXISTS shop');
    await query('tuned', 'CREATE TABLE IF NOT EXISTS shop.orders (id INT PRIMARY KEY, customer INT, total INT)');
    for (let i = 0; i < 5; i++) await query('tuned', `SELECT * FROM shop.orders WHERE customer = ${i}`);
    const r = await cli(['analyze-queries', 'tuned', '--slow-log-from', 'tuned', '--database', 'shop', '--no-validate', '--json']);
    expect(r.code, r.stderr + r.stdout.slice(0, 2000)).toBe(0);
    expect(JSON.stringify(r.json.data)).toContain('orders');
    const both = await cli(['analyze-queries', 'tuned', '--slow-log-from', 'tuned', '--slow-log', 'x.log']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give only one workload source.');
    const missing = await cli(['analyze-queries', 'tuned', '--slow-log-from', 'nope']);
    expect(missing.code).toBe(4);
  }, 120_000);
});
