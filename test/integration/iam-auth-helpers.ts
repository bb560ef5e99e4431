import fs from 'node:fs';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { LocalEndpointInfo } from '../../src/local/control/types.js';

/** SDK clients of the local endpoint's IAM and STS, signed with the given key (root by default). */
export async function iamClient(info: LocalEndpointInfo, credentials: AwsCredentialIdentity = info) {
  const { IAMClient } = await import('@aws-sdk/client-iam');
  return new IAMClient({ endpoint: info.url, region: info.region, credentials, maxAttempts: 1 });
}

export async function assumeRole(info: LocalEndpointInfo, roleArn: string, credentials: AwsCredentialIdentity = info): Promise<AwsCredentialIdentity> {
  // The SDK's own STS client (the one credential providers use): there is no @aws-sdk/client-sts dependency.
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/nested-clients/sts');
  const sts = new STSClient({ endpoint: info.url, region: info.region, credentials, maxAttempts: 1 });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'app-session' }));
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/** A token as an application makes it (@aws-sdk/rds-signer). */
export async function dbToken(port: number, user: string, credentials: AwsCredentialIdentity, hostname = '127.0.0.1'): Promise<string> {
  const { Signer } = await import('@aws-sdk/rds-signer');
  return new Signer({ hostname, port, username: user, region: 'us-east-1', credentials }).getAuthToken();
}

/** Logs in with the token as the password (mysql_clear_password): TLS with the home CA unless `tls: false`. */
export async function loginWith(caFile: string, port: number, user: string, token: string, tls = true): Promise<string> {
  const mysql = await import('mysql2/promise');
  const ssl = tls ? { ca: fs.readFileSync(caFile, 'utf8'), verifyIdentity: true, rejectUnauthorized: true } : undefined;
  try {
    const c = await mysql.createConnection({ host: '127.0.0.1', port, user, password: token, ssl, enableCleartextPlugin: true, connectTimeout: 10_000 });
    const [rows] = await c.query('SELECT CURRENT_USER() AS u');
    await c.end();
    return `ok ${(rows as { u: string }[])[0].u}`;
  } catch (e) {
    return `refused ${(e as { errno?: number }).errno ?? (e as Error).message}`;
  }
}
