import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneEnv } from '../../src/local/control/child-env.js';
import { BIN, assertBuilt, isolatedEnv, oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';

describe('controlPlaneEnv: the detached control plane (and every mariadbd it runs) inherits no secret', () => {
  it.each([
    ['RDSCTL_MASTER_PASSWORD', false],
    ['RDSCTL_DB_PASSWORD', false],
    ['AWS_SECRET_ACCESS_KEY', false],
    ['AWS_ACCESS_KEY_ID', false],
    ['AWS_SESSION_TOKEN', false],
    ['MYSQL_PWD', false],
    ['GITHUB_TOKEN', false],
    ['PATH', true],
    ['RDSCTL_HOME', true],
    ['RDSCTL_SUPERVISE_MS', true],
    ['RDSCTL_MARIADB_BINDIR', true],
    ['RDSCTL_AUTOSCALE_WINDOW_MS', true],
    ['TMPDIR', true],
  ])('%s kept: %s', (name, kept) => {
    expect(name in controlPlaneEnv({ [name]: 'value' })).toBe(kept);
  });
});

describe('--json: exactly one JSON document on stdout, whatever ends the command', () => {
  let iso: Awaited<ReturnType<typeof isolatedEnv>>;
  beforeAll(async () => {
    assertBuilt();
    iso = await isolatedEnv();
  });
  afterAll(() => iso.cleanup());

  it('no command: a USAGE error that says so (not commander\'s "(outputHelp)"), exit 2', async () => {
    const r = await runRdsctl(['--json'], iso.env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'USAGE', exitCode: 2, message: 'No command given.' });
  });

  it('--version --json and --help --json are JSON too (exit 0)', async () => {
    const v = await runRdsctl(['--version', '--json'], iso.env);
    expect([v.code, oneJsonDoc(v.stdout)]).toEqual([0, { ok: true, command: 'version', data: { version: '0.1.0' } }]);
    const h = await runRdsctl(['describe', '--help', '--json'], iso.env);
    expect(h.code).toBe(0);
    expect(oneJsonDoc(h.stdout).data.text).toMatch(/Usage: rdsctl describe/);
  });

  it('connect --shell --json is refused up front (the client writes to stdout): exit 2, nothing started', async () => {
    const r = await runRdsctl(['connect', 'shop', '--shell', '--json'], iso.env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.code).toBe('SHELL_WITH_JSON');
    expect(existsSync(`${iso.env.RDSCTL_HOME}/endpoint.json`)).toBe(false);
  });

  it.each(['0', '-3'])('local logs -n %s is a usage error (it printed the whole log, or all but the first lines)', async (n) => {
    const r = await runRdsctl(['local', 'logs', '-n', n, '--json'], iso.env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'INVALID_NUMBER', message: `--lines must be 1 or more (got ${n}).` });
  });

  it('doctor on a home with the wrong mode says what is wrong (not "Missing … RDSCTL_HOME"), also in the --json error', async () => {
    mkdirSync(iso.env.RDSCTL_HOME, { mode: 0o755 });
    chmodSync(iso.env.RDSCTL_HOME, 0o755);
    try {
      const r = await runRdsctl(['doctor', '--json'], iso.env);
      expect(r.code).toBe(6);
      const err = oneJsonDoc(r.stdout).error;
      expect(err.message).toBe(`Not ready for the local target: RDSCTL_HOME (${iso.env.RDSCTL_HOME} has mode 0755).`);
      expect(err.hint).toBe(`chmod 700 ${iso.env.RDSCTL_HOME}`);
    } finally {
      rmSync(iso.env.RDSCTL_HOME, { recursive: true, force: true });
    }
  });

  it.each<[string[], Record<string, string>, string]>([
    [['local', 'start', '--port', '99999', '--json'], {}, 'Invalid port "99999" (--port): it must be a whole number from 1 to 65535.'],
    [['local', 'start', '--port', '0', '--json'], {}, 'Invalid port "0" (--port): it must be a whole number from 1 to 65535.'],
    [['list', '--json'], { RDSCTL_LOCAL_PORT: 'abc' }, 'Invalid port "abc" (RDSCTL_LOCAL_PORT): it must be a whole number from 1 to 65535.'],
  ])('%j %j → exit 2 INVALID_PORT before anything starts (it was exit 1, "unexpected")', async (args, extra, message) => {
    const r = await runRdsctl(args, { ...iso.env, ...extra });
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'INVALID_PORT', message });
    expect(existsSync(`${iso.env.RDSCTL_HOME}/endpoint.json`)).toBe(false);
  });

  it('Ctrl-C (SIGINT) while a command waits → exit 130 with an INTERRUPTED error document', async () => {
    // provision --password-stdin waits for stdin, which this test keeps open: a command that is waiting.
    const child = spawn(process.execPath, [BIN, 'provision', 'shop', '--password-stdin', '--json'], { env: iso.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise((r) => setTimeout(r, 1500)); // let it reach the read
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.stdin.destroy();
    expect(code).toBe(130);
    expect(oneJsonDoc(stdout)).toMatchObject({ ok: false, error: { code: 'INTERRUPTED', exitCode: 130 } });
  });
});

describe('InvalidDBInstanceState hints: "wait" only when waiting helps', () => {
  it.each([
    ['DBInstance shop is not in available state (it is stopped).', /It is stopped, and waiting will not change that/],
    ['Instance shop is not stopped, it is available.', /It is available \(running\), and waiting will not change that/],
    ['Database instance is not in available state (it is creating).', /^Wait until the instance is in the right state/],
    ['DB instance shop is not in available state.', /^Wait until the instance is in the right state/],
  ])('%s', async (message, hint) => {
    const { InvalidDBInstanceStateFault } = await import('@aws-sdk/client-rds');
    const { toRdsctlError } = await import('../../src/cli/to-error.js');
    const e = toRdsctlError(new InvalidDBInstanceStateFault({ message, $metadata: { httpStatusCode: 400 } }));
    expect([e.code, e.exitCode, e.message]).toEqual(['INVALID_INSTANCE_STATE', 5, message]);
    expect(e.hint).toMatch(hint);
  });
});
