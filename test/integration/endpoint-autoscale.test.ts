import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopLocalEndpoint } from '../../src/local/control/endpoint.js';
import { instancePaths } from '../../src/local/engine/paths.js';
import { directoryBytes } from '../../src/local/engine/storage.js';
import { Registry } from '../../src/local/state/registry.js';
import { connect, describe1, instancePid, sleep, startHarness, waitAvailable, waitFor, type Harness } from './endpoint-harness.js';

/**
 * Storage autoscaling through the real endpoint, the real SDK and real mariadbd processes filled with
 * real rows. A 20 GiB minimum cannot be filled in a test, so — as in endpoint-storage.test.ts — the
 * recorded quota is lowered under the instance (the one seam), here to 1 GiB while the control plane is
 * stopped, so nothing races the edit. The control plane gets the test knobs: a storage check every
 * 250 ms, a metrics sample every 500 ms (autoscaling reads its history from the stored FreeStorageSpace)
 * and a 3 s low-storage window; the 6-hour cooldown stays RDS's (these instances never changed storage).
 */
process.env.RDSCTL_STORAGE_CHECK_MS = '250';
process.env.RDSCTL_METRICS_INTERVAL_MS = '500';
process.env.RDSCTL_AUTOSCALE_WINDOW_MS = '3000';
delete process.env.RDSCTL_AUTOSCALE_COOLDOWN_MS;

const GiB = 1024 ** 3;
const MAX = 40;
const APPLYING = 'Applying autoscaling-initiated modification to allocated storage.';
const FINISHED = 'Finished applying autoscaling-initiated modification to allocated storage.';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('ep-autoscale');
}, 180_000);
afterAll(async () => {
  await h?.close(); // stopLocalEndpoint, then every pid seen must be gone; removes the home
}, 180_000);

async function create(id: string, extra: Record<string, unknown>): Promise<void> {
  const { CreateDBInstanceCommand } = await import('@aws-sdk/client-rds');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: id, DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!', DBName: 'app', ...extra,
  }));
}

async function messages(id: string): Promise<string[]> {
  const { DescribeEventsCommand } = await import('@aws-sdk/client-rds');
  const out = await h.rds.send(new DescribeEventsCommand({ SourceIdentifier: id, SourceType: 'db-instance', Duration: 60, MaxRecords: 100 }));
  return (out.Events ?? []).map((e) => e.Message ?? '');
}

const used = (id: string) => directoryBytes(instancePaths(h.home, id).datadir);

/** Inserts 16 MiB of rows at a time (about 32 MiB on disk with the ROW binlog) until `done` says stop. */
async function fill(id: string, done: () => Promise<boolean>): Promise<void> {
  const conn = await connect(h.home, id, 'app');
  try {
    await conn.query('CREATE TABLE IF NOT EXISTS blobs (id INT AUTO_INCREMENT PRIMARY KEY, v LONGBLOB)');
    for (let i = 0; i < 100 && !(await done()); i++) {
      await conn.query("INSERT INTO blobs (v) SELECT REPEAT('x', 1048576) FROM seq_1_to_16");
    }
  } finally {
    await conn.end();
  }
}

async function insertRow(id: string): Promise<void> {
  const conn = await connect(h.home, id, 'app');
  try {
    await conn.query('CREATE TABLE IF NOT EXISTS rows_ (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))');
    await conn.query("INSERT INTO rows_ (v) VALUES ('x')");
  } finally {
    await conn.end();
  }
}

/** The seam: both instances get a 1 GiB quota from birth (save, not update: no storage change is recorded). */
async function lowerQuotas(ids: string[]): Promise<void> {
  ids.forEach((id) => h.seenPids.add(instancePid(h.home, id)!));
  await stopLocalEndpoint(h.home);
  const registry = new Registry(h.home);
  for (const id of ids) registry.save({ ...registry.get(id)!, allocatedStorage: 1 });
  await h.restart();
  for (const id of ids) await waitAvailable(h, id);
}

describe('storage autoscaling (MaxAllocatedStorage)', () => {
  it('grows an instance that stays ≥ 90% full for the window and keeps it writable; without a ceiling it turns storage-full', async () => {
    await create('grow', { MaxAllocatedStorage: MAX });
    await create('full', {});
    await waitAvailable(h, 'grow');
    await waitAvailable(h, 'full');
    await lowerQuotas(['grow', 'full']);
    expect((await describe1(h, 'grow')).AllocatedStorage).toBe(1);

    // With MaxAllocatedStorage: ≥ 90% of 1 GiB (but below 100%) of real data.
    await fill('grow', async () => (await used('grow')) >= 0.91 * GiB);
    expect(await used('grow')).toBeLessThan(GiB);
    await waitFor(h, 'grow', (db) => (db.AllocatedStorage ?? 0) > 1, 'AllocatedStorage grows');
    const grown = await describe1(h, 'grow');
    expect(grown.AllocatedStorage).toBeLessThanOrEqual(MAX);
    expect(grown.MaxAllocatedStorage).toBe(MAX);
    expect(grown.DBInstanceStatus).toBe('available');
    const growEvents = await messages('grow');
    expect(growEvents).toEqual(expect.arrayContaining([APPLYING, FINISHED]));
    expect(growEvents.join('\n')).not.toContain('storage-full'); // never went read-only
    await insertRow('grow');

    // Without MaxAllocatedStorage the same filling ends in storage-full and read-only.
    await fill('full', async () => (await describe1(h, 'full')).DBInstanceStatus === 'storage-full').catch((err) => {
      if ((err as { errno?: number }).errno !== 1290) throw err; // read-only arrived mid-insert: that is the point
    });
    await waitFor(h, 'full', (db) => db.DBInstanceStatus === 'storage-full', 'storage-full');
    expect((await describe1(h, 'full')).AllocatedStorage).toBe(1);
    await expect(insertRow('full')).rejects.toMatchObject({ errno: 1290 }); // ER_OPTION_PREVENTS_STATEMENT
    const fullEvents = await messages('full');
    expect(fullEvents.join('\n')).toContain('storage-full');
    expect(fullEvents).not.toContain(FINISHED);

    // Turning autoscaling on lifts storage-full: low storage has lasted the window and there is headroom.
    const { ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'full', MaxAllocatedStorage: MAX }));
    await waitFor(h, 'full', (db) => (db.AllocatedStorage ?? 0) > 1 && db.DBInstanceStatus === 'available', 'autoscaled and available');
    expect((await describe1(h, 'full')).AllocatedStorage).toBeLessThanOrEqual(MAX);
    expect(await messages('full')).toContain(FINISHED);
    await insertRow('full');
  }, 600_000);

  it('keeps the low-storage window across a control-plane restart (the history is the stored FreeStorageSpace)', async () => {
    const WINDOW = 30_000;
    process.env.RDSCTL_AUTOSCALE_WINDOW_MS = String(WINDOW); // read by the control plane lowerQuotas restarts
    try {
      await create('keep', { MaxAllocatedStorage: MAX });
      await waitAvailable(h, 'keep');
      await lowerQuotas(['keep']);
      await fill('keep', async () => (await used('keep')) >= 0.91 * GiB);
      const lowAt = Date.now(); // the storage check (250 ms) and the sampler (500 ms) see it within a second
      await sleep(15_000); // half the window: not grown yet
      expect((await describe1(h, 'keep')).AllocatedStorage).toBe(1);
      h.seenPids.add(instancePid(h.home, 'keep')!);
      await stopLocalEndpoint(h.home);
      await h.restart();
      const restartedAt = Date.now();
      await waitFor(h, 'keep', (db) => (db.AllocatedStorage ?? 0) > 1, 'AllocatedStorage grows after the restart');
      const grownAt = Date.now();
      // Grown about a window after storage turned low, not a whole window after the restart.
      expect(grownAt - restartedAt).toBeLessThan(WINDOW - 5_000);
      expect(grownAt - lowAt).toBeGreaterThanOrEqual(WINDOW - 2_000);
      expect(await messages('keep')).toEqual(expect.arrayContaining([APPLYING, FINISHED]));
    } finally {
      process.env.RDSCTL_AUTOSCALE_WINDOW_MS = '3000';
    }
  }, 600_000);
});
