import { describe, expect, it } from 'vitest';
import { useMotoCli } from '../helpers/moto.js';

// scale-replicas, replicas and promote against moto_server, an independent implementation of the RDS API
// (metadata only: no replication, no StatusInfos, statuses change at once).
const PASSWORD = 'Moto-repl-Passw0rd';
const moto = useMotoCli(PASSWORD, 'AKIDMOTOTEST00000002');
const rdsctl = moto.rdsctl;
const describeIt = async (id: string) => (await rdsctl('describe', id)).doc.data.DBInstance;

describe('read replicas against moto_server', () => {
  it('scale-replicas to 2 creates shop-replica-1 and -2, and moto lists them on the source', async () => {
    expect((await rdsctl('provision', 'shop', '--engine', 'mysql', '--class', 'db.t4g.small', '--storage', '20')).code).toBe(0);
    const r = await rdsctl('scale-replicas', 'shop', '--count', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.data.replicas.map((x: any) => x.id).sort()).toEqual(['shop-replica-1', 'shop-replica-2']);
    expect((await describeIt('shop')).ReadReplicaDBInstanceIdentifiers.sort()).toEqual(['shop-replica-1', 'shop-replica-2']);
    expect(await describeIt('shop-replica-1')).toMatchObject({ ReadReplicaSourceDBInstanceIdentifier: 'shop', DBInstanceStatus: 'available' });
  });

  it('replicas lists each with status and endpoint', async () => {
    const r = await rdsctl('replicas', 'shop');
    expect(r.code).toBe(0);
    expect(r.doc.data.replicas).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'shop-replica-1', status: 'available', endpoint: expect.stringMatching(/:\d+$/) })]));
  });

  it('scale down to 1 removes the newest (by InstanceCreateTime)', async () => {
    const times = await Promise.all(['shop-replica-1', 'shop-replica-2'].map(async (id) => ({ id, t: new Date((await describeIt(id)).InstanceCreateTime).getTime() })));
    const newest = [...times].sort((a, b) => b.t - a.t || b.id.localeCompare(a.id))[0]!.id;
    const r = await rdsctl('scale-replicas', 'shop', '--count', '1', '--yes');
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.data.plan.delete).toEqual([newest]);
    expect((await describeIt('shop')).ReadReplicaDBInstanceIdentifiers).toEqual(times.map((x) => x.id).filter((id) => id !== newest));
    expect((await rdsctl('describe', newest)).code).toBe(4);
  });

  it('promote sends PromoteReadReplica with the retention, which moto stores', async () => {
    // moto (5.x) keeps ReadReplicaSourceDBInstanceIdentifier after a promotion, so waiting for the
    // detachment (what RDS shows) would never end there: --no-wait, and only what moto models is asserted.
    const left = (await describeIt('shop')).ReadReplicaDBInstanceIdentifiers[0];
    const r = await rdsctl('promote', left, '--backup-retention', '3', '--yes', '--no-wait');
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.data).toMatchObject({ promoted: false, formerSource: 'shop' });
    expect(await describeIt(left)).toMatchObject({ BackupRetentionPeriod: 3, DBInstanceStatus: 'available' });
  });

  it('unknown instance → 4; bad count → 2 before any call', async () => {
    expect((await rdsctl('scale-replicas', 'nope', '--count', '1')).code).toBe(4);
    expect((await rdsctl('replicas', 'nope')).code).toBe(4);
    expect((await rdsctl('promote', 'nope', '--yes')).code).toBe(4);
    expect((await rdsctl('scale-replicas', 'shop', '--count', '16')).code).toBe(2);
  });
});
