import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/aws-clients.js';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';

// How long the passwords `rdsctl users` keeps live on the local target (docs/SECURITY.md): as long as something
// can bring the users back. Real CLI, real control plane, real mariadbd; the AWS CLI as the other client.
let home: string;
const PASSWORD = 'Users-Life-Passw0rd-12';
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD, RDSCTL_SUPERVISE_MS: '500' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cli = (args: string[]) => runCli(args, { env: env(), timeoutMs: 240_000 });
const kept = (id: string) => path.join(home, 'secrets', 'users', 'local', id);

/** Logs in as a user with the password `rdsctl credentials --user` prints: 'ok' or the MySQL errno. */
async function login(id: string, user: string): Promise<'ok' | number | string> {
  const r = await cli(['credentials', id, '--user', user, '--json']);
  if (r.code !== 0) return `credentials exit ${r.code}: ${r.stderr}`;
  const c = r.json.data;
  try {
    const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
    await conn.end();
    return 'ok';
  } catch (err) {
    return (err as { errno: number }).errno;
  }
}

/** `eval "$(rdsctl local env)"` for the AWS CLI. */
async function awsEnv(): Promise<Record<string, string>> {
  const out = (await cli(['local', 'env'])).stdout;
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_')) e[k] = v;
  for (const m of out.matchAll(/^export (\w+)='([^']*)'$/gm)) e[m[1]] = m[2];
  return { ...e, AWS_EC2_METADATA_DISABLED: 'true' };
}

async function aws(...args: string[]) {
  const e = await awsEnv();
  return run('aws', [...args, '--endpoint-url', e.AWS_ENDPOINT_URL, '--output', 'json'], { env: e, timeoutMs: 180_000 });
}
const events = async (id: string): Promise<string[]> => JSON.parse((await aws('rds', 'describe-events', '--source-identifier', id, '--source-type', 'db-instance', '--duration', '60')).stdout)
  .Events.map((x: { Message: string }) => x.Message);

beforeAll(async () => {
  home = await tempHome('rdsctl-users-life-');
  const r = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--db-name', 'shop', '--master-username', 'admin', '--backup-retention', '1', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  for (const [name, role] of [['app_rw', 'app'], ['ro', 'readonly']]) {
    const u = await cli(['users', 'create', 'shop', name, '--role', role]);
    expect(u.code, u.stderr + u.stdout).toBe(0);
  }
}, 300_000);
afterAll(async () => {
  if (home) await cleanupHome(home);
});

describe('kept user passwords follow what can restore the users', () => {
  it('delete --final-snapshot: removed with the instance, a 0600 copy with the snapshot; the restore brings the users back with their passwords', async () => {
    const dry = await cli(['delete', 'shop', '--final-snapshot', 'shop-final', '--dry-run']);
    expect(dry.stdout).toContain('The kept passwords of the database users app_rw, ro (rdsctl users) are removed with it; a copy stays with snapshot shop-final');
    expect(existsSync(kept('shop'))).toBe(true);

    const d = await cli(['delete', 'shop', '--final-snapshot', 'shop-final', '--yes', '--json']);
    expect(d.code, d.stderr + d.stdout).toBe(0);
    expect(d.json.data.userPasswords).toEqual({ users: ['app_rw', 'ro'], removed: true, keptWith: ['snapshot shop-final'] });
    expect(d.stdout).not.toMatch(/"password"/);
    expect(existsSync(kept('shop'))).toBe(false);
    const copy = path.join(home, 'snapshots', 'shop-final', 'users');
    expect(readdirSync(copy).sort()).toEqual(['app_rw.json', 'ro.json']);
    for (const f of readdirSync(copy)) expect(statSync(path.join(copy, f)).mode & 0o777).toBe(0o600);
    expect(statSync(copy).mode & 0o777).toBe(0o700);

    const r = await cli(['restore', '--snapshot', 'shop-final', '--target', 'shop2']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('Database users restored with their kept passwords: app_rw, ro (rdsctl credentials shop2 --user NAME)');
    expect(await login('shop2', 'app_rw')).toBe('ok');
    expect(await login('shop2', 'ro')).toBe('ok');
    const list = await cli(['users', 'list', 'shop2', '--json']);
    expect(list.json.data.users.map((u: { username: string; onServer: boolean }) => [u.username, u.onServer])).toEqual([['app_rw', true], ['ro', true]]);

    // The snapshot's copy goes with the snapshot.
    expect((await cli(['snapshot', 'delete', 'shop-final', '--yes'])).code).toBe(0);
    expect(existsSync(copy)).toBe(false);
  }, 400_000);

  it('a DeleteDBInstance from the AWS CLI removes them too, and DescribeEvents says so', async () => {
    const p = await cli(['provision', 'cart', '--class', 'db.t4g.micro', '--db-name', 'cart', '--master-username', 'admin', '--backup-retention', '0']);
    expect(p.code, p.stderr + p.stdout).toBe(0);
    expect((await cli(['users', 'create', 'cart', 'cart_app', '--role', 'app'])).code).toBe(0);
    expect(existsSync(kept('cart'))).toBe(true);
    const del = await aws('rds', 'delete-db-instance', '--db-instance-identifier', 'cart', '--skip-final-snapshot');
    expect(del.code, del.stderr).toBe(0);
    const waited = await aws('rds', 'wait', 'db-instance-deleted', '--db-instance-identifier', 'cart');
    expect(waited.code, waited.stderr).toBe(0);
    expect(existsSync(kept('cart'))).toBe(false);
    expect(await events('cart')).toContain('Removed the kept passwords of the database users cart_app (rdsctl users); nothing that could restore those users is left');
    expect(await events('shop2')).toContain('Database users restored with their kept passwords: app_rw, ro (rdsctl credentials shop2 --user NAME)');
    expect(await events('shop')).toContain('Removed the kept passwords of the database users app_rw, ro (rdsctl users); copies stay with snapshot shop-final (the passwords each was taken with) for a restore');
  }, 300_000);

  it('point in time: a password rotated after the restore point is not given to the restored user (named instead); retained backups keep a copy for a restore', async () => {
    expect((await cli(['provision', 'inv', '--class', 'db.t4g.micro', '--db-name', 'inv', '--master-username', 'admin', '--backup-retention', '1'])).code).toBe(0);
    expect((await cli(['users', 'create', 'inv', 'inv_app', '--role', 'app'])).code).toBe(0);
    await sleep(2000);
    const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000', '');
    await sleep(1500);
    expect((await cli(['users', 'rotate', 'inv', 'inv_app'])).code).toBe(0);
    await sleep(3500);
    const r = await cli(['restore', 'inv', '--to-time', at, '--target', 'inv-then', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.data.restoredUsers).toEqual(['Database users restored whose password at that point rdsctl no longer holds: inv_app; drop and create them again (rdsctl users drop inv-then NAME, then rdsctl users create)']);
    expect(await events('inv-then')).toContain('Database users restored whose password at that point rdsctl no longer holds: inv_app; drop and create them again (rdsctl users drop inv-then NAME, then rdsctl users create)');
    expect((await cli(['credentials', 'inv-then', '--user', 'inv_app'])).code).toBe(4);
    expect(existsSync(kept('inv-then'))).toBe(false);

    const dbi = (await cli(['describe', 'inv', '--json'])).json.data.DBInstance.DbiResourceId as string;
    const d = await cli(['delete', 'inv', '--skip-final-snapshot', '--keep-automated-backups', '--yes', '--json']);
    expect(d.code, d.stderr + d.stdout).toBe(0);
    expect(d.json.data.userPasswords).toEqual({ users: ['inv_app'], removed: true, keptWith: ['the retained automated backups'] });
    expect(existsSync(kept('inv'))).toBe(false);
    const copy = path.join(home, 'backups', dbi, 'users', 'inv_app.json');
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    const restored = await aws('rds', 'restore-db-instance-to-point-in-time', '--source-dbi-resource-id', dbi, '--target-db-instance-identifier', 'inv-late', '--use-latest-restorable-time');
    expect(restored.code, restored.stderr).toBe(0);
    expect((await aws('rds', 'wait', 'db-instance-available', '--db-instance-identifier', 'inv-late')).code).toBe(0);
    expect(await login('inv-late', 'inv_app')).toBe('ok');
  }, 400_000);
});
