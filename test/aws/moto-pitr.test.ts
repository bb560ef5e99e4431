import { describe, expect, it } from 'vitest';
import { useMotoCli } from '../helpers/moto.js';

// restore-window and restore --latest / --to-time against moto_server, an independent implementation of
// the RDS API. moto answers DescribeDBInstanceAutomatedBackups without a RestoreWindow (it keeps no
// backups) and RestoreDBInstanceToPointInTime at once: the CLI must say so honestly and still restore.
const PASSWORD = 'Moto-pitr-Passw0rd';
const moto = useMotoCli(PASSWORD, 'AKIDMOTOTEST00000008');
const rdsctl = moto.rdsctl;

describe('point-in-time restore against moto_server', () => {
  it('restore-window of an instance moto keeps no window for; --latest restores a new instance', async () => {
    expect((await rdsctl('provision', 'shop', '--engine', 'mysql', '--class', 'db.t4g.small', '--storage', '20', '--backup-retention', '1')).code).toBe(0);
    const w = await rdsctl('restore-window', 'shop');
    expect(w.code, w.stderr).toBe(0);
    expect(w.doc.data).toMatchObject({ DBInstanceIdentifier: 'shop', Status: 'active' });
    const r = await rdsctl('restore', 'shop', '--latest', '--target', 'shop-latest');
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.data.DBInstance).toMatchObject({ DBInstanceIdentifier: 'shop-latest', DBInstanceStatus: 'available' });
    const again = await rdsctl('restore', 'shop', '--latest', '--target', 'shop-latest');
    expect([again.code, again.doc.error.code]).toEqual([5, 'INSTANCE_EXISTS']);
    const none = await rdsctl('restore', 'shop', '--to-time', '2026-11-26T10:15:06', '--target', 'x');
    expect([none.code, none.doc.error.code]).toEqual([2, 'RESTORE_TIME_NO_ZONE']);
  });
});
