import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import type { TargetKind } from '../cli/context.js';
import { describeInstance } from './instances.js';

export interface DbCredentials {
  DBInstanceIdentifier: string;
  username: string;
  /** Only present when the target keeps it for us (local endpoint). */
  password?: string;
  host: string;
  port: number;
  /** CA bundle that verifies the server certificate. */
  caFile?: string;
  /** Where the password lives when rdsctl cannot read it (AWS Secrets Manager). */
  secretArn?: string;
  /** The instance's initial database (DBName), when it was created with one. */
  dbName?: string;
}

/** Connection facts for an instance; the password is read only here, and only for the local target. */
export async function getCredentials(rds: RDSClient, target: TargetKind, home: string, id: string): Promise<DbCredentials> {
  const db = await describeInstance(rds, id);
  const base = fromDescription(db);
  if (target !== 'local') return base;
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
