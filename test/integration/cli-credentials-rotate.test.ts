import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { startTmux } from '../helpers/tmux.js';

// rdsctl credentials <id> --rotate on the local target: a plan, a question on a terminal (--yes otherwise),
// RotateMasterUserPassword on the endpoint, and a new password that works while the old one is refused.
let home: string;
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: 'Plain-passw0rd' });
const cli = (args: string[]) => runCli(args, { env: env() });

async function creds(id: string) {
  const r = await cli(['credentials', id, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json.data as { username: string; password: string; host: string; port: number; caFile: string };
}

async function login(c: Awaited<ReturnType<typeof creds>>, password: string): Promise<true | string> {
  try {
    const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
    await conn.end();
    return true;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

beforeAll(async () => {
  home = await tempHome('rdsctl-cli-rotate-');
  for (const args of [['provision', 'vault', '--manage-master-password'], ['provision', 'plain']]) {
    const r = await cli([...args, '--class', 'db.t4g.micro', '--backup-retention', '0', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
  }
}, 240_000);
afterAll(async () => {
  await cleanupHome(home);
});

describe('rdsctl credentials --rotate (local target)', () => {
  it('--dry-run says what would happen and changes nothing; without a terminal it needs --yes', async () => {
    const before = await creds('vault');
    const dry = await cli(['credentials', 'vault', '--rotate', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Rotate the master password of vault \(secret arn:aws:secretsmanager:us-east-1:000000000000:secret:rds!db-.*— dry run, nothing changed\.$/m);
    const piped = await cli(['credentials', 'vault', '--rotate']);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/needs confirmation, and there is no terminal to ask on/);
    expect((await creds('vault')).password).toBe(before.password);
    const alone = await cli(['credentials', 'vault', '--dry-run']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--dry-run and --no-wait go with --rotate');
  });

  it('an instance whose password the target does not manage → exit 5, its password unchanged', async () => {
    const r = await cli(['credentials', 'plain', '--rotate', '--yes']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^error: The master password of plain is not managed by the target/m);
    expect(r.stderr).toMatch(/^hint: Set a new one yourself: pass show db\/master \| rdsctl modify plain --new-password-stdin$/m);
    expect(await login(await creds('plain'), 'Plain-passw0rd')).toBe(true);
  });

  it('asks on a terminal; "y" rotates: the old password is refused, the new one works, no password is printed', async () => {
    const before = await creds('vault');
    const t = await startTmux('rotate', { env: { ...env(), NO_COLOR: '1' } });
    try {
      await t.run(`${process.execPath} ${BIN} credentials vault --rotate`);
      await t.waitFor(/\[y\/N\]\s*$/m);
      expect((await t.joined()).replace(/\s+/g, ' ')).toMatch(/Rotate the master password of vault \(secret arn:aws:secretsmanager:\S+\): clients still using the current one are refused once it completes\? \[y\/N\]/);
      await t.keys('y', 'Enter');
      expect(await t.exitCode(60_000)).toBe(0);
      const out = await t.history();
      expect(out.replace(/\s+/g, ' ')).toContain('Rotated the master password of vault; `rdsctl credentials vault` prints the new one.');
      expect(out).not.toContain(before.password);
    } finally {
      await t.kill();
    }
    const after = await creds('vault');
    expect(after.password).not.toBe(before.password);
    expect(await login(after, after.password)).toBe(true);
    expect(await login(after, before.password)).toBe('ER_ACCESS_DENIED_ERROR');
  }, 120_000);
});
