import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { conflictError, usageError } from '../core/errors.js';
import { MAX_TOKEN_SECONDS } from '../core/iam-grant.js';
import type { DbTarget } from '../db/session.js';
import type { DbCredentials } from './credentials.js';
import { describeInstance, describeServingInstance, type WaitSettings } from './instances.js';
import { waitForInstance } from './wait.js';

/**
 * IAM database authentication: turning it on (ModifyDBInstance), making a token (@aws-sdk/rds-signer,
 * the same presigned URL RDS checks) and the connection settings of a token login. Never prints.
 */

/** The instance must have IAM authentication on before a grant or a token means anything (exit 5). */
export function requireIamEnabled(db: DBInstance): void {
  if (db.IAMDatabaseAuthenticationEnabled) return;
  const id = db.DBInstanceIdentifier!;
  throw conflictError('IAM_AUTH_DISABLED', `IAM database authentication is not enabled on ${id}.`, {
    hint: `Turn it on first: rdsctl iam enable ${id}`,
  });
}

export interface EnableResult {
  changed: boolean;
  instance: DBInstance;
}

/** ModifyDBInstance EnableIAMDatabaseAuthentication=true, applied immediately; nothing when already on. */
export async function enableIamAuth(rds: RDSClient, id: string, w: WaitSettings): Promise<EnableResult> {
  const current = await describeInstance(rds, id);
  if (current.IAMDatabaseAuthenticationEnabled) return { changed: false, instance: current };
  const { ModifyDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: current.DBInstanceIdentifier!, EnableIAMDatabaseAuthentication: true, ApplyImmediately: true }));
  let db = res.DBInstance!;
  if (w.wait) {
    db = (await waitForInstance(rds, db.DBInstanceIdentifier!, (d) => d.DBInstanceStatus === 'available' && d.IAMDatabaseAuthenticationEnabled === true,
      { intervalMs: w.intervalMs, timeoutMs: w.timeoutMs, onProgress: w.onProgress }))!;
  }
  return { changed: true, instance: db };
}

export interface TokenResult {
  token: string;
  host: string;
  port: number;
  dbUser: string;
  expiresAt: Date;
}

/** A 15-minute token for `dbUser` on the instance's endpoint, signed with the caller's credentials. */
export async function makeToken(rds: RDSClient, id: string, dbUser: string, now = new Date()): Promise<TokenResult> {
  const db = await describeServingInstance(rds, id);
  requireIamEnabled(db);
  const host = db.Endpoint?.Address;
  const port = db.Endpoint?.Port;
  if (!host || !port) throw conflictError('NO_ENDPOINT', `${id} has no endpoint yet.`, { hint: `Wait until it is available: rdsctl describe ${id}` });
  const credentials = (await rds.config.credentials()) as AwsCredentialIdentity;
  const region = await rds.config.region();
  const { Signer } = await import('@aws-sdk/rds-signer');
  const token = await new Signer({ hostname: host, port, username: dbUser, region, credentials }).getAuthToken();
  return { token, host, port, dbUser, expiresAt: new Date(now.getTime() + MAX_TOKEN_SECONDS * 1000) };
}

/** The SQL session of a token login: TLS verified against the instance's CA, the token as a cleartext password. */
export function tokenTarget(c: DbCredentials, t: TokenResult, database?: string): DbTarget {
  if (!c.caFile) throw usageError('IAM_TLS_CA_MISSING', `No CA bundle is known for ${c.DBInstanceIdentifier}; an IAM token must only travel over verified TLS.`);
  return {
    host: t.host, port: t.port, user: t.dbUser, password: t.token, database, cleartextOverTls: true,
    tls: { caFile: c.caFile, verifyIdentity: true }, label: `mysql://${t.dbUser}@${t.host}:${t.port}/${database ?? ''}`,
  };
}
