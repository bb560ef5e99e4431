import { describe, expect, it } from 'vitest';
import { useMotoCli } from '../helpers/moto.js';

// snapshot create/list/describe/delete, restore --snapshot and delete --final-snapshot against
// moto_server, an independent implementation of the RDS API (metadata only; statuses change at once).
// Every call carries the global `--target aws`, so restore's own `--target <new-id>` is told apart here too.
const PASSWORD = 'Moto-snap-Passw0rd';
const moto = useMotoCli(PASSWORD, 'AKIDMOTOTEST00000003');
const rdsctl = moto.rdsctl;

describe('snapshots against moto_server', () => {
  it('snapshot create waits until available; list and describe show it', async () => {
    expect((await rdsctl('provision', 'shop', '--engine', 'mysql', '--class', 'db.t4g.small', '--storage', '20')).code).toBe(0);
    const c = await rdsctl('snapshot', 'create', 'shop', 'shop-s1');
    expect(c.code, c.stderr).toBe(0);
    expect(c.doc.data.DBSnapshot).toMatchObject({ DBSnapshotIdentifier: 'shop-s1', DBInstanceIdentifier: 'shop', Status: 'available' });
    const l = await rdsctl('snapshot', 'list', 'shop');
    expect(l.doc.data.DBSnapshots.map((s: any) => s.DBSnapshotIdentifier)).toContain('shop-s1');
    expect((await rdsctl('snapshot', 'describe', 'shop-s1')).doc.data.DBSnapshot.AllocatedStorage).toBe(20);
    const missing = await rdsctl('snapshot', 'describe', 'nope');
    expect([missing.code, missing.doc.error.code]).toEqual([4, 'SNAPSHOT_NOT_FOUND']);
    const again = await rdsctl('snapshot', 'create', 'shop', 'shop-s1');
    expect([again.code, again.doc.error.code]).toEqual([5, 'SNAPSHOT_EXISTS']);
  });

  it('restore --snapshot --target makes the new instance on the aws target (the global --target aws kept)', async () => {
    const r = await rdsctl('restore', '--snapshot', 'shop-s1', '--target', 'shop-copy');
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.data.DBInstance).toMatchObject({ DBInstanceIdentifier: 'shop-copy', DBInstanceStatus: 'available' });
    expect((await rdsctl('describe', 'shop-copy')).code).toBe(0);
  });

  it('delete --final-snapshot leaves the snapshot; snapshot delete --yes removes one', async () => {
    const d = await rdsctl('delete', 'shop', '--final-snapshot', 'shop-final', '--yes');
    expect(d.code, d.stderr).toBe(0);
    expect((await rdsctl('snapshot', 'describe', 'shop-final')).code).toBe(0);
    const del = await rdsctl('snapshot', 'delete', 'shop-s1', '--yes');
    expect(del.code, del.stderr).toBe(0);
    expect((await rdsctl('snapshot', 'describe', 'shop-s1')).code).toBe(4);
  });
});
