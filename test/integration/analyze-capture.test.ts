import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanupHome, REPO, runCli, tempHome } from '../helpers/local-cli.js';
import { endTmuxServer, killTmux, startTmux } from '../helpers/tmux.js';

// analyze-queries <id> --capture on the local target: the real CLI, the endpoint's parameter groups applied
// to a real mariadbd, a real load (rdsctl loadtest run) during the capture, and Ctrl-C at a real terminal.
let home: string;
const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: home } });
const rdsctl = `${process.execPath} ${BIN}`;

/** What the server runs with (SHOW VARIABLES), over a new TLS connection as the master user. */
async function variables(id: string): Promise<Record<string, string>> {
  const c = (await cli(['credentials', id, '--json'])).json.data;
  const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password, ssl: { ca: await readFile(c.caFile), verifyIdentity: true } });
  try {
    const [rows] = await conn.query("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('slow_query_log', 'long_query_time', 'log_slow_verbosity', 'log_output')");
    return Object.fromEntries((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]));
  } finally {
    await conn.end();
  }
}

/** The group's user values (DescribeDBParameters Source=user). */
const userValues = async (group: string) => {
  const r = await cli(['params', group, 'list', '--source', 'user', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return Object.fromEntries(r.json.data.Parameters.map((p: { ParameterName: string; ParameterValue: string }) => [p.ParameterName, p.ParameterValue]));
};

const BEFORE_VARS = { slow_query_log: 'OFF', long_query_time: '2.000000', log_slow_verbosity: '', log_output: 'FILE' };

/** Restored and applied: the endpoint applies a group change as a job, so give it a moment. */
async function expectRestored(): Promise<void> {
  expect(await userValues('capg')).toEqual({ long_query_time: '2' });
  let vars = await variables('capdb');
  for (let i = 0; i < 50 && JSON.stringify(vars) !== JSON.stringify({ ...vars, ...BEFORE_VARS }); i++) {
    await new Promise((r) => setTimeout(r, 100));
    vars = await variables('capdb');
  }
  expect(vars).toMatchObject(BEFORE_VARS);
}

beforeAll(async () => {
  home = await tempHome();
  expect((await cli(['params', 'create', 'capg', '--description', 'capture test'])).code).toBe(0);
  expect((await cli(['params', 'capg', 'set', 'long_query_time=2'])).code).toBe(0); // a user value: set back, not reset
  const p = await cli(['provision', 'capdb', '--class', 'db.t4g.micro', '--manage-master-password', '--parameter-group', 'capg']);
  expect(p.code, p.stderr).toBe(0);
  const prep = await cli(['loadtest', 'prepare', 'capdb', '--scale', '1']);
  expect(prep.code, prep.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await killTmux('cap-ctrlc');
  await endTmuxServer();
  expect(await cleanupHome(home)).toEqual([]);
});

describe('analyze-queries --capture (local target)', () => {
  it('bad input: exit 2, one line naming the flag, nothing changed', async () => {
    const bad: [string[], RegExp][] = [
      [['--capture', '0'], /--capture 0 records nothing/],
      [['--capture', 'banana'], /--capture "banana" is not a duration/],
      [['--capture', '2h'], /--capture 2h is longer than the 1h maximum/],
      [['--capture', '10s', '--queries', 'x.sql'], /--capture and --queries are two workload sources/],
      [['--capture', '10s', '--slow-log-from', 'capdb'], /--capture and --slow-log-from are two workload sources/],
      [['--capture', '10s', '--long-query-time', 'fast'], /--long-query-time "fast" is not a number of seconds/],
      [['--capture', '10s'], /needs confirmation, and there is no terminal/], // piped, no --yes
    ];
    for (const [args, msg] of bad) {
      const r = await cli(['analyze-queries', 'capdb', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(msg);
      expect(r.stdout).toBe('');
    }
    const noId = await cli(['analyze-queries', '--capture', '10s']);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/--capture records the workload of a DB instance: name it/);
    expect(await userValues('capg')).toEqual({ long_query_time: '2' });
    expect(await variables('capdb')).toMatchObject(BEFORE_VARS);
  }, 120_000);

  it('--dry-run prints the plan (set back a user value, reset the defaults) and changes nothing', async () => {
    const r = await cli(['analyze-queries', 'capdb', '--capture', '10m', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('capdb: capture 10:00 through parameter group capg (dry run, nothing changed)');
    expect(r.stdout).toMatch(/slow_query_log\s+0 \(default\)\s+1\s+reset to the engine default/);
    expect(r.stdout).toMatch(/long_query_time\s+2\s+0\s+set back to 2/);
    expect(r.stdout).toMatch(/log_slow_verbosity\s+- \(default\)\s+query_plan,explain/);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const json = await cli(['analyze-queries', 'capdb', '--capture', '90s', '--long-query-time', '0.5', '--dry-run', '--json']);
    expect(json.json.data).toMatchObject({ dryRun: true, seconds: 90, plan: { group: 'capg', changes: expect.arrayContaining([expect.objectContaining({ name: 'long_query_time', to: '0.5' })]) } });
    expect(await userValues('capg')).toEqual({ long_query_time: '2' });
  }, 60_000);

  it('captures a real load, names its queries, and puts every parameter back', async () => {
    const child = spawn(process.execPath, [BIN, 'analyze-queries', 'capdb', '--capture', '7s', '--yes', '--database', 'loadtest', '--no-validate'],
      { env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    for (let i = 0; i < 200 && !stderr.includes('capturing capdb'); i++) await new Promise((r) => setTimeout(r, 50));
    // The load connects after the parameters applied (connections keep the long_query_time they began with).
    const load = await cli(['loadtest', 'run', 'capdb', '--duration', '3s', '--concurrency', '4']);
    expect(load.code, load.stderr).toBe(0);
    expect(await done, stderr).toBe(0);
    // Piped: plain countdown lines, no carriage returns.
    expect(stderr).toMatch(/capturing capdb: 0:07 left of 0:07/);
    expect(stderr).toMatch(/capture of capdb done \(0:07\)/);
    expect(stderr).not.toContain('\r');
    expect(stderr).toMatch(/restored capg: slow_query_log=0 \(engine default\), long_query_time=2, log_slow_verbosity \(engine default\)/);
    // The report names statements of the load test's e-commerce workload.
    expect(stdout).toMatch(/workload: slow-log:.*· \d+ events/);
    expect(stdout).toMatch(/FROM inventory WHERE product_id/);
    await expectRestored();
  }, 180_000);

  it('Ctrl-C during the countdown (a real terminal): the values go back, exit 130, one line says what was restored', async () => {
    const t = await startTmux('cap-ctrlc', { env: { RDSCTL_HOME: home, NO_COLOR: '1', CI: undefined }, cwd: REPO, width: 80 });
    await t.run(`${rdsctl} analyze-queries capdb --capture 1m --yes --no-validate`);
    await t.waitFor(/capturing capdb: 0:5\d left of 1:00/, 30_000);
    await t.waitFor(/capturing capdb: 0:5[0-7] left of 1:00/, 10_000); // it counts down …
    expect((await t.screen()).match(/left of 1:00/g)).toHaveLength(1); // … on one line redrawn in place
    for (let i = 0; i < 3; i++) { // the last line, with no progress spinner drawn over it
      expect((await t.screen()).trimEnd().split('\n').at(-1)).toMatch(/^capturing capdb: 0:\d\d left of 1:00 \(Ctrl-C stops and restores the parameters\)$/);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(await variables('capdb')).toMatchObject({ slow_query_log: 'ON', long_query_time: '0.000000' });
    await t.keys('C-c');
    expect(await t.exitCode(30_000)).toBe(130);
    const screen = (await t.screen()).replace(/\s+/g, ' '); // the error wraps between words at 80 columns
    expect(screen).toMatch(/error: Interrupted \(Ctrl-C\): restored capg \(slow_query_log=0 \(engine default\), long_query_time=2, log_slow_verbosity \(engine default\)\)\./);
    expect(screen).not.toMatch(/could not restore/);
    expect(screen.match(/error:/g)).toHaveLength(1);
    await expectRestored();
    await t.kill();
  }, 120_000);

  it('a default parameter group is refused (exit 5) with the commands to give the instance its own; a stopped instance is exit 5 with rdsctl start', async () => {
    const p = await cli(['provision', 'capdef', '--class', 'db.t4g.micro', '--manage-master-password']);
    expect(p.code, p.stderr).toBe(0);
    const def = await cli(['analyze-queries', 'capdef', '--capture', '10s', '--yes']);
    expect(def.code, def.stderr).toBe(5);
    expect(def.stderr).toMatch(/error: capdef uses the default parameter group default\.mariadb10\.11, which cannot be modified/);
    expect(def.stderr).toMatch(/hint: .*rdsctl params create capdef-capture --family mariadb10\.11; rdsctl modify capdef --parameter-group capdef-capture; rdsctl reboot capdef/);
    expect((await cli(['stop', 'capdef'])).code).toBe(0);
    const stopped = await cli(['analyze-queries', 'capdef', '--capture', '10s', '--yes']);
    expect(stopped.code, stopped.stderr).toBe(5);
    expect(stopped.stderr).toMatch(/capdef is stopped: `rdsctl start capdef`/);
  }, 180_000);

  it('params delete: a group in use is refused (exit 5, still there); an unused one is deleted', async () => {
    const inUse = await cli(['params', 'delete', 'capg', '--yes']);
    expect(inUse.code, inUse.stderr).toBe(5);
    expect(await userValues('capg')).toEqual({ long_query_time: '2' });
    expect((await cli(['params', 'create', 'spare'])).code).toBe(0);
    const del = await cli(['params', 'delete', 'spare', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toContain('Deleted parameter group spare.');
    expect((await cli(['params', 'spare', 'list'])).code).toBe(4);
  }, 60_000);
});
