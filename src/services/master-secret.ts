import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { authError, conflictError, notFoundError, remoteError } from '../core/errors.js';
import { describeInstance, type WaitSettings } from './instances.js';
import { waitForInstance } from './wait.js';

/**
 * The master password RDS keeps in Secrets Manager (ManageMasterUserPassword): read from the secret the
 * instance names (MasterUserSecret.SecretArn), and rotated through RDS (RotateMasterUserPassword).
 */
export interface ManagedCredentials {
  username: string;
  password: string;
}

/** GetSecretValue of the instance's secret; AWS's refusals become one-line errors naming the secret. */
export async function readManagedPassword(sm: SecretsManagerClient, id: string, secretArn: string): Promise<ManagedCredentials> {
  const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  let text: string | undefined;
  try {
    text = (await sm.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (err) {
    throw secretError(err, id, secretArn);
  }
  let parsed: Partial<ManagedCredentials> = {};
  try {
    parsed = JSON.parse(text ?? '') as Partial<ManagedCredentials>;
  } catch {
    // handled below: not the JSON RDS writes
  }
  if (typeof parsed.password !== 'string' || typeof parsed.username !== 'string') {
    throw remoteError('SECRET_UNREADABLE', `The master password secret of ${id} (${secretArn}) holds no {"username", "password"} JSON.`, {
      hint: 'RDS writes that shape; a secret changed by hand no longer matches the instance: rotate it with rdsctl credentials --rotate.',
    });
  }
  return { username: parsed.username, password: parsed.password };
}

/** 403s that are about the credentials themselves, not about this secret (the CLI's table maps those). */
const CREDENTIAL_ERRORS = new Set(['InvalidSignatureException', 'UnrecognizedClientException', 'ExpiredTokenException', 'IncompleteSignatureException', 'MissingAuthenticationTokenException']);

function secretError(err: unknown, id: string, arn: string): unknown {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };
  const name = e.name;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  // Any other 403 is a refusal to read this secret, whatever its body (moto answers it in XML, which the SDK cannot parse).
  if (name === 'AccessDeniedException' || (status === 403 && !CREDENTIAL_ERRORS.has(name ?? ''))) {
    return authError('SECRET_ACCESS_DENIED', `Access denied reading the master password secret of ${id} (${arn}).`, {
      hint: 'Your AWS identity needs secretsmanager:GetSecretValue on that secret (and kms:Decrypt on its KMS key).', awsName: name === 'AccessDeniedException' ? name : undefined, cause: err,
    });
  }
  if (name === 'ResourceNotFoundException') {
    return notFoundError('SECRET_NOT_FOUND', `The master password secret of ${id} does not exist: ${arn}.`, {
      hint: `Check the region (--region) and the instance's secret with rdsctl describe ${id}.`, awsName: name, cause: err,
    });
  }
  return err; // the CLI's SDK error table maps the rest (throttling, credentials, endpoint unreachable)
}

export interface RotationPlan {
  DBInstanceIdentifier: string;
  SecretArn: string;
}

/** What a rotation will do; refused (exit 5) when the target does not manage the instance's password. */
export async function planRotation(rds: RDSClient, id: string): Promise<RotationPlan> {
  const db = await describeInstance(rds, id);
  const arn = db.MasterUserSecret?.SecretArn;
  const name = db.DBInstanceIdentifier ?? id;
  if (!arn) {
    throw conflictError('PASSWORD_NOT_MANAGED', `The master password of ${name} is not managed by the target (no Secrets Manager secret), so there is nothing to rotate. Nothing was changed.`, {
      hint: `Set a new one yourself: pass show db/master | rdsctl modify ${name} --new-password-stdin`,
    });
  }
  return { DBInstanceIdentifier: name, SecretArn: arn };
}

/** ModifyDBInstance RotateMasterUserPassword (always ApplyImmediately, as RDS requires), then waits for `available`. */
export async function rotateMasterPassword(rds: RDSClient, plan: RotationPlan, w: WaitSettings): Promise<DBInstance> {
  const { ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: plan.DBInstanceIdentifier, RotateMasterUserPassword: true, ApplyImmediately: true }));
  if (!w.wait) return res.DBInstance!;
  const db = await waitForInstance(rds, plan.DBInstanceIdentifier, (d) => d.DBInstanceStatus === 'available', { intervalMs: w.intervalMs, timeoutMs: w.timeoutMs, onProgress: w.onProgress });
  return db!;
}
