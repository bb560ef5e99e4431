import { describe, expect, it } from 'vitest';
import { planCreate } from '../../src/local/ops/instances-validate.js';
import { planModify, needsJob } from '../../src/local/ops/modify-plan.js';
import { checkMaxRecords, page } from '../../src/local/ops/instances-describe.js';
import { storageVerdict } from '../../src/local/ops/storage.js';
import type { InstanceRecord } from '../../src/local/state/registry.js';
import { AwsFault } from '../../src/local/server/types.js';

const create = {
  DBInstanceIdentifier: 'Shop-1', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: '20',
  MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!',
};

function fault(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AwsFault) return e.code;
    throw e;
  }
  return 'ok';
}

describe('planCreate', () => {
  it('normalises the identifier and applies RDS defaults', () => {
    expect(planCreate(create, { mysqlAvailable: false, engineVersion: '10.11.6' })).toMatchObject({
      id: 'shop-1', storageType: 'gp3', backupRetentionPeriod: 1, storageEncrypted: false, deletionProtection: false, manageMasterUserPassword: false,
    });
  });

  const table: [string, Record<string, string | undefined>, string][] = [
    ['valid', {}, 'ok'],
    ['missing identifier', { DBInstanceIdentifier: undefined }, 'MissingParameter'],
    ['identifier with --', { DBInstanceIdentifier: 'a--b' }, 'InvalidParameterValue'],
    ['identifier ending in -', { DBInstanceIdentifier: 'ab-' }, 'InvalidParameterValue'],
    ['identifier 64 chars', { DBInstanceIdentifier: `a${'b'.repeat(63)}` }, 'InvalidParameterValue'],
    ['engine mysql without MySQL 8', { Engine: 'mysql' }, 'InvalidParameterCombination'],
    ['engine oracle', { Engine: 'oracle-ee' }, 'InvalidParameterValue'],
    ['class malformed', { DBInstanceClass: 't4g.micro' }, 'InvalidParameterValue'],
    ['class unknown', { DBInstanceClass: 'db.x9.nano' }, 'InvalidParameterCombination'],
    ['storage 19', { AllocatedStorage: '19' }, 'InvalidParameterValue'],
    ['storage 65537', { AllocatedStorage: '65537' }, 'InvalidParameterValue'],
    ['storage 65536', { AllocatedStorage: '65536' }, 'ok'],
    ['io1 needs 100', { StorageType: 'io1', AllocatedStorage: '50' }, 'InvalidParameterValue'],
    ['storage not a number', { AllocatedStorage: '20GB' }, 'InvalidParameterValue'],
    ['retention 35', { BackupRetentionPeriod: '35' }, 'ok'],
    ['retention 36', { BackupRetentionPeriod: '36' }, 'InvalidParameterValue'],
    ['retention -1', { BackupRetentionPeriod: '-1' }, 'InvalidParameterValue'],
    ['both password modes', { ManageMasterUserPassword: 'true' }, 'InvalidParameterCombination'],
    ['managed password only', { ManageMasterUserPassword: 'true', MasterUserPassword: undefined }, 'ok'],
    ['no password', { MasterUserPassword: undefined }, 'InvalidParameterValue'],
    ['password with @', { MasterUserPassword: 'abc@defgh' }, 'InvalidParameterValue'],
    ['password too short', { MasterUserPassword: 'short' }, 'InvalidParameterValue'],
    ['reserved user', { MasterUsername: 'root' }, 'InvalidParameterValue'],
    ['max storage ≤ allocated', { MaxAllocatedStorage: '20' }, 'InvalidParameterCombination'],
    ['Multi-AZ', { MultiAZ: 'true' }, 'InvalidParameterCombination'],
    ['public', { PubliclyAccessible: 'true' }, 'InvalidParameterCombination'],
    ['KMS without encryption', { KmsKeyId: 'k' }, 'InvalidParameterCombination'],
    ['port too low', { Port: '80' }, 'InvalidParameterValue'],
    ['bad boolean', { DeletionProtection: 'yes' }, 'InvalidParameterValue'],
    ['empty DBName (Terraform sends it for "unset")', { DBName: '' }, 'ok'],
    ['bad DBName', { DBName: '1db' }, 'InvalidParameterValue'],
  ];
  it.each(table)('%s → %s', (_what, change, code) => {
    const flat = Object.fromEntries(Object.entries({ ...create, ...change }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    expect(fault(() => planCreate(flat, { mysqlAvailable: false, engineVersion: '10.11.6' }))).toBe(code);
  });
});

const rec = (over: Partial<InstanceRecord> = {}): InstanceRecord => ({
  id: 'shop', dbiResourceId: 'db-X', engine: 'mariadb', engineVersion: '10.11.6', instanceClass: 'db.t4g.micro', masterUsername: 'admin',
  manageMasterUserPassword: false, port: 4000, nodes: [{ id: 'shop', role: 'primary', port: 4000, serverId: 1 }], allocatedStorage: 100, storageType: 'gp3', backupRetentionPeriod: 7,
  preferredBackupWindow: '03:00-03:30', preferredMaintenanceWindow: 'sun:05:00-sun:05:30', storageEncrypted: false, deletionProtection: false,
  createTime: '2026-01-01T00:00:00Z', status: 'available', desiredState: 'running', initCompleted: true, pending: {}, tags: [], availabilityZone: 'us-east-1a',
  ...over,
});

describe('planModify', () => {
  const table: [string, Record<string, string>, string][] = [
    ['grow by 10%', { AllocatedStorage: '110' }, 'ok'],
    ['grow by 9%', { AllocatedStorage: '109' }, 'InvalidParameterCombination'],
    ['shrink', { AllocatedStorage: '50' }, 'InvalidParameterCombination'],
    ['same storage', { AllocatedStorage: '100' }, 'ok'],
    ['class unknown', { DBInstanceClass: 'db.x9.nano' }, 'InvalidParameterCombination'],
    ['retention 40', { BackupRetentionPeriod: '40' }, 'InvalidParameterValue'],
    ['max below allocated', { MaxAllocatedStorage: '50' }, 'InvalidParameterCombination'],
    ['rename', { NewDBInstanceIdentifier: 'other' }, 'InvalidParameterCombination'],
    ['both password modes', { MasterUserPassword: 'Sup3r-secret!', ManageMasterUserPassword: 'true' }, 'InvalidParameterCombination'],
  ];
  it.each(table)('%s → %s', (_w, flat, code) => {
    expect(fault(() => planModify({ DBInstanceIdentifier: 'shop', ...flat }, rec()))).toBe(code);
  });

  it('defers class and storage without ApplyImmediately; applies metadata now', () => {
    const plan = planModify({ DBInstanceClass: 'db.t4g.large', AllocatedStorage: '200', DeletionProtection: 'true', BackupRetentionPeriod: '14' }, rec());
    expect(plan).toMatchObject({ applyImmediately: false, deferred: { DBInstanceClass: 'db.t4g.large', AllocatedStorage: 200 }, now: { deletionProtection: true, backupRetentionPeriod: 14 } });
    expect(needsJob(plan, {})).toBe(false);
    expect(needsJob({ ...plan, applyImmediately: true }, {})).toBe(true);
  });

  it('switching backups off waits for the window unless ApplyImmediately (an outage on RDS)', () => {
    expect(planModify({ BackupRetentionPeriod: '0' }, rec()).deferred).toEqual({ BackupRetentionPeriod: 0 });
    expect(planModify({ BackupRetentionPeriod: '0', ApplyImmediately: 'true' }, rec()).now).toEqual({ backupRetentionPeriod: 0 });
  });

  it('a password change always runs at once; MaxAllocatedStorage = AllocatedStorage turns autoscaling off', () => {
    expect(needsJob(planModify({ MasterUserPassword: 'An0ther-secret' }, rec()), {})).toBe(true);
    expect(planModify({ MaxAllocatedStorage: '100' }, rec({ maxAllocatedStorage: 500 })).clearMaxAllocated).toBe(true);
  });
});

describe('paging and storage', () => {
  const items = Array.from({ length: 45 }, (_, i) => ({ id: `db-${String(i).padStart(2, '0')}` }));
  it.each([
    [20, undefined, 20, 'db-20'],
    [20, 'db-20', 20, 'db-40'],
    [20, 'db-40', 5, undefined],
    [100, undefined, 45, undefined],
    [20, 'db-99', 0, undefined],
  ])('MaxRecords %i from %s → %i items, next %s', (max, marker, n, next) => {
    const p = page(items, max, marker);
    expect(p.items.length).toBe(n);
    expect(p.marker).toBe(next);
  });

  it('MaxRecords must be 20–100', () => {
    expect(fault(() => checkMaxRecords(19))).toBe('InvalidParameterValue');
    expect(fault(() => checkMaxRecords(101))).toBe('InvalidParameterValue');
    expect(checkMaxRecords(undefined)).toBe(100);
  });

  const GiB = 1024 ** 3;
  it.each([
    [20, 19 * GiB, false, 'same'],
    [20, 20 * GiB, false, 'fill'],
    [20, 21 * GiB, true, 'same'],
    [30, 21 * GiB, true, 'clear'],
  ])('allocated %i GiB, used %i bytes, read-only %s → %s', (alloc, used, ro, verdict) => {
    expect(storageVerdict(alloc, used, ro)).toBe(verdict);
  });
});
