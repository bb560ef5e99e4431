import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveHome, resolveTarget } from '../../src/cli/main.js';
import type { GlobalOptions } from '../../src/cli/context.js';
import { assertBuilt, isolatedEnv, oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';

const saved = { target: process.env.RDSCTL_TARGET, home: process.env.RDSCTL_HOME };
afterEach(() => {
  for (const [k, v] of [['RDSCTL_TARGET', saved.target], ['RDSCTL_HOME', saved.home]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('resolveTarget', () => {
  it.each<[string, GlobalOptions, string | undefined, string]>([
    ['nothing → local', {}, undefined, 'local'],
    ['--profile implies aws', { profile: 'prod' }, undefined, 'aws'],
    ['--region implies aws', { region: 'eu-west-1' }, undefined, 'aws'],
    ['--target aws', { target: 'aws' }, undefined, 'aws'],
    ['explicit --target local wins over --region', { target: 'local', region: 'eu-west-1' }, undefined, 'local'],
    ['RDSCTL_TARGET=aws', {}, 'aws', 'aws'],
    // Issue 6: an explicit flag wins over the environment (README: --profile/--region imply aws).
    ['--profile wins over RDSCTL_TARGET=local', { profile: 'prod' }, 'local', 'aws'],
    ['--region wins over RDSCTL_TARGET=local', { region: 'eu-west-1' }, 'local', 'aws'],
    ['--target wins over RDSCTL_TARGET', { target: 'local' }, 'aws', 'local'],
  ])('%s', (_name, opts, envTarget, expected) => {
    if (envTarget === undefined) delete process.env.RDSCTL_TARGET;
    else process.env.RDSCTL_TARGET = envTarget;
    expect(resolveTarget(opts)).toBe(expected);
  });

  it.each<[GlobalOptions, string | undefined]>([
    [{ target: 'prod' }, undefined],
    [{ target: 'AWS' }, undefined],
    [{}, 'staging'],
  ])('invalid target %o (RDSCTL_TARGET=%s) → INVALID_TARGET, exit 2, with the valid choices', (opts, envTarget) => {
    if (envTarget === undefined) delete process.env.RDSCTL_TARGET;
    else process.env.RDSCTL_TARGET = envTarget;
    expect(() => resolveTarget(opts)).toThrow(expect.objectContaining({ code: 'INVALID_TARGET', exitCode: 2, hint: expect.stringMatching(/--target local.*--target aws/) }));
  });
});

describe('resolveHome', () => {
  it('--home, then RDSCTL_HOME, then ~/.rdsctl, always absolute', () => {
    process.env.RDSCTL_HOME = '/tmp/from-env';
    expect(resolveHome({ home: 'rel/home' })).toBe(path.resolve('rel/home'));
    expect(resolveHome({})).toBe('/tmp/from-env');
    delete process.env.RDSCTL_HOME;
    expect(resolveHome({})).toBe(path.join(os.homedir(), '.rdsctl'));
  });

  it('an empty --home or RDSCTL_HOME (it would be the current folder) and a file are refused with exit 2', () => {
    const refused = (opts: GlobalOptions, env: NodeJS.ProcessEnv) => {
      try {
        resolveHome(opts, env);
        return undefined;
      } catch (e) {
        return [(e as { code: string }).code, (e as { exitCode: number }).exitCode, (e as Error).message.split(' ')[0]];
      }
    };
    expect(refused({ home: '' }, {})).toEqual(['INVALID_HOME', 2, '--home']);
    expect(refused({}, { RDSCTL_HOME: '' })).toEqual(['INVALID_HOME', 2, 'RDSCTL_HOME']);
    expect(refused({ home: '  ' }, {})).toEqual(['INVALID_HOME', 2, '--home']);
    expect(refused({ home: '/etc/hostname' }, {})).toEqual(['INVALID_HOME', 2, '--home']);
    expect(refused({ home: '/tmp/rdsctl-not-there-yet' }, {})).toBeUndefined();
  });
});

describe('usage errors from the real binary exit 2', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    assertBuilt();
    const iso = await isolatedEnv();
    env = iso.env;
    cleanup = iso.cleanup;
  });
  afterAll(async () => cleanup?.());

  it.each([
    [['no-such-command']],
    [['describe']],
    [['list', '--no-such-flag']],
    [['modify', 'shop', '--storage']],
  ])('rdsctl %j → exit 2, nothing on stdout', async (args) => {
    const r = await runRdsctl(args, env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error/i);
  });

  it('with --json a usage error is still one JSON document on stdout', async () => {
    const r = await runRdsctl(['no-such-command', '--json'], env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', exitCode: 2 } });
  });

  it('an invalid --target → exit 2 INVALID_TARGET before anything starts', async () => {
    const r = await runRdsctl(['--target', 'prod', 'list', '--json'], env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.code).toBe('INVALID_TARGET');
  });

  it('bad input to a command → exit 2 with a one-line message (provision with an invalid identifier)', async () => {
    const r = await runRdsctl(['--target', 'aws', '--region', 'us-east-1', 'provision', 'bad--id', '--no-wait'], { ...env, RDSCTL_MASTER_PASSWORD: 'Passw0rd-123' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('error: Invalid DB instance identifier "bad--id": it must not contain two consecutive hyphens.');
  });

  it('--help and --version exit 0', async () => {
    const help = await runRdsctl(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: rdsctl/);
    const version = await runRdsctl(['--version'], env);
    expect([version.code, version.stdout.trim()]).toEqual([0, '0.1.0']);
  });
});
