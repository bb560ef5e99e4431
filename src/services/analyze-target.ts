import type { RDSClient } from '@aws-sdk/client-rds';
import { usageError } from '../core/errors.js';
import { openSession, parseDsn, type DbTarget, type SqlSession } from './analyze-db.js';
import type { ValidationTarget } from './analyze-validate.js';

export interface ConnectionRequest {
  instanceId?: string;
  dsn?: string;
  database?: string;
  target: 'local' | 'aws';
  home: string;
  rds?: () => Promise<RDSClient>;
  /** A password rdsctl does not hold (--target aws, or a DSN without one): env RDSCTL_DB_PASSWORD or stdin. */
  password?: () => Promise<string | undefined>;
}

/** --dsn / DATABASE_URL / an instance id → where to connect. */
export async function resolveDbTarget(req: ConnectionRequest): Promise<{ db: DbTarget; localInstance: boolean }> {
  const dsn = req.dsn ?? (req.instanceId ? undefined : process.env.DATABASE_URL);
  if (dsn) {
    const db = parseDsn(req.database ? withDatabase(dsn, req.database) : dsn);
    // Keeping the password out of the DSN keeps it off command lines: it may come from env or stdin instead.
    return { db: db.password ? db : { ...db, password: await req.password?.() }, localInstance: false };
  }
  if (!req.instanceId || !req.rds) {
    throw usageError('NO_DATABASE', 'Name the database server to analyze.', { hint: 'Pass an instance id, --dsn mysql://user:pass@host:port/db, or set DATABASE_URL.' });
  }
  const { getCredentials } = await import('./credentials.js');
  const c = await getCredentials(await req.rds(), req.target, req.home, req.instanceId, { serving: true });
  const password = c.password ?? (await req.password?.());
  if (!password) {
    throw usageError('PASSWORD_REQUIRED', `rdsctl does not hold the password for ${c.DBInstanceIdentifier}.`, {
      hint: 'Set RDSCTL_DB_PASSWORD or pipe it with --password-stdin (never on the command line).' });
  }
  const tls = req.target === 'local' ? { caFile: c.caFile } : { profile: 'Amazon RDS' as const };
  // Without --database the statements run in the instance's own database (DBName), as an application's would.
  const database = req.database ?? c.dbName;
  return { db: { host: c.host, port: c.port, user: c.username, password, database, tls,
    label: `mysql://${c.username}@${c.host}:${c.port}/${database ?? ''} (${c.DBInstanceIdentifier})` }, localInstance: req.target === 'local' };
}

function withDatabase(dsn: string, database: string): string {
  const url = new URL(dsn);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

type Row = Record<string, unknown>;
async function serverIdentity(s: SqlSession): Promise<string> {
  const [r] = await s.query<Row>('SELECT @@hostname AS h, @@port AS p, @@datadir AS d');
  return `${r.h}:${r.p}:${r.d}`;
}

/**
 * --validate-on <dsn>: a copy the user provides. Refused when it is the analyzed database itself. A DSN
 * without a password takes it from `password` (RDSCTL_DB_PASSWORD or --password-stdin), as --dsn does.
 */
export async function validationCopy(dsn: string, source: SqlSession, sourceDbs: string[], password?: () => Promise<string | undefined>): Promise<ValidationTarget> {
  const parsed = parseDsn(dsn);
  const t = parsed.password ? parsed : { ...parsed, password: await password?.() };
  const session = await openSession(t);
  const single = t.database && sourceDbs.length <= 1 ? t.database : undefined;
  const mapDb = (db: string) => single ?? db;
  if ((await serverIdentity(session)) === (await serverIdentity(source)) && sourceDbs.some((db) => mapDb(db) === db)) {
    await session.close();
    throw usageError('VALIDATE_ON_SOURCE', '--validate-on points at the analyzed database itself.', {
      hint: 'Give a copy (another server, or another database holding a copy of the tables): indexes are built there.' });
  }
  return { session, mode: 'validate-on', label: t.label, mapDb, cleanup: () => session.close() };
}

/** --apply: runs the recommendations' DDL (ADD INDEX only) on the user's server, one by one. */
export async function applyDdl(db: DbTarget, ddl: string[]): Promise<Array<{ ddl: string; ok: boolean; error?: string }>> {
  const session = await openSession(db);
  const out: Array<{ ddl: string; ok: boolean; error?: string }> = [];
  try {
    for (const stmt of ddl) {
      if (!/^ALTER TABLE `[^;]*` ADD INDEX /.test(stmt)) { out.push({ ddl: stmt, ok: false, error: 'refused: only ADD INDEX is applied' }); continue; }
      try { await session.query(stmt); out.push({ ddl: stmt, ok: true }); } catch (err) { out.push({ ddl: stmt, ok: false, error: (err as Error).message }); }
    }
  } finally {
    await session.close();
  }
  return out;
}
