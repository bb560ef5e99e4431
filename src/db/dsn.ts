import { usageError } from '../core/errors.js';
import type { DbTarget } from './session.js';

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

/** A target's printable label naming another database: mysql://user@host:port/<database> (…), socket and instance kept. */
export function labelWithDatabase(label: string, database: string): string {
  return label.replace(/^(mysql:\/\/[^/]*\/)[^?\s]*/, `$1${database}`);
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
    throw usageError('INVALID_DSN', `ssl-mode=${mode} needs ssl-ca=<file> in the DSN.`, { hint: 'Add &ssl-ca=/path/to/ca.pem (for an rdsctl instance, `rdsctl connect` prints its CA path).' });
  }
  if (caFile) return { caFile, verifyIdentity: mode !== 'VERIFY_CA' && mode !== 'REQUIRED' };
  return { unverified: true };
}

