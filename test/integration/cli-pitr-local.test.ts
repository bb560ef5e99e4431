import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { startTmux } from '../helpers/tmux.js';

// Issue 8 as a DBA runs it: restore-window, restore --to-time / --latest --target, and the refusals
// (no zone, future, before the window, malformed, target exists) with exit 2/5 and nothing created.
let home: string;
const PASSWORD = 'Pitr-CLI-Passw0rd-8';
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD, RDSCTL_DB_PASSWORD: PASSWORD, RDSCTL_SUPERVISE_MS: '500' });
const cli = (args: string[]) => runCli(args, { env: env() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sqlOn<T = unknown>(id: string, text: string): Promise<T> {
  const c = (await cli(['credentials', id, '--json'])).json.data;
  const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: PASSWORD, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
  try {
    return (await conn.query(text))[0] as T;
  } finally {
    await conn.end();
  }
}

const ids = async () => ((await cli(['list', '--json'])).json.data.DBInstances as { DBInstanceIdentifier: string }[]).map((d) => d.DBInstanceIdentifier).sort();
let marks: { n: number; s: number }[] = [];

beforeAll(async () => {
  home = await tempHome('rdsctl-cli-pitr-');
  const r = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--db-name', 'shop', '--backup-retention', '1', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  await sqlOn('shop', 'CREATE TABLE shop.orders (n INT PRIMARY KEY, ts DATETIME NOT NULL)');
  for (let n = 1; n <= 12; n++) {
    await sqlOn('shop', `INSERT INTO shop.orders VALUES (${n}, NOW())`);
    await sleep(250);
  }
  marks = (await sqlOn<{ n: number; s: number }[]>('shop', 'SELECT n, UNIX_TIMESTAMP(ts) AS s FROM shop.orders ORDER BY n')).map((x) => ({ n: x.n, s: Number(x.s) }));
  await sleep(3500);
}, 180_000);
afterAll(async () => {
  await cleanupHome(home);
});

describe('point-in-time restore through the CLI (local target)', () => {
  it('restore-window shows the window in UTC (--json: one document)', async () => {
    const r = await cli(['restore-window', 'shop', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const w = r.json.data;
    expect(Date.parse(w.LatestTime)).toBeGreaterThanOrEqual(marks.at(-1)!.s * 1000);
    expect(Date.parse(w.EarliestTime)).toBeLessThanOrEqual(marks[0].s * 1000);
    const human = await cli(['restore-window', 'shop']);
    expect(human.stdout).toMatch(/^shop: restorable from \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ to .*Z \(UTC/);
  });

  it('refuses a time with no zone, in the future, before the window, malformed; and an existing target — exit 2/5, nothing created', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--to-time', '2026-11-26T10:15:06'], 2, /--to-time "2026-11-26T10:15:06" has no time zone.*rdsctl restore-window shop/],
      [['--to-time', new Date(Date.now() + 3600_000).toISOString()], 2, /--to-time .* is in the future.*rdsctl restore-window shop/],
      [['--to-time', '2020-01-01T00:00:00Z'], 2, /--to-time 2020-01-01T00:00:00Z is before the restore window of shop.*rdsctl restore-window shop/],
      [['--to-time', 'yesterday'], 2, /--to-time "yesterday" is not an ISO 8601 time/],
      [['--to-time', '2026-13-01T00:00:00Z'], 2, /is not a valid time.*rdsctl restore-window shop/],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(['restore', 'shop', ...args, '--target', 'copy']);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr.split('\n').filter((l) => message.test(l)), r.stderr).toHaveLength(1); // one line says it all
    }
    const exists = await cli(['restore', 'shop', '--latest', '--target', 'shop', '--json']);
    expect(exists.code).toBe(5);
    expect(exists.json.error.code).toBe('INSTANCE_EXISTS');
    expect(await ids()).toEqual(['shop']);
  });

  it('--dry-run prints the plan in UTC; --to-time with an offset restores exactly the rows up to that second', async () => {
    const cut = marks[5].s;
    const local = new Date((cut + 3600) * 1000).toISOString().replace('.000Z', '+01:00');
    const dry = await cli(['restore', 'shop', '--to-time', local, '--target', 'before', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`as of ${new Date(cut * 1000).toISOString().replace('.000Z', 'Z')} (UTC; you gave ${local})`);
    expect(await ids()).toEqual(['shop']);
    const r = await cli(['restore', 'shop', '--to-time', local, '--target', 'before', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.DBInstance.DBInstanceStatus).toBe('available');
    const rows = await sqlOn<{ n: number }[]>('before', 'SELECT n FROM shop.orders ORDER BY n');
    expect(rows.map((x) => x.n)).toEqual(marks.filter((m) => m.s <= cut).map((m) => m.n));
    const latest = await cli(['restore', 'shop', '--latest', '--target', 'now', '--class', 'db.t4g.small', '--storage', '30']);
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout).toMatch(/Restored now from shop as of its latest restorable time/);
    expect((await sqlOn<{ c: number }[]>('now', 'SELECT COUNT(*) AS c FROM shop.orders'))[0].c).toBe(12);
    // --class and --storage override the source's (db.t4g.micro, 20 GiB), as on the snapshot restore
    expect((await cli(['describe', 'now', '--json'])).json.data.DBInstance).toMatchObject({ DBInstanceClass: 'db.t4g.small', AllocatedStorage: 30 });
  }, 120_000);

  it('on a terminal restore --latest says in UTC what it restores and shows the statuses while it waits', async () => {
    const t = await startTmux('pitr-restore', { env: { ...env(), NO_COLOR: '1' } });
    try {
      await t.run(`${process.execPath} ${BIN} restore shop --latest --target tty`);
      expect(await t.exitCode(120_000)).toBe(0);
      const text = (await t.history()).replace(/\n/g, ''); // lines wrap at 80 columns: fold them
      expect(text).toMatch(/Restore shop as of its latest restorable time \(now \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)/);
      expect(text).toMatch(/tty: creating.*tty: backing-up.*tty: available/);
      expect(text).toMatch(/Restored tty from shop/);
    } finally {
      await t.kill();
    }
    expect((await sqlOn<{ c: number }[]>('tty', 'SELECT COUNT(*) AS c FROM shop.orders'))[0].c).toBe(12);
  }, 150_000);

  it('delete says before asking that the automated backups go with the instance; --keep-automated-backups keeps them', async () => {
    const dry = await cli(['delete', 'shop', '--skip-final-snapshot', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/its automated backups are deleted with it.*--keep-automated-backups.*--final-snapshot shop-final/);
    const keep = await cli(['delete', 'shop', '--skip-final-snapshot', '--keep-automated-backups', '--dry-run', '--json']);
    expect(keep.json.data.plan).toMatchObject({ DBInstanceIdentifier: 'shop', SkipFinalSnapshot: true, DeleteAutomatedBackups: false });
    expect(JSON.stringify(keep.json.data)).not.toMatch(/cannot be brought back/);
    const r = await cli(['delete', 'shop', '--skip-final-snapshot', '--keep-automated-backups', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
});
