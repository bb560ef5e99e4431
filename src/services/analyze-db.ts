import { readFile } from 'node:fs/promises';
import { authError, remoteError, usageError, type RdsctlError } from '../core/errors.js';
import type { PlanFlavor } from '../analyze/plan/types.js';

/** Where to connect. The password is kept out of every message and log. */
export interface DbTarget {
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password?: string;
  database?: string;
  /** TLS: a CA file to verify against (local endpoint), the built-in Amazon RDS bundle, or encryption only. */
  tls?: { caFile?: string; profile?: 'Amazon RDS'; verifyIdentity?: boolean; unverified?: boolean };
  /** Printable: mysql://user@host:port/db (never the password). */
  label: string;
}

/** The narrow SQL surface the analyzer needs. */
export interface SqlSession {
  flavor: PlanFlavor;
  version: string;
  label: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** mysql://user:pass@host:port/db[?socket=/path] → DbTarget. */
export function parseDsn(dsn: string): DbTarget {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw usageError('INVALID_DSN', 'The DSN is not a URL.', { hint: 'Use mysql://user:password@host:port/database (or set DATABASE_URL).' });
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw usageError('INVALID_DSN', `The DSN scheme "${url.protocol}" is not mysql:.`, { hint: 'Use mysql://user:password@host:port/database.' });
  }
  const socketPath = url.searchParams.get('socket') ?? undefined;
  if (!url.hostname && !socketPath) throw usageError('INVALID_DSN', 'The DSN names no host.', { hint: 'Use mysql://user:password@host:port/database.' });
  const user = decodeURIComponent(url.username);
  if (!user) throw usageError('INVALID_DSN', 'The DSN names no user.', { hint: 'Use mysql://user:password@host:port/database.' });
  const port = url.port ? Number(url.port) : 3306;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  const where = socketPath ? 'localhost' : `${url.hostname}:${port}`;
  return {
    host: url.hostname || undefined, port, socketPath, user, password: url.password ? decodeURIComponent(url.password) : undefined,
    database, tls: dsnTls(url.searchParams), label: `mysql://${user}@${where}/${database ?? ''}${socketPath ? `?socket=${socketPath}` : ''}`,
  };
}

/** MySQL client spellings, as `rdsctl connect` prints them: ssl-mode=REQUIRED|VERIFY_CA|VERIFY_IDENTITY, ssl-ca=<file>. */
function dsnTls(params: URLSearchParams): DbTarget['tls'] {
  const mode = (params.get('ssl-mode') ?? params.get('sslmode') ?? '').toUpperCase();
  const caFile = params.get('ssl-ca') ?? undefined;
  if (!mode && !caFile) return undefined;
  if (mode === 'DISABLED') return undefined;
  if (!['', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'].includes(mode)) {
    throw usageError('INVALID_DSN', `Unknown ssl-mode "${mode}" in the DSN.`, { hint: 'Use ssl-mode=REQUIRED, VERIFY_CA or VERIFY_IDENTITY (with ssl-ca=<file>).' });
  }
  if ((mode === 'VERIFY_CA' || mode === 'VERIFY_IDENTITY') && !caFile) {
    throw usageError('INVALID_DSN', `ssl-mode=${mode} needs ssl-ca=<file> in the DSN.`, { hint: 'Add &ssl-ca=/path/to/ca.pem (rdsctl connect <id> prints it).' });
  }
  if (caFile) return { caFile, verifyIdentity: mode !== 'VERIFY_CA' && mode !== 'REQUIRED' };
  return { unverified: true };
}

export async function sslOptions(tls: DbTarget['tls']): Promise<string | Record<string, unknown> | undefined> {
  if (!tls) return undefined;
  if (tls.profile) return tls.profile;
  if (tls.caFile) {
    const ca = await readFile(tls.caFile, 'utf8').catch((err: unknown) => {
      throw usageError('SSL_CA_UNREADABLE', `Cannot read the CA file ${tls.caFile}: ${(err as Error).message}.`, { hint: 'Check ssl-ca= in the DSN.' });
    });
    return { ca, verifyIdentity: tls.verifyIdentity !== false };
  }
  return tls.unverified ? { rejectUnauthorized: false } : undefined;
}

/** Opens one session; connection failures become clear typed errors (unreachable → exit 7). */
export async function openSession(t: DbTarget, opts: { readOnly?: boolean } = {}): Promise<SqlSession> {
  const mysql = await import('mysql2/promise');
  const ssl = await sslOptions(t.tls);
  let conn: import('mysql2/promise').Connection;
  try {
    conn = await mysql.createConnection({
      host: t.socketPath ? undefined : t.host, port: t.port, socketPath: t.socketPath, user: t.user, password: t.password,
      database: t.database, ssl, connectTimeout: 10_000, multipleStatements: false, supportBigNumbers: true, bigNumberStrings: false,
      dateStrings: true,
    });
  } catch (err) {
    throw connectError(err, t.label);
  }
  const [rows] = await conn.query('SELECT VERSION() AS v');
  const version = String((rows as Array<{ v: string }>)[0].v);
  const flavor: PlanFlavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql8';
  // Defence in depth: the analyzer only reads; a read-only session refuses any write that slips through.
  if (opts.readOnly) await conn.query('SET SESSION TRANSACTION READ ONLY');
  return {
    flavor, version, label: t.label,
    async query<T>(sql: string, params?: unknown[]) {
      const [result] = await conn.query(sql, params);
      return (Array.isArray(result) ? result : [result]) as T[];
    },
    close: () => conn.end().catch(() => undefined),
  };
}

export function connectError(err: unknown, label: string): RdsctlError {
  const e = err as { code?: string; errno?: number; message?: string };
  const msg = (e?.message ?? String(err)).replace(/\s+/g, ' ');
  if (e?.errno === 1045 || e?.code === 'ER_ACCESS_DENIED_ERROR') {
    return authError('DB_ACCESS_DENIED', `Access denied connecting to ${label}.`, {
      hint: 'Check the user and password (DSN or RDSCTL_DB_PASSWORD); servers that require TLS also answer 1045 to plain connections.', errno: 1045, cause: err });
  }
  if (e?.errno === 1049) return usageError('DB_UNKNOWN_DATABASE', `${msg} (${label}).`, { hint: 'Check the database name in the DSN or --database.', errno: 1049, cause: err });
  return remoteError('DB_UNREACHABLE', `Cannot connect to ${label}: ${msg}.`, {
    hint: 'Check host, port and that the server is running (for a local instance: rdsctl describe <id>).', cause: err, errno: e?.errno });
}
