import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { connectAs, PASSWORD, writeWorkload, type LedgerEntry } from './binlog-workload.js';

// Issue 8: `restore --before "DROP TABLE orders"` brings back the dropped table with every earlier
// transaction present and nothing after the drop, on the local target. Needs the local endpoint's
// RestoreDBInstanceToPointInTime (automated backups + binlog archive, honouring the
// rdsctl:restore-before-gtid tag): it passes once that work is merged; before, the endpoint answers InvalidAction.
let home: string;
let ledger: LedgerEntry[];
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD });
const cli = (args: string[], timeoutMs?: number) => runCli(args, { env: env(), timeoutMs });

beforeAll(async () => {
  home = await tempHome('rdsctl-before-e2e-');
  const r = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--db-name', 'shop', '--backup-retention', '1', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  ledger = await writeWorkload(home, 'shop');
}, 240_000);
afterAll(async () => {
  await cleanupHome(home);
}, 120_000);

describe('restore --before (local, end to end)', () => {
  it('recovers the dropped table with every earlier transaction, and nothing from after the drop', async () => {
    // The endpoint's latest restorable time trails now by up to 5 s.
    await new Promise((r) => setTimeout(r, 6_000));
    const r = await cli(['restore', 'shop', '--before', 'DROP TABLE orders', '--target', 'shop-before', '--yes', '--json'], 600_000);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.data.match.gtid).toBe(ledger.find((e) => e.label === 'drop orders')!.gtid);
    expect(r.json.data.DBInstance.DBInstanceStatus).toBe('available');

    const conn = await connectAs(home, 'shop-before');
    try {
      const [orders] = await conn.query('SELECT id, v FROM orders ORDER BY id');
      // 10 inserted, ids 1–4 +100, id 10 set to 0, ids 1–2 deleted, id 11 inserted just before the drop.
      expect(orders).toEqual([[3, 103], [4, 104], [5, 5], [6, 6], [7, 7], [8, 8], [9, 9], [10, 0], [11, 11]].map(([id, v]) => ({ id, v })));
      const [customers] = await conn.query('SELECT id FROM customers ORDER BY id');
      // Customer 6 was inserted after the drop, in the same second: an exact cut leaves it out.
      expect((customers as Array<{ id: number }>).map((c) => c.id)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await conn.end();
    }
    // The source is untouched: its orders table is still gone.
    const src = await connectAs(home, 'shop');
    try {
      await expect(src.query('SELECT 1 FROM orders')).rejects.toThrow(/doesn't exist/);
    } finally {
      await src.end();
    }
  }, 900_000);
});
