import { readFile } from 'node:fs/promises';
import { authError, remoteError, usageError, type RdsctlError } from '../core/errors.js';

/**
 * SQL sessions to a database server: where to connect (DbTarget), TLS, one session, and what a failed
 * connection means to the user. Shared by every command that talks SQL (analyze-queries, loadtest,
 * replicas verify, the metrics sampler) and by the local endpoint's own client work.
 */

/** The server family a session talks to (EXPLAIN formats, syntax). */
export type ServerFlavor = 'mysql8' | 'mariadb';

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
  /** The password is an IAM token: send it as mysql_clear_password, which mysql2 allows only when asked (and we only over TLS). */
  cleartextOverTls?: boolean;
}

/** The narrow SQL surface rdsctl's tools need (analyze-queries, replicas verify, loadtest, metrics). */
export interface SqlSession {
  flavor: ServerFlavor;
  version: string;
  label: string;
  /** Opened READ ONLY (the analyzed server); a validation copy is not. */
  readOnly?: boolean;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** mysql2's ssl option for a target's TLS settings (the CA is read here: a clear error if it cannot be). */
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
      database: t.database, ssl, enableCleartextPlugin: Boolean(t.cleartextOverTls && ssl), connectTimeout: 10_000, multipleStatements: false, supportBigNumbers: true, bigNumberStrings: false,
      dateStrings: true,
    });
  } catch (err) {
    throw connectError(err, t.label);
  }
  const [rows] = await conn.query('SELECT VERSION() AS v');
  const version = String((rows as Array<{ v: string }>)[0].v);
  const flavor: ServerFlavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql8';
  // Defence in depth: the analyzer only reads; a read-only session refuses any write that slips through.
  if (opts.readOnly) await conn.query('SET SESSION TRANSACTION READ ONLY');
  return {
    flavor, version, label: t.label, readOnly: opts.readOnly === true,
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
    hint: 'Check host, port and that the server is running (an rdsctl instance: `rdsctl list` shows its status).', cause: err, errno: e?.errno });
}
