import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanupHome, pidsMentioning, runCli, tempHome } from '../helpers/local-cli.js';

// A DBA's QA pass over the Foundation commands against the real local endpoint (real mariadbd).
let home: string;
let shellTmp: string;
const PASSWORD = 'Qa-Env-Passw0rd-7781';
const env = () => ({ RDSCTL_HOME: home });

beforeAll(async () => {
  home = await tempHome('rdsctl-qa-foundation-');
  shellTmp = mkdtempSync(path.join(os.tmpdir(), 'rdsctl-qa-shelltmp-'));
});
afterAll(async () => {
  await cleanupHome(home);
  rmSync(shellTmp, { recursive: true, force: true });
});

const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');

// Stands in for the control plane another rdsctl started a moment earlier: it holds the home's lock at once
// and answers only after 2 s (a real one generates the CA, reads the registry … first).
const SLOW_WINNER = `
const fs = require('fs'), http = require('http'), home = process.argv[2];
fs.writeFileSync(home + '/control-plane.pid', JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
setTimeout(() => {
  const s = http.createServer((q, r) => r.end(JSON.stringify({ pid: process.pid })));
  s.listen(0, '127.0.0.1', () => fs.writeFileSync(home + '/endpoint.json', JSON.stringify({ url: 'http://127.0.0.1:' + s.address().port,
    port: s.address().port, pid: process.pid, region: 'us-east-1', caFile: '', logFile: '', startedAt: '', portFixed: false })));
}, 2000);
setTimeout(() => process.exit(0), 60000);
`;

describe('first use, several commands at once', () => {
  it('three commands racing to start the control plane all succeed against the same one', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => runCli(['list', '--json'], { env: env() })));
    expect(runs.map((r) => [r.code, r.json?.ok])).toEqual([[0, true], [0, true], [0, true]]);
    expect(new Set(runs.map((r) => r.json.target.endpoint)).size).toBe(1);
  });

  it('a command that loses the start race to a control plane still starting waits for it (not exit 1 "another control plane serves")', async () => {
    const raceHome = await tempHome('rdsctl-qa-race-');
    const fakeDir = mkdtempSync(path.join(os.tmpdir(), 'rdsctl-qa-winner-'));
    writeFileSync(path.join(fakeDir, 'main.js'), SLOW_WINNER);
    const winner = spawn(process.execPath, [path.join(fakeDir, 'main.js'), raceHome], { stdio: 'ignore' });
    try {
      while (!existsSync(path.join(raceHome, 'control-plane.pid'))) await new Promise((r) => setTimeout(r, 20));
      const r = await runCli(['local', 'start', '--json'], { env: { RDSCTL_HOME: raceHome } });
      expect([r.code, r.json?.data?.pid]).toEqual([0, winner.pid]);
    } finally {
      winner.kill('SIGKILL');
      rmSync(fakeDir, { recursive: true, force: true });
      await cleanupHome(raceHome);
    }
  });
});

describe('secrets stay out of long-lived processes', () => {
  it('RDSCTL_MASTER_PASSWORD of the provision that started the control plane is not in its environment, nor in mariadbd\'s', async () => {
    await runCli(['local', 'stop'], { env: env() });
    const r = await runCli(['provision', 'EnvPw', '--class', 'db.t4g.micro', '--json'], { env: { ...env(), RDSCTL_MASTER_PASSWORD: PASSWORD } });
    expect([r.code, r.json?.error]).toEqual([0, undefined]);
    expect(r.json.data.DBInstance.DBInstanceIdentifier).toBe('envpw'); // stored lowercase, as RDS does
    const status = (await runCli(['local', 'status', '--json'], { env: env() })).json.data;
    const mariadbd = status.instances.find((i: { id: string }) => i.id === 'envpw');
    for (const pid of [status.pid, mariadbd.pid]) {
      expect(environOf(pid).some((v) => v.includes(PASSWORD))).toBe(false);
      expect(environOf(pid).some((v) => v.startsWith('RDSCTL_HOME='))).toBe(true); // the check can see the environment
    }
  });
});

describe('delete', () => {
  it('"Deleted" means gone: no secret and no instance folder are left when the command returns', async () => {
    expect((await runCli(['provision', 'gone1', '--class', 'db.t4g.micro', '--manage-master-password', '-q'], { env: env() })).code).toBe(0);
    expect((await runCli(['stop', 'gone1', '-q'], { env: env() })).code).toBe(0);
    const r = await runCli(['delete', 'gone1', '--skip-final-snapshot', '--yes'], { env: env() });
    expect([r.code, r.stdout.trim()]).toEqual([0, 'Deleted gone1.']);
    expect(existsSync(path.join(home, 'secrets', 'gone1.json'))).toBe(false);
    expect(existsSync(path.join(home, 'instances', 'gone1'))).toBe(false);
  });

  it('an SDK waiter polling without pause never sees DBInstanceNotFound while the secret or data are still there', async () => {
    const { DescribeDBInstancesCommand, RDSClient } = await import('@aws-sdk/client-rds');
    const ep = (await runCli(['local', 'env', '--json'], { env: env() })).json.data;
    const rds = new RDSClient({ endpoint: ep.AWS_ENDPOINT_URL, region: ep.AWS_REGION, credentials: { accessKeyId: ep.AWS_ACCESS_KEY_ID, secretAccessKey: ep.AWS_SECRET_ACCESS_KEY } });
    for (const id of ['gone2', 'gone3']) {
      expect((await runCli(['provision', id, '--class', 'db.t4g.micro', '--manage-master-password', '-q'], { env: env() })).code).toBe(0);
      expect((await runCli(['delete', id, '--skip-final-snapshot', '--yes', '--no-wait'], { env: env() })).code).toBe(0);
      for (;;) {
        const gone = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })).then(() => false, (e: Error) => e.name === 'DBInstanceNotFoundFault');
        if (gone) break;
      }
      expect([existsSync(path.join(home, 'secrets', `${id}.json`)), existsSync(path.join(home, 'instances', id))]).toEqual([false, false]);
    }
    rds.destroy();
  });
});

describe('identifiers in upper case (RDS stores them lowercase)', () => {
  it('modify ENVPW names the instance as stored', async () => {
    const r = await runCli(['modify', 'ENVPW', '--backup-retention', '3', '--dry-run'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Plan for envpw (dry run, nothing changed):');
  });
});

describe('modify without --apply-immediately', () => {
  it('reports what took effect at once apart from what waits for the maintenance window (it called everything "scheduled")', async () => {
    const dp = await runCli(['modify', 'envpw', '--deletion-protection'], { env: env() });
    expect([dp.code, dp.stdout]).toEqual([0, 'Changed envpw:\n  DeletionProtection: false → true\n']);
    const r = await runCli(['modify', 'envpw', '--no-deletion-protection', '--max-storage', '100', '--storage', '30', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.json.data).toMatchObject({ applied: false, pending: ['AllocatedStorage'] });
    const db = (await runCli(['describe', 'envpw', '--json'], { env: env() })).json.data.DBInstance;
    expect([db.DeletionProtection, db.MaxAllocatedStorage, db.AllocatedStorage, db.PendingModifiedValues.AllocatedStorage]).toEqual([false, 100, 20, 30]);
    const human = await runCli(['modify', 'envpw', '--backup-retention', '4', '--max-storage', '120'], { env: env() });
    // The storage change of the previous modify still waits, and the output says so (issue 6).
    expect(human.stdout).toBe('Changed envpw:\n  MaxAllocatedStorage: 100 → 120\n  BackupRetentionPeriod: 7 → 4\n'
      + 'Still pending from an earlier modify (next maintenance window):\n  AllocatedStorage: 20 → 30\n  (--apply-immediately applies them too)\n');
  });
});

describe('backups on the local target', () => {
  it('neither provision --help nor describe claims backups the local endpoint does not take', async () => {
    const help = await runCli(['provision', '--help'], { env: env() });
    expect(help.stdout).not.toMatch(/backed up/);
    const d = await runCli(['describe', 'envpw'], { env: env() });
    // Automated backups are real on local now: retention, and the latest time a restore can go to.
    expect(d.stdout).toMatch(/^Backup retention: +\d+ day\(s\)$/m);
    expect(d.stdout).toMatch(/^Latest restorable: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  });
});

describe('--password-stdin on a terminal', () => {
  it('is refused (the typed password would be echoed, and the read waited for Ctrl-D without a prompt)', async () => {
    const child = spawn('script', ['-qec', `${process.execPath} ${BIN} modify envpw --new-password-stdin`, '/dev/null'], {
      env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000); // without the check it waits for input forever
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect(code).toBe(2);
    expect(out).toMatch(/stdin is a terminal: nothing was changed/);
  });
});

describe('delete at the terminal prompt', () => {
  it('Ctrl-C at the confirmation is an interruption (exit 130, nothing changed), not "Unexpected error … a bug"', async () => {
    // `script` gives the command a real terminal; \x03 is what Ctrl-C types there.
    const child = spawn('script', ['-qec', `${process.execPath} ${BIN} delete envpw --skip-final-snapshot`, '/dev/null'], {
      env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let typed = false;
    child.stdin.on('error', () => {}); // `script` may be gone before the pipe drains
    child.stdout.on('data', (d) => {
      out += d;
      if (!typed && out.includes('[y/N]')) {
        typed = true;
        child.stdin.write('\x03');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(out).toMatch(/Interrupted \(Ctrl-C\): nothing was changed/);
    expect(out).not.toMatch(/Unexpected error/);
    expect((await runCli(['describe', 'envpw', '--json'], { env: env() })).json.data.DBInstance.DBInstanceStatus).toBe('available');
  });
});

describe('local start / stop / status', () => {
  it('local start --port N while it runs on another port is a conflict (exit 5), not a silent success', async () => {
    const st = (await runCli(['local', 'status', '--json'], { env: env() })).json.data;
    const r = await runCli(['local', 'start', '--port', String(st.port === 65000 ? 65001 : 65000), '--json'], { env: env() });
    expect(r.code).toBe(5);
    expect(r.json.error.code).toBe('LOCAL_ALREADY_RUNNING');
    expect((await runCli(['local', 'status', '--json'], { env: env() })).json.data.pid).toBe(st.pid);
  });

  it('after local stop, status shows no live pids and says the statuses are the last recorded; local start brings the instance back', async () => {
    expect((await runCli(['local', 'stop'], { env: env() })).code).toBe(0);
    const st = await runCli(['local', 'status', '--json'], { env: env() });
    const envpw = st.json.data.instances.find((i: { id: string }) => i.id === 'envpw');
    expect(envpw).toMatchObject({ status: 'available', running: false });
    expect(envpw.pid).toBeUndefined();
    const human = await runCli(['local', 'status'], { env: env() });
    expect(human.stdout).toMatch(/last status/);
    expect(human.stdout).toMatch(/not running/);
    expect((await runCli(['local', 'start'], { env: env() })).code).toBe(0);
    // The instances come back in the background (status `starting` meanwhile).
    let status = '';
    for (let i = 0; i < 100 && status !== 'available'; i++) {
      status = (await runCli(['describe', 'envpw', '--json'], { env: env() })).json.data.DBInstance.DBInstanceStatus;
      expect(['starting', 'available']).toContain(status);
    }
    expect(status).toBe('available');
  });
});

describe('connect --shell', () => {
  it('Ctrl-C goes to the mariadb client; rdsctl waits for it and removes the 0600 option file holding the password', async () => {
    const child = spawn(process.execPath, [BIN, 'connect', 'envpw', '--shell'], {
      env: { ...process.env, RDSCTL_HOME: home, TMPDIR: shellTmp, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.stdin.on('error', () => {}); // without the fix rdsctl is gone before we write: the test fails on the exit code
    // The client reads SQL from our (open) stdin; wait until it runs with its option file.
    for (let i = 0; i < 200 && (await pidsMentioning(shellTmp, 'mariadb')).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(shellTmp)).toHaveLength(1);
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    child.stdin.end('SELECT 1;\n');
    expect(await exited).toBe(0); // the client's exit code, not 130: rdsctl did not walk away from it
    expect(readdirSync(shellTmp)).toEqual([]);
    expect(await pidsMentioning(shellTmp)).toEqual([]);
  });

  it('SIGTERM ends rdsctl and the client: exit 143, the option file and the client are gone', async () => {
    const child = spawn(process.execPath, [BIN, 'connect', 'envpw', '--shell'], {
      env: { ...process.env, RDSCTL_HOME: home, TMPDIR: shellTmp, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.stdin.on('error', () => {});
    for (let i = 0; i < 200 && (await pidsMentioning(shellTmp, 'mariadb')).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(shellTmp)).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toMatch(/Interrupted \(SIGTERM\)/);
    expect(readdirSync(shellTmp)).toEqual([]);
    for (let i = 0; i < 50 && (await pidsMentioning(shellTmp)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await pidsMentioning(shellTmp)).toEqual([]);
  });
});
