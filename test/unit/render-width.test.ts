import type { DBInstance } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { renderInstance, renderInstanceList } from '../../src/cli/render/instances.js';
import { interruptedError } from '../../src/cli/render/interrupted.js';

// An instance as DescribeDBInstances returns it on AWS: a 50-character endpoint, a 75-character KMS key ARN.
const aws: DBInstance = {
  DBInstanceIdentifier: 'shop-prod', DBInstanceStatus: 'available', DBInstanceClass: 'db.r6g.xlarge', Engine: 'mysql',
  EngineVersion: '8.0.39', AllocatedStorage: 500, MaxAllocatedStorage: 1000, StorageType: 'gp3', StorageEncrypted: true,
  KmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', MasterUsername: 'admin',
  Endpoint: { Address: 'shop-prod.c9akciq32xyz.eu-west-1.rds.amazonaws.com', Port: 3306 }, BackupRetentionPeriod: 7,
  DeletionProtection: true, CACertificateIdentifier: 'rds-ca-rsa2048-g1', DbiResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  InstanceCreateTime: new Date('2026-01-02T03:04:05Z'),
  StatusInfos: [{ StatusType: 'read replication', Status: 'replicating', Message: 'Replication is running normally with no lag to report at this time' }],
};
const widest = (t: string) => Math.max(...t.split('\n').map((l) => l.length));

describe('human output fits the width', () => {
  it('list: at 80 columns the fewest columns are left out (ENCRYPTED before the endpoint), and the table names a real command to see them; a wide terminal shows it', () => {
    const text = renderInstanceList([aws], 80);
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toMatch(/^\(ENDPOINT not shown at 80 columns: `rdsctl describe shop-prod` or --json\)$/m);
    // A local endpoint (127.0.0.1:PORT) fits once ENCRYPTED is left out.
    const local = renderInstanceList([{ ...aws, DBInstanceIdentifier: 'shop', DBInstanceClass: 'db.t4g.medium', Engine: 'mariadb', EngineVersion: '10.11.19', AllocatedStorage: 20, Endpoint: { Address: '127.0.0.1', Port: 19236 } }], 80);
    expect(widest(local)).toBeLessThanOrEqual(80);
    expect(local).toMatch(/127\.0\.0\.1:19236/);
    expect(local).toMatch(/^\(ENCRYPTED not shown at 80 columns: `rdsctl describe shop` or --json\)$/m);
    expect(renderInstanceList([aws], 160)).toMatch(/shop-prod\.c9akciq32xyz\.eu-west-1\.rds\.amazonaws\.com:3306/);
  });

  it('describe: 80 columns, long values continue under the value column, the key shown by its id', () => {
    const text = renderInstance(aws, 'aws', 80);
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toMatch(/^Encrypted: +yes \(KMS key 1234abcd-12ab-34cd-56ef-1234567890ab\)$/m);
    expect(text).toMatch(/^Status info: +read replication: replicating \(Replication is running\n {21}normally with no lag/m);
  });
});

describe('Ctrl-C message', () => {
  it('says what still goes on on the target and how to follow it', () => {
    const e = interruptedError([['shop', 'creating']]);
    expect([e.exitCode, e.message, e.hint]).toEqual([130, 'Interrupted (Ctrl-C): rdsctl stopped waiting; shop is still being created on the target.',
      'It carries on without rdsctl: follow it with `rdsctl describe shop`.']);
    expect(interruptedError([['shop', 'rebooting']]).message).toMatch(/shop is still rebooting on the target/);
  });
});
