import type { InstanceRecord } from '../state/registry.js';
import fs from 'node:fs';
import { LOCAL_HOST } from './instances-render.js';

/** CreateDBInstance DBName: the initial database, created as the master user over TLS. */
export async function createDatabase(rec: InstanceRecord, password: string, caFile: string): Promise<void> {
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({
    host: LOCAL_HOST,
    port: rec.port,
    user: rec.masterUsername,
    password,
    ssl: { ca: fs.readFileSync(caFile, 'utf8'), verifyIdentity: true },
  });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${rec.dbName!.replace(/`/g, '')}\``);
  } finally {
    await conn.end();
  }
}
