import { describe, expect, it } from 'vitest';
import { DEFAULT_MASTER_USERNAME } from '../../src/core/identifiers.js';
import { runRdsctl } from '../helpers/cli-aws.js';
import { useMotoCli } from '../helpers/moto.js';

// The real CLI against moto_server, an independent implementation of RDS's API metadata: state we
// set must come back through a server we did not write. moto's statuses change instantly, so the
// CLI's waits (status polling) finish on the first poll; what moto does not model is not asserted.
const PASSWORD = 'Moto-test-Passw0rd';
const moto = useMotoCli(PASSWORD, 'AKIDMOTOTEST00000001');
const rdsctl = moto.rdsctl;

async function described(id: string) {
  const { code, doc } = await rdsctl('describe', id);
  expect(code).toBe(0);
  return doc.data.DBInstance;
}

describe('rdsctl --target aws against moto_server (RDS, engine mysql)', () => {
  it('provision waits until available and moto stores what we asked for', async () => {
    const { code, doc } = await rdsctl('provision', 'shop', '--engine', 'mysql', '--class', 'db.t4g.small', '--storage', '20', '--max-storage', '100', '--db-name', 'shop');
    expect(code).toBe(0);
    expect(doc.data.DBInstance).toMatchObject({ DBInstanceIdentifier: 'shop', DBInstanceStatus: 'available' });
    expect(await described('shop')).toMatchObject({
      Engine: 'mysql',
      DBInstanceClass: 'db.t4g.small',
      AllocatedStorage: 20,
      MaxAllocatedStorage: 100,
      StorageType: 'gp3',
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      MasterUsername: DEFAULT_MASTER_USERNAME,
      DBName: 'shop',
      PubliclyAccessible: false,
      DeletionProtection: false,
      CopyTagsToSnapshot: true,
    });
  });

  it('provisioning the same identifier again → exit 5 INSTANCE_EXISTS', async () => {
    const { code, doc } = await rdsctl('provision', 'shop', '--engine', 'mysql', '--no-wait');
    expect(code).toBe(5);
    expect(doc.error).toMatchObject({ code: 'INSTANCE_EXISTS', awsName: 'DBInstanceAlreadyExistsFault' });
  });

  it('list shows every instance moto holds', async () => {
    expect((await rdsctl('provision', 'shop-reports', '--engine', 'mysql', '--no-encrypted', '--backup-retention', '0')).code).toBe(0);
    const { code, doc } = await rdsctl('list');
    expect(code).toBe(0);
    const rows = doc.data.DBInstances.map((d: any) => [d.DBInstanceIdentifier, d.StorageEncrypted, d.BackupRetentionPeriod]);
    expect(rows.sort()).toEqual([['shop', true, 7], ['shop-reports', false, 0]]);
  });

  it('modify --apply-immediately changes class, storage, retention and deletion protection', async () => {
    const { code, doc } = await rdsctl('modify', 'shop', '--class', 'db.t4g.large', '--storage', '30', '--backup-retention', '3', '--deletion-protection', '--apply-immediately');
    expect(code).toBe(0);
    expect(doc.data.changes.map((c: any) => c.field)).toEqual(['DBInstanceClass', 'AllocatedStorage', 'BackupRetentionPeriod', 'DeletionProtection']);
    expect(await described('shop')).toMatchObject({ DBInstanceClass: 'db.t4g.large', AllocatedStorage: 30, BackupRetentionPeriod: 3, DeletionProtection: true });
  });

  it('modify with nothing to change → exit 2, and the instance is untouched', async () => {
    const { code, doc } = await rdsctl('modify', 'shop', '--class', 'db.t4g.large', '--apply-immediately');
    expect(code).toBe(2);
    expect(doc.error.code).toBe('NOTHING_TO_MODIFY');
    expect((await described('shop')).DBInstanceClass).toBe('db.t4g.large');
  });

  it('storage autoscaling off: --no-max-storage, and a ceiling equal to the storage (moto reports none then, as RDS does)', async () => {
    expect((await described('shop')).MaxAllocatedStorage).toBe(100);
    const off = await rdsctl('modify', 'shop', '--no-max-storage', '--apply-immediately');
    expect(off.code).toBe(0);
    expect(off.doc.data.changes).toEqual([{ field: 'MaxAllocatedStorage', from: 100, to: 30, note: 'turns storage autoscaling off' }]);
    expect((await described('shop')).MaxAllocatedStorage).toBeUndefined();
    expect((await rdsctl('modify', 'shop', '--max-storage', '200', '--apply-immediately')).code).toBe(0);
    expect((await described('shop')).MaxAllocatedStorage).toBe(200);
    expect((await rdsctl('modify', 'shop', '--max-storage', '30', '--apply-immediately')).code).toBe(0);
    expect((await described('shop')).MaxAllocatedStorage).toBeUndefined();
  });

  it('stop → stopped, start → available, reboot → available', async () => {
    for (const [cmd, status] of [['stop', 'stopped'], ['start', 'available'], ['reboot', 'available']] as const) {
      const { code, doc } = await rdsctl(cmd, 'shop');
      expect({ cmd, code, status: doc.data.DBInstance.DBInstanceStatus }).toEqual({ cmd, code: 0, status });
      expect((await described('shop')).DBInstanceStatus).toBe(status);
    }
  });

  it('human mode: status progress with elapsed time on stderr, the instance on stdout', async () => {
    const r = await runRdsctl(['--target', 'aws', '--region', 'us-east-1', '--endpoint-url', moto.url(), 'reboot', 'shop'], moto.env());
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^target: aws \(us-east-1, http:\/\/127\.0\.0\.1:\d+\)$/m);
    expect(r.stderr).toMatch(/^\[\s*\d+\.\ds\] shop: available$/m);
    expect(r.stdout).toMatch(/^Identifier:\s+shop$/m);
    expect(r.stdout).toMatch(/^Class:\s+db\.t4g\.large$/m);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('delete of a protected instance → exit 5, instance still there', async () => {
    const { code, doc } = await rdsctl('delete', 'shop', '--yes', '--skip-final-snapshot');
    expect(code).toBe(5);
    expect(doc.error.code).toBe('DELETION_PROTECTED');
    expect((await described('shop')).DBInstanceStatus).toBe('available');
  });

  it('delete after turning protection off: gone, describe → exit 4, list no longer shows it', async () => {
    expect((await rdsctl('modify', 'shop', '--no-deletion-protection', '--apply-immediately')).code).toBe(0);
    const del = await rdsctl('delete', 'shop', '--yes', '--skip-final-snapshot');
    expect(del.code).toBe(0);
    expect(del.doc.data).toMatchObject({ deleted: true, plan: { DBInstanceIdentifier: 'shop', SkipFinalSnapshot: true } });
    const gone = await rdsctl('describe', 'shop');
    expect(gone.code).toBe(4);
    expect(gone.doc.error).toMatchObject({ code: 'INSTANCE_NOT_FOUND', awsName: 'DBInstanceNotFoundFault' });
    const list = await rdsctl('list');
    expect(list.doc.data.DBInstances.map((d: any) => d.DBInstanceIdentifier)).toEqual(['shop-reports']);
  });
});
