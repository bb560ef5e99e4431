import type { InstanceRecord } from '../state/registry.js';
import { openSession } from '../../db/session.js';
import { LOCAL_HOST } from './instances-render.js';

/** CreateDBInstance DBName: the initial database, created as the master user over verified TLS, as a client would. */
export async function createDatabase(rec: InstanceRecord, password: string, caFile: string): Promise<void> {
  const session = await openSession({
    host: LOCAL_HOST, port: rec.port, user: rec.masterUsername, password, tls: { caFile, verifyIdentity: true },
    label: `mysql://${rec.masterUsername}@${LOCAL_HOST}:${rec.port}/ (${rec.id})`,
  });
  try {
    await session.query(`CREATE DATABASE IF NOT EXISTS \`${rec.dbName!.replace(/`/g, '')}\``);
  } finally {
    await session.close();
  }
}
