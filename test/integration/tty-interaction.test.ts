import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanupHome, REPO, runCli, tempHome } from '../helpers/local-cli.js';
import { ecommerceWorkload, loadEcommerce } from '../helpers/mariadb.js';
import { endTmuxServer, killTmux, startTmux, type TmuxSession } from '../helpers/tmux.js';

// What a DBA does at a real terminal (tmux, 80 columns): Ctrl-C during a spinner, prompts, widths, pipes.
const exec = promisify(execFile);
const SESSIONS = ['tty-provision', 'tty-analyze', 'tty-apply', 'tty-tee', 'tty-delete', 'tty-width', 'tty-wide'];
let home: string;
let bins: string;
let workload: string;
let conn: mysql.Connection;
const rdsctl = `${process.execPath} ${BIN}`;
const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: home } });
// CI=… turns spinners off: these tests are about the terminal a user has, spinner included.
const termEnv = (extra: Record<string, string> = {}) => ({ RDSCTL_HOME: home, NO_COLOR: '1', CI: undefined, ...extra });
const instances = async () => ((await cli(['list', '--json'])).json.data.DBInstances as Array<{ DBInstanceIdentifier: string }>).map((d) => d.DBInstanceIdentifier);
const indexCount = async () => ((await conn.query("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop'"))[0] as Array<{ n: number }>)[0].n;
/** The terminal modes a user needs after rdsctl exits: signals, line editing, echo. */
const missingModes = (stty: string) => ['isig', 'icanon', 'echo'].filter((mode) => !new RegExp(`(^|\\s)${mode}(\\s|$)`, 'm').test(stty));

beforeAll(async () => {
  home = await tempHome('rdsctl-tty-');
  // Slow tools widen the windows a user has for Ctrl-C: creating an instance (install-db) and copying tables.
  bins = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-tty-bin-'));
  const slow = async (name: string, real: string, seconds: number) => {
    await writeFile(path.join(bins, name), `#!/bin/sh\nsleep ${seconds}\nexec ${real} "$@"\n`);
    await chmod(path.join(bins, name), 0o755);
  };
  for (const b of ['mariadbd', 'mariadb', 'mariadb-admin', 'mariadb-binlog', 'mariadb-backup']) {
    const real = (await exec('sh', ['-c', `command -v ${b} || echo /usr/sbin/${b}`])).stdout.trim();
    await exec('ln', ['-s', real, path.join(bins, b)]);
  }
  await slow('mariadb-install-db', (await exec('sh', ['-c', 'command -v mariadb-install-db'])).stdout.trim(), 4);
  await exec('mkdir', [path.join(bins, 'path')]);
  await writeFile(path.join(bins, 'path', 'mariadb-dump'), `#!/bin/sh\nsleep 60\nexec ${(await exec('sh', ['-c', 'command -v mariadb-dump'])).stdout.trim()} "$@"\n`);
  await chmod(path.join(bins, 'path', 'mariadb-dump'), 0o755);
  // The first command starts the control plane: it keeps this MariaDB folder for the whole file.
  const p = await runCli(['provision', 'shop', '--manage-master-password', '--class', 'db.t4g.micro', '--json'], { env: { RDSCTL_HOME: home, RDSCTL_MARIADB_BINDIR: bins } });
  if (p.code !== 0) throw new Error(`provision failed: ${p.stderr}${p.stdout}`);
  const c = (await cli(['credentials', 'shop', '--json'])).json.data;
  conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password,
    ssl: { ca: await readFile(c.caFile), verifyIdentity: true }, multipleStatements: true });
  await loadEcommerce(conn, 'shop', { foreignKeys: false, scale: 0.1 });
  workload = path.join(home, 'q.sql');
  await writeFile(workload, (await ecommerceWorkload()).map((s) => `${s};`).join('\n'));
});

afterAll(async () => {
  for (const s of SESSIONS) await killTmux(s);
  await endTmuxServer();
  await conn?.end();
  if (home) expect(await cleanupHome(home)).toEqual([]);
  if (bins) await rm(bins, { recursive: true, force: true });
});

/** After rdsctl exits, the user's terminal has signals, line editing and echo back; then the session ends. */
async function expectSaneAndEnd(t: TmuxSession): Promise<void> {
  await t.clear();
  await t.run('stty -a');
  await t.exitCode();
  expect(missingModes(await t.screen())).toEqual([]);
  await t.kill();
}

async function term(name: string, env = termEnv(), width = 80): Promise<TmuxSession> {
  return startTmux(name, { env, cwd: REPO, width });
}

describe('Ctrl-C while a spinner runs', () => {
  it('provision: the first Ctrl-C exits 130 at once, says what goes on on the target, and leaves the terminal sane', async () => {
    const t = await term('tty-provision');
    await t.run(`${rdsctl} provision cc1 --manage-master-password --class db.t4g.micro`);
    await t.waitFor(/cc1: creating/);
    const pressed = Date.now();
    await t.keys('C-c');
    expect(await t.exitCode(10_000)).toBe(130);
    expect(Date.now() - pressed).toBeLessThan(2_000); // it used to finish the whole wait (exit 0)
    const screen = await t.screen();
    expect(screen).toMatch(/cc1 is still being\s+created/);
    expect(screen).toMatch(/rdsctl describe cc1/);
    // One clock per progress line (it printed `[  1.9s] • [  1.9s] cc1: creating`).
    expect(screen).not.toMatch(/\[\s*\d+\.\ds\].*\[\s*\d+\.\ds\]/);
    await expectSaneAndEnd(t);
    // What the message said: the request was sent, and the instance is still being created.
    expect(await instances()).toContain('cc1');
  });

  it('analyze-queries: Ctrl-C while copying to the temporary instance exits 130 and deletes that instance', async () => {
    const t = await term('tty-analyze', termEnv({ PATH: `${path.join(bins, 'path')}:${process.env.PATH}` }));
    await t.run(`${rdsctl} analyze-queries shop --database shop --queries ${workload}`);
    await t.waitFor(/copying \d+ table\(s\) of shop/, 90_000);
    await t.keys('C-c');
    expect(await t.exitCode(60_000)).toBe(130);
    const screen = await t.screen();
    expect(screen).toMatch(/deleting temporary instance whatif-shop-/);
    expect(screen).not.toMatch(/error: Copying|Unexpected error/);
    expect((await instances()).filter((id) => id.startsWith('whatif-'))).toEqual([]);
    await expectSaneAndEnd(t);
  });
});

describe('stderr closed while analyze-queries holds a temporary instance', () => {
  it('exits 141 quietly after deleting the instance (an EPIPE crash left it running)', async () => {
    // The reader stops at "copying": the next progress line meets a closed pipe, with the copy alive.
    const { stdout } = await exec('bash', ['-c', `${rdsctl} analyze-queries shop --database shop --queries ${workload} 2>&1 >/dev/null | sed '/copying/q' >/dev/null; echo "rc=\${PIPESTATUS[0]}"`],
      { env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' } });
    expect(stdout.trim()).toBe('rc=141');
    expect((await instances()).filter((id) => id.startsWith('whatif-'))).toEqual([]);
  });
});

describe('analyze-queries --apply confirmation', () => {
  it('shows the report first, then a still prompt; n keeps the report, exits 2 and builds nothing', async () => {
    const before = await indexCount();
    const t = await term('tty-apply');
    await t.run(`${rdsctl} analyze-queries shop --database shop --queries ${workload} --apply`);
    await t.waitFor(/Build \d+ index\(es\) on .*\? \[y\/N\]\s*$/m, 120_000);
    const history = await t.history();
    expect(history).toMatch(/Recommended indexes \([1-9]/);
    expect(history.indexOf('Recommended indexes')).toBeLessThan(history.indexOf('[y/N]'));
    // No spinner ticking over the question: the screen stays still while it waits.
    const still = await t.screen();
    await new Promise((r) => setTimeout(r, 700));
    expect(await t.screen()).toBe(still);
    await t.keys('n', 'Enter');
    expect(await t.exitCode()).toBe(2);
    const after = await t.history();
    expect(after).toMatch(/Recommended indexes \([1-9]/);
    expect(after).toMatch(/Aborted: nothing was changed/);
    expect(await indexCount()).toBe(before);
    await t.kill();
  });

  it('with stdout (or stdout and stderr) piped into tee, asks on the terminal instead of refusing', async () => {
    const before = await indexCount();
    const t = await term('tty-tee');
    const log = path.join(home, 'apply.log');
    await t.run(`${rdsctl} analyze-queries shop --database shop --queries ${workload} --apply 2>&1 | tee ${log}; (exit \${PIPESTATUS[0]})`);
    await t.waitFor(/\[y\/N\]\s*$/m, 120_000);
    await t.keys('y', 'Enter');
    expect(await t.exitCode(120_000)).toBe(0);
    const text = await readFile(log, 'utf8');
    expect(text).not.toMatch(/no terminal to ask on/);
    expect(text).toMatch(/Recommended indexes \([1-9]/);
    expect(text).toMatch(/Applied\n {2}ok /);
    expect(await indexCount()).toBeGreaterThan(before);
    await t.kill();
  });
});

describe('delete prompt', () => {
  it('Ctrl-C at the prompt ends the line cleanly, exits 130, and the terminal stays sane; `| cat` still asks', async () => {
    const t = await term('tty-delete');
    await t.run(`${rdsctl} delete shop --skip-final-snapshot`);
    await t.waitFor(/\[y\/N\]\s*$/m);
    await t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    const screen = await t.screen();
    const lines = screen.split('\n');
    const prompt = lines.findIndex((l) => l.includes('[y/N]'));
    // The question (wrapped at 80 columns) says what is lost: no final snapshot, and the automated backups go too.
    expect(screen.replace(/\n/g, ' ')).toMatch(/WITHOUT a final snapshot — it has no snapshots and its automated\s+backups are deleted with it/);
    expect(lines[prompt]).toMatch(/\? \[y\/N\]( \^C)?$/);
    expect(lines[prompt + 1]).toMatch(/^error: Interrupted \(Ctrl-C\): nothing was changed\.$/);
    await t.clear();
    await t.run(`${rdsctl} delete shop --skip-final-snapshot | cat`);
    await t.waitFor(/\[y\/N\]\s*$/m);
    await t.keys('n', 'Enter');
    expect(await t.exitCode()).toBe(0); // cat's; rdsctl's message says the rest
    expect(await t.screen()).toMatch(/Aborted: nothing was changed/);
    await expectSaneAndEnd(t);
    expect(await instances()).toContain('shop');
  });
});

describe('80 columns', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

  it('list, describe, --help and a command help fit 80 columns when piped', async () => {
    for (const args of [['list'], ['describe', 'shop'], ['--help'], ['analyze-queries', '--help'], ['provision', '--help']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(widest(r.stdout), `${args.join(' ')}:\n${r.stdout}`).toBeLessThanOrEqual(80);
    }
  });

  it('on an 80-column terminal nothing wraps; on a 120-column one help uses the width', async () => {
    const t = await term('tty-width');
    for (const cmd of ['list', 'describe shop', '--help']) {
      await t.clear();
      await t.run(`${rdsctl} ${cmd}`);
      expect(await t.exitCode()).toBe(0);
      // -J joins lines the terminal wrapped: a joined line longer than 80 is one that did not fit.
      const joined = (await t.joined()).split('\n').filter((l) => !l.includes(rdsctl));
      expect(widest(joined.join('\n')), `${cmd}:\n${joined.join('\n')}`).toBeLessThanOrEqual(80);
    }
    await t.kill();
    const wide = await term('tty-wide', termEnv(), 120);
    await wide.run(`${rdsctl} --help`);
    expect(await wide.exitCode()).toBe(0);
    const w = widest((await wide.joined()).split('\n').filter((l) => !l.includes(rdsctl)).join('\n'));
    expect(w).toBeGreaterThan(80);
    expect(w).toBeLessThanOrEqual(120);
    await wide.kill();
  });
});

describe('a closed stdout or stderr', () => {
  it('ends quietly with exit 141 (like any tool killed by SIGPIPE): no stack trace', async () => {
    for (const cmd of ['list --json', 'describe shop', '--help']) {
      const { stdout } = await exec('bash', ['-c', `${rdsctl} ${cmd} 2>${home}/err | head -c 0; echo "rc=\${PIPESTATUS[0]}"`], { env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' } });
      expect(stdout.trim(), cmd).toBe('rc=141');
      expect(await readFile(`${home}/err`, 'utf8'), cmd).not.toMatch(/EPIPE|at .*\(|Unexpected error/);
    }
    // stderr closed (progress lines) while stdout is fine
    const { stdout } = await exec('bash', ['-c', `${rdsctl} list 2>&1 >/dev/null | head -c 0; echo "rc=\${PIPESTATUS[0]}"`], { env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' } });
    expect(stdout.trim()).toBe('rc=141');
  });
});
