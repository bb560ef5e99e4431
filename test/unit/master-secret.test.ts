import { describe, expect, it } from 'vitest';
import { LOCAL_RDS_KEY_ARN, storageKeyArn } from '../../src/local/ops/arns.js';
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

  it('the aws/rds key is a key ARN with a key id, not an alias', () => {
    expect(LOCAL_RDS_KEY_ARN).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
