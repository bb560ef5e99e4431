import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitTargets } from '../../src/cli/commands/restore.js';
import { BIN, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { startTmux } from '../helpers/tmux.js';

// Issue 8 §1 as a DBA runs it on the local target: snapshot create/list/describe/delete, restore
// --snapshot --target <new-id> (the global --target shares the name), delete --final-snapshot.
let home: string;
const PASSWORD = 'Snapshot-CLI-Passw0rd-8';
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD, RDSCTL_DB_PASSWORD: PASSWORD });
const cli = (args: string[]) => runCli(args, { env: env() });

async function count(id: string): Promise<number> {
  const c = (await cli(['credentials', id, '--json'])).json.data;
  const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: PASSWORD, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
  try {
    const [rows] = await conn.query('SELECT COUNT(*) AS n FROM shop.orders');
    return Number((rows as { n: number }[])[0].n);
  } finally {
    await conn.end();
  }
}

async function sqlOn(id: string, text: string): Promise<void> {
  const c = (await cli(['credentials', id, '--json'])).json.data;
  const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: PASSWORD, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
  await conn.query(text).finally(() => conn.end());
}

beforeAll(async () => {
  home = await tempHome('rdsctl-cli-snap-');
  const r = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--db-name', 'shop', '--backup-retention', '0', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  await sqlOn('shop', 'CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
  await sqlOn('shop', 'INSERT INTO shop.orders (v) SELECT seq FROM shop.seq_1_to_50');
}, 180_000);
afterAll(async () => {
  await cleanupHome(home);
});

describe('restore --target next to the global --target', () => {
  it('local/aws pick where the command goes; any other value names the new instance', () => {
    expect(splitTargets(['node', 'rdsctl', 'restore', '--snapshot', 's', '--target', 'copy'])).toEqual({ where: undefined, newId: 'copy' });
    expect(splitTargets(['--target', 'aws', 'restore', '--target=copy'])).toEqual({ where: 'aws', newId: 'copy' });
    expect(() => splitTargets(['restore', '--target', 'a1', '--target', 'b1'])).toThrow(/two new instance names/);
  });
});

describe('snapshots through the CLI on the local target', () => {
  it('delete without a backup says so before asking; snapshot create, list, describe; restore --snapshot --target', async () => {
    const dry = await cli(['delete', 'shop', '--skip-final-snapshot', '--dry-run']);
    expect(dry.stdout).toMatch(/no automated backups and no snapshots.*--final-snapshot shop-final/);
    // On a real terminal the warning is part of the question, before the answer is read.
    const t = await startTmux('snap-delete', { env: { ...env(), NO_COLOR: '1' } });
    try {
      await t.run(`${process.execPath} ${BIN} delete shop --skip-final-snapshot`);
      await t.waitFor(/\[y\/N\]\s*$/m);
      // The question wraps between words at 80 columns: compare it with its line breaks folded.
      expect((await t.joined()).replace(/\s+/g, ' ')).toMatch(/WITHOUT a final snapshot — it has no automated backups and no snapshots, so its data cannot be brought back \(take one: --final-snapshot shop-final\)\? \[y\/N\]/);
      await t.keys('n', 'Enter');
      expect(await t.exitCode()).toBe(2);
      expect(await t.screen()).toMatch(/Aborted: nothing was changed/);
    } finally {
      await t.kill();
    }
    expect((await cli(['describe', 'shop'])).code).toBe(0);

    const created = await cli(['snapshot', 'create', 'shop', 'shop-s1', '--json']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.data.DBSnapshot).toMatchObject({ DBSnapshotIdentifier: 'shop-s1', Status: 'available', PercentProgress: 100 });
    expect((await cli(['delete', 'shop', '--skip-final-snapshot', '--dry-run'])).stdout).not.toMatch(/no automated backups/);

    const list = await cli(['snapshot', 'list', 'shop']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/shop-s1\s+shop\s+available/);
    const desc = await cli(['snapshot', 'describe', 'shop-s1']);
    expect(desc.stdout).toMatch(/Status:\s+available/);
    expect((await cli(['snapshot', 'describe', 'nope'])).code).toBe(4);
    expect((await cli(['snapshot', 'create', 'shop', 'shop-s1'])).code).toBe(5);

    await sqlOn('shop', 'INSERT INTO shop.orders (v) VALUES (999)');
    const restored = await cli(['restore', '--snapshot', 'shop-s1', '--target', 'shop-copy', '--class', 'db.t4g.small', '--json']);
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    expect(restored.json.data.DBInstance).toMatchObject({ DBInstanceIdentifier: 'shop-copy', DBInstanceStatus: 'available', DBInstanceClass: 'db.t4g.small' });
    expect(await count('shop-copy')).toBe(50);
    expect(await count('shop')).toBe(51);
    const missing = await cli(['restore', '--snapshot', 'shop-s1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/rdsctl restore --snapshot shop-s1 --target shop-s1-copy/);
  }, 300_000);

  it('delete --final-snapshot takes a real snapshot that outlives the instance; snapshot delete asks, --yes deletes', async () => {
    const del = await cli(['delete', 'shop', '--final-snapshot', 'shop-final', '--yes', '--json']);
    expect(del.code, del.stderr + del.stdout).toBe(0);
    const final = await cli(['snapshot', 'describe', 'shop-final', '--json']);
    expect(final.json.data.DBSnapshot).toMatchObject({ Status: 'available', DBInstanceIdentifier: 'shop' });
    expect((await cli(['describe', 'shop'])).code).toBe(4);

    const noTty = await cli(['snapshot', 'delete', 'shop-s1']);
    expect(noTty.code).toBe(2);
    expect((await cli(['snapshot', 'describe', 'shop-s1'])).code).toBe(0);
    const gone = await cli(['snapshot', 'delete', 'shop-s1', '--yes', '--json']);
    expect(gone.code, gone.stderr).toBe(0);
    expect((await cli(['snapshot', 'describe', 'shop-s1'])).code).toBe(4);
  }, 300_000);
});
