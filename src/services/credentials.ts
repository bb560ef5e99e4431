import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TargetKind } from '../cli/context.js';
import { describeInstance, describeServingInstance } from './instances.js';

export interface DbCredentials {
  DBInstanceIdentifier: string;
  username: string;
  /** The local endpoint's copy, or (aws, when asked) the one RDS keeps in Secrets Manager. */
  password?: string;
  host: string;
  port: number;
  /** CA bundle that verifies the server certificate. */
  caFile?: string;
  /** Where the password lives when rdsctl cannot read it (AWS Secrets Manager). */
  secretArn?: string;
  /** The database created with the instance (DBName), the natural default database. */
  dbName?: string;
}

/**
 * Connection facts for an instance; the password is read only here: the local target's copy, or on aws,
 * when `secrets` is given, the managed password from the secret the instance names (MasterUserSecret).
 * `serving`: the caller is about to connect, so an instance that takes no connections is refused (exit 5).
 */
export async function getCredentials(
  rds: RDSClient, target: TargetKind, home: string, id: string,
  opts: { serving?: boolean; secrets?: () => Promise<SecretsManagerClient> } = {},
): Promise<DbCredentials> {
  const db = opts.serving ? await describeServingInstance(rds, id) : await describeInstance(rds, id);
  const base = fromDescription(db);
  if (target !== 'local') {
    if (!base.secretArn || !opts.secrets) return base;
    const { readManagedPassword } = await import('./master-secret.js');
    const managed = await readManagedPassword(await opts.secrets(), base.DBInstanceIdentifier, base.secretArn);
    return { ...base, username: managed.username, password: managed.password };
  }
  const { readLocalCredentials } = await import('../local/control/credentials.js');
  const local = await readLocalCredentials(home, base.DBInstanceIdentifier);
  return { ...base, password: local.password, caFile: local.caFile ?? base.caFile };
}

function fromDescription(db: DBInstance): DbCredentials {
  return {
    DBInstanceIdentifier: db.DBInstanceIdentifier!,
    username: db.MasterUsername!,
    host: db.Endpoint?.Address ?? '',
    port: db.Endpoint?.Port ?? 3306,
    secretArn: db.MasterUserSecret?.SecretArn,
    dbName: db.DBName,
  };
}

/** mysql:// URL without the password (printing it would leak it into terminals and logs). */
export function mysqlUrl(c: DbCredentials, database?: string): string {
  const params = new URLSearchParams({ 'ssl-mode': 'VERIFY_IDENTITY', ...(c.caFile ? { 'ssl-ca': c.caFile } : {}) });
  return `mysql://${encodeURIComponent(c.username)}@${c.host}:${c.port}/${database ? encodeURIComponent(database) : ''}?${params.toString()}`;
}
