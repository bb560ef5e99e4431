import { describe, expect, it } from 'vitest';
import { LOCAL_RDS_KEY_ARN, LOCAL_SECRETSMANAGER_KEY_ARN, secretKeyArn, storageKeyArn } from '../../src/local/ops/arns.js';
import { newManagedSecret, rotatedSecret } from '../../src/local/ops/master-secret.js';

describe('the managed master password secret', () => {
  it('is named rds!db-<uuid>; its ARN adds a dash and six characters, in the endpoint\'s region and account', () => {
    const s = newManagedSecret(new Date('2026-12-01T10:00:00Z'));
    expect(s.name).toMatch(/^rds!db-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(s.arn).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:${s.name.replace('!', '\\!')}-[A-Za-z0-9]{6}$`));
    expect(s).toMatchObject({ createdAt: '2026-12-01T10:00:00.000Z', versionCreatedAt: '2026-12-01T10:00:00.000Z' });
    expect(newManagedSecret().name).not.toBe(s.name);
  });

  it('a rotation makes a new AWSCURRENT version and keeps the replaced password as AWSPREVIOUS (only one)', () => {
    const s = newManagedSecret(new Date('2026-12-01T10:00:00Z'));
    const once = rotatedSecret(s, 'first', new Date('2026-12-01T11:00:00Z'));
    expect(once).toMatchObject({ name: s.name, arn: s.arn, previous: { versionId: s.versionId, password: 'first', createdAt: s.versionCreatedAt }, rotatedAt: '2026-12-01T11:00:00.000Z' });
    expect(once.versionId).not.toBe(s.versionId);
    const twice = rotatedSecret(once, 'second', new Date('2026-12-01T12:00:00Z'));
    expect(twice.previous).toEqual({ versionId: once.versionId, password: 'second', createdAt: '2026-12-01T11:00:00.000Z' });
  });
});

describe('storageKeyArn (KmsKeyId of encrypted instances, snapshots, restores)', () => {
  it.each([
    [undefined, LOCAL_RDS_KEY_ARN],
    ['alias/aws/rds', LOCAL_RDS_KEY_ARN],
    ['arn:aws:kms:us-east-1:000000000000:alias/aws/rds', LOCAL_RDS_KEY_ARN],
    // Records from before this fix: the DbiResourceId stood in for a key.
    ['arn:aws:kms:us-east-1:000000000000:key/db-ABCDEFGHIJKLMNOPQRSTUVWXYZ', LOCAL_RDS_KEY_ARN],
    ['arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['alias/mine', undefined],
    ['arn:aws:kms:us-east-1:000000000000:alias/mine', undefined],
  ])('%s → %s', (input, want) => {
    expect(storageKeyArn(input)).toBe(want);
  });

  it('MasterUserSecret.KmsKeyId: the aws/secretsmanager key ARN by default, a key id made an ARN, anything else as given', () => {
    expect(secretKeyArn(undefined)).toBe(LOCAL_SECRETSMANAGER_KEY_ARN);
    expect(secretKeyArn('alias/aws/secretsmanager')).toBe(LOCAL_SECRETSMANAGER_KEY_ARN);
    expect(secretKeyArn('1234abcd-12ab-34cd-56ef-1234567890ab')).toBe('arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(secretKeyArn('alias/mine')).toBe('alias/mine');
    expect(LOCAL_SECRETSMANAGER_KEY_ARN).not.toBe(LOCAL_RDS_KEY_ARN);
  });

  it('the aws/rds key is a key ARN with a key id, not an alias', () => {
    expect(LOCAL_RDS_KEY_ARN).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe('a home from before the local Secrets Manager', () => {
  it('at start, a managed password gets its secret (current password as AWSCURRENT); a replica that copied the flag loses it', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { Registry } = await import('../../src/local/state/registry.js');
    const { ensureHome } = await import('../../src/local/state/home.js');
    const { writeSecret, readSecret } = await import('../../src/local/state/secrets.js');
    const { adoptLegacySecrets, getSecretValue } = await import('../../src/local/ops/secrets-manager.js');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-legacy-secret-'));
    try {
      ensureHome(home);
      const registry = new Registry(home);
      const base: any = { engine: 'mariadb', engineVersion: '10.11.6', instanceClass: 'db.t4g.micro', masterUsername: 'admin', manageMasterUserPassword: true,
        port: 4000, nodes: [], allocatedStorage: 20, storageType: 'gp3', backupRetentionPeriod: 1, preferredBackupWindow: '03:00-03:30',
        preferredMaintenanceWindow: 'sun:05:00-sun:05:30', storageEncrypted: false, deletionProtection: false, createTime: '2026-01-01T00:00:00Z',
        status: 'available', desiredState: 'running', initCompleted: true, pending: {}, tags: [], availabilityZone: 'us-east-1a' };
      registry.save({ ...base, id: 'old', dbiResourceId: 'db-OLD' });
      registry.save({ ...base, id: 'old-replica', dbiResourceId: 'db-REP', source: 'old' });
      writeSecret(home, 'old', { username: 'admin', password: 'Legacy-passw0rd', managed: true });
      const ctx: any = { home, registry };
      adoptLegacySecrets(ctx);
      const arn = registry.get('old')!.masterUserSecretArn!;
      expect(arn).toBe(readSecret(home, 'old')!.managedSecret!.arn);
      const v = await getSecretValue(ctx)({ service: 'secretsmanager', action: 'GetSecretValue', flat: {}, json: { SecretId: arn }, requestId: 'r', accessKeyId: 'k', region: 'us-east-1' });
      expect(JSON.parse(v.SecretString!)).toEqual({ username: 'admin', password: 'Legacy-passw0rd' });
      expect(registry.get('old-replica')!.manageMasterUserPassword).toBe(false);
      adoptLegacySecrets(ctx); // idempotent: the same secret on the next start
      expect(registry.get('old')!.masterUserSecretArn).toBe(arn);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
