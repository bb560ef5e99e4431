import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MASTER_USERNAME } from '../../src/core/identifiers.js';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';

// Issue 6 §2 "Honest output", as a DBA sees it on the local target: the real CLI, the real SDK, the real
// control plane and real mariadbd processes in a temporary RDSCTL_HOME.
let home: string;
let scratch: string;
const PASSWORD = 'Honest-Passw0rd-4417';
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD });
const cli = (args: string[], input?: string, extraEnv: Record<string, string> = {}) => runCli(args, { env: { ...env(), ...extraEnv }, input });
const describeDb = async (id: string) => (await cli(['describe', id, '--json'])).json.data.DBInstance;
/** Starts `run` (which spawns at once) from `dir`: the child inherits that working folder. */
function inFolder<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const prev = process.cwd();
  process.chdir(dir);
  try {
    return run();
  } finally {
    process.chdir(prev);
  }
}
const pidOf = async (id: string) => (await cli(['local', 'status', '--json'])).json.data.instances.find((i: { id: string }) => i.id === id).pid;

beforeAll(async () => {
  home = await tempHome('rdsctl-qa-honest-');
  scratch = mkdtempSync(path.join(os.tmpdir(), 'rdsctl-qa-honest-scratch-'));
  const r = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--db-name', 'shop', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
});
afterAll(async () => {
  await cleanupHome(home);
  rmSync(scratch, { recursive: true, force: true });
});

describe('modify with a change already pending', () => {
  it('--apply-immediately: the plan and the result list the pending class change too, and say the instance restarts', async () => {
    const first = await cli(['modify', 'shop', '--class', 'db.t4g.small']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("Scheduled for shop's next maintenance window");
    const pidBefore = await pidOf('shop');

    const plan = await cli(['modify', 'shop', '--max-storage', '100', '--apply-immediately', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/MaxAllocatedStorage: - → 100/);
    expect(plan.stdout).toMatch(/^\* DBInstanceClass: db\.t4g\.micro → db\.t4g\.small .*\n {2}\(\* pending from an earlier modify, applied with this one\)$/m);
    expect(plan.stdout).toContain('This restarts shop to apply DBInstanceClass');

    const r = await cli(['modify', 'shop', '--max-storage', '100', '--apply-immediately', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.outcome.map((c: { field: string; state: string }) => [c.field, c.state])).toEqual([['MaxAllocatedStorage', 'done'], ['DBInstanceClass', 'done']]);
    expect(r.json.data.restart).toBe('now');
    const db = await describeDb('shop');
    expect([db.DBInstanceClass, db.MaxAllocatedStorage, db.PendingModifiedValues]).toEqual(['db.t4g.small', 100, {}]);
    expect(await pidOf('shop')).not.toBe(pidBefore); // it really restarted, as the plan said
  });

  it('reboot says which pending changes it applies (the local maintenance window)', async () => {
    expect((await cli(['modify', 'shop', '--class', 'db.t4g.micro'])).code).toBe(0);
    const r = await cli(['reboot', 'shop']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("The reboot applied shop's pending changes:\n  DBInstanceClass: db.t4g.small → db.t4g.micro");
    expect((await describeDb('shop')).DBInstanceClass).toBe('db.t4g.micro');
  });
});

describe('storage autoscaling can be turned off', () => {
  it('--no-max-storage turns it off; a ceiling equal to the storage does too; 0 is refused naming --no-max-storage', async () => {
    const off = await cli(['modify', 'shop', '--no-max-storage']);
    expect([off.code, off.stdout]).toEqual([0, 'Changed shop:\n  MaxAllocatedStorage: 100 → 20  (turns storage autoscaling off)\n']);
    expect((await describeDb('shop')).MaxAllocatedStorage).toBeUndefined();

    expect((await cli(['modify', 'shop', '--max-storage', '60'])).code).toBe(0);
    const equal = await cli(['modify', 'shop', '--max-storage', '20']);
    expect(equal.code, equal.stderr).toBe(0);
    expect((await describeDb('shop')).MaxAllocatedStorage).toBeUndefined();

    const zero = await cli(['modify', 'shop', '--max-storage', '0', '--json']);
    expect(zero.code).toBe(2);
    expect(zero.json.error.code).toBe('INVALID_MAX_STORAGE');
    expect(zero.json.error.hint).toContain('--no-max-storage');
  });
});

describe('what the output claims is what happened', () => {
  it('--no-wait says the change is requested and its status, not "Changed"', async () => {
    const r = await cli(['modify', 'shop', '--class', 'db.t4g.small', '--apply-immediately', '--no-wait']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('Changed shop');
    expect(r.stdout).toMatch(/^Requested for shop, being applied \(status modifying\):\n  DBInstanceClass: db\.t4g\.micro → db\.t4g\.small .*\n {2}\(`rdsctl describe shop` shows when it is done\)$/m);
    expect(r.stdout).toContain('shop restarts now to apply DBInstanceClass');
    for (let i = 0; i < 100 && (await describeDb('shop')).DBInstanceStatus !== 'available'; i++) await new Promise((res) => setTimeout(res, 200));
  });

  it('provision: the created instance has the CopyTagsToSnapshot the dry run showed', async () => {
    const dry = await cli(['provision', 'tags1', '--class', 'db.t4g.micro', '--dry-run', '--json']);
    expect(dry.json.data.request.CopyTagsToSnapshot).toBe(true);
    const r = await cli(['provision', 'tags1', '--class', 'db.t4g.micro', '--no-wait', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.DBInstance.CopyTagsToSnapshot).toBe(true);
  });
});

describe('hints name real rdsctl commands and flags, with the real id', () => {
  it('a managed password: the hint is --no-manage-master-password, which then works', async () => {
    for (let i = 0; i < 150 && (await describeDb('tags1')).DBInstanceStatus !== 'available'; i++) await new Promise((res) => setTimeout(res, 200));
    const prov = await cli(['provision', 'mgd', '--class', 'db.t4g.micro', '--manage-master-password', '-q']);
    expect(prov.code, prov.stderr).toBe(0);
    const r = await cli(['modify', 'mgd', '--new-password-stdin', '--json'], 'Another-Passw0rd-99\n');
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('PASSWORD_MANAGED');
    expect(r.json.error.hint).toBe('pass show db/master | rdsctl modify mgd --no-manage-master-password --new-password-stdin');
    expect(`${r.json.error.message} ${r.json.error.hint}`).not.toMatch(/ManageMasterUserPassword|=false/);
    const fixed = await cli(['modify', 'mgd', '--no-manage-master-password', '--new-password-stdin'], 'Another-Passw0rd-99\n');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((await describeDb('mgd')).MasterUserSecret).toBeUndefined();
  });

  it('delete: the hint suggests --final-snapshot with a real name (the local target takes final snapshots), never SkipFinalSnapshot=true', async () => {
    const none = await cli(['delete', 'mgd', '--yes', '--json']);
    expect([none.code, none.json.error.hint]).toEqual([2, 'e.g. rdsctl delete mgd --final-snapshot mgd-final']);
    expect(`${none.json.error.message} ${none.json.error.hint}`).not.toMatch(/SkipFinalSnapshot|FinalDBSnapshotIdentifier/);
  });

  it('deletion protection and a stopped instance: the hints carry the id', async () => {
    expect((await cli(['modify', 'mgd', '--deletion-protection'])).code).toBe(0);
    const prot = await cli(['delete', 'mgd', '--skip-final-snapshot', '--yes', '--json']);
    expect([prot.code, prot.json.error.hint]).toEqual([5, 'Turn it off first: rdsctl modify mgd --no-deletion-protection --apply-immediately']);
    expect((await cli(['stop', 'mgd'])).code).toBe(0);
    const reboot = await cli(['reboot', 'mgd', '--json']);
    expect([reboot.code, reboot.json.error.hint]).toEqual([5, 'It is stopped, and waiting will not change that: `rdsctl start mgd` starts it.']);
  });
});

describe('a stopped instance: every command that needs it running says so (exit 5)', () => {
  it('connect, connect --shell and analyze-queries', async () => {
    const queries = path.join(scratch, 'q.sql');
    writeFileSync(queries, 'SELECT 1;\n');
    for (const args of [['connect', 'mgd'], ['connect', 'mgd', '--shell'], ['analyze-queries', 'mgd', '--queries', queries, '--no-validate']]) {
      const r = await cli(args);
      expect([args.join(' '), r.code, r.stdout]).toEqual([args.join(' '), 5, '']);
      expect(r.stderr).toContain('error: mgd is stopped: `rdsctl start mgd`');
      expect(r.stderr).not.toMatch(/ERROR 2002|ECONNREFUSED/);
    }
  });
});

describe('connect uses the instance DBName', () => {
  it('the URL ends in /shop and --shell opens the shop database', async () => {
    const url = await cli(['connect', 'shop']);
    expect(url.code, url.stderr).toBe(0);
    expect(url.stdout).toMatch(new RegExp(`^mysql://${DEFAULT_MASTER_USERNAME}@127\\.0\\.0\\.1:\\d+/shop\\?`));
    const shell = await cli(['connect', 'shop', '--shell'], 'SELECT DATABASE() AS db;\n');
    expect(shell.code, shell.stderr).toBe(0);
    expect(shell.stdout.trim().split('\n')).toEqual(['db', 'shop']);
  });
});

describe('bad input exits 2 with one clear line', () => {
  it.each([
    [['--endpoint-url', 'not a url', 'list'], 'INVALID_ENDPOINT_URL', /--endpoint-url "not a url" is not an http/],
    [['--target', 'aws', '--region', 'not a region!', 'list'], 'INVALID_REGION', /--region "not a region!" is not an AWS region name/],
  ])('%j → %s', async (args, code, message) => {
    const r = await cli([...args, '--json'], undefined, { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x' });
    expect([r.code, r.json.error.code]).toEqual([2, code]);
    expect(r.json.error.message).toMatch(message);
  });

  it('--home naming a file, --home "" and RDSCTL_HOME="" are refused; the current folder is left alone', async () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, 'x');
    const cwd = mkdtempSync(path.join(scratch, 'cwd-'));
    const mode = statSync(cwd).mode & 0o777;
    const runs = [
      await runCli(['--home', file, 'list', '--json'], { env: { RDSCTL_HOME: home } }),
      // From a scratch folder: before the fix these used the working folder as the home (and chmodded it 0700).
      await inFolder(cwd, () => runCli(['--home', '', 'list', '--json'], { env: { RDSCTL_HOME: home } })),
      await inFolder(cwd, () => runCli(['list', '--json'], { env: { RDSCTL_HOME: '' } })),
    ];
    const modeAfter = statSync(cwd).mode & 0o777;
    await cleanupHome(cwd); // a control plane started there by a failing run must not outlive the test
    expect(runs.map((r) => [r.code, r.json.error.code])).toEqual([[2, 'INVALID_HOME'], [2, 'INVALID_HOME'], [2, 'INVALID_HOME']]);
    expect(runs[2]!.json.error.message).toMatch(/^RDSCTL_HOME is empty/);
    expect(modeAfter).toBe(mode);
    expect(statSync(file).isFile()).toBe(true);
  });

  it('RDSCTL_MARIADB_BINDIR while a control plane already runs: a warning naming `rdsctl local stop`', async () => {
    const r = await cli(['list'], undefined, { RDSCTL_MARIADB_BINDIR: '/nonexistent' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: RDSCTL_MARIADB_BINDIR=\/nonexistent is not used: the local control plane \(pid \d+\) already runs with the MariaDB found on PATH\. Run `rdsctl local stop`/);
  });
});
