import { randomInt, randomUUID } from 'node:crypto';
import type { ManagedSecret } from '../state/secrets.js';
import { localArn } from './arns.js';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The secret RDS creates for ManageMasterUserPassword: `rds!db-<uuid>`, and Secrets Manager's ARN for it,
 * which ends in `-` and six random characters (as every Secrets Manager ARN does).
 */
export function newManagedSecret(now = new Date()): ManagedSecret {
  const name = `rds!db-${randomUUID()}`;
  const suffix = Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join('');
  const at = now.toISOString();
  return { name, arn: localArn('secretsmanager', `secret:${name}-${suffix}`), createdAt: at, versionId: randomUUID(), versionCreatedAt: at };
}

/** After a rotation: a new AWSCURRENT version; the password it replaces becomes AWSPREVIOUS (the one before is gone). */
export function rotatedSecret(secret: ManagedSecret, oldPassword: string, now = new Date()): ManagedSecret {
  const at = now.toISOString();
  return {
    ...secret,
    previous: { versionId: secret.versionId, password: oldPassword, createdAt: secret.versionCreatedAt },
    versionId: randomUUID(),
    versionCreatedAt: at,
    rotatedAt: at,
  };
}
