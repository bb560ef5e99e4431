import { execFileSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join, basename } from 'node:path';
import { usageError } from '../core/errors.js';

export const INSTALL_HINT = 'Install MariaDB: apt-get install -y mariadb-server mariadb-client mariadb-backup';

/** Binaries the local engine runs, and the package that provides each. */
export const REQUIRED_BINARIES = [
  { name: 'mariadbd', pkg: 'mariadb-server' },
  { name: 'mariadb-install-db', pkg: 'mariadb-server' },
  { name: 'mariadb', pkg: 'mariadb-client' },
  { name: 'mariadb-admin', pkg: 'mariadb-client' },
  { name: 'mariadb-binlog', pkg: 'mariadb-client' },
  { name: 'mariadb-backup', pkg: 'mariadb-backup' },
  { name: 'openssl', pkg: 'openssl' },
] as const;

export type BinaryName = (typeof REQUIRED_BINARIES)[number]['name'];

export interface BinaryCheck {
  ok: boolean;
  found: Partial<Record<BinaryName, string>>;
  missing: { name: BinaryName; pkg: string }[];
  /** How to fix, when something is missing. */
  hint?: string;
}

// mariadbd lives in /usr/sbin, which is not on every user's PATH.
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin', '/sbin', '/bin'];

export function findBinary(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  // RDSCTL_MARIADB_BINDIR: MariaDB from a tarball or a custom build (only that folder is searched for it).
  const mariadbDir = process.env.RDSCTL_MARIADB_BINDIR;
  const dirs = mariadbDir && /^(mariadb|mysqld)/.test(name) ? [mariadbDir] : [...pathEnv.split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* try the next folder */
    }
  }
  return undefined;
}

export function checkBinaries(): BinaryCheck {
  const found: BinaryCheck['found'] = {};
  const missing: BinaryCheck['missing'] = [];
  for (const b of REQUIRED_BINARIES) {
    const p = findBinary(b.name);
    if (p) found[b.name] = p;
    else missing.push({ name: b.name, pkg: b.pkg });
  }
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const hint = pkgs.length ? `Install them: apt-get install -y ${pkgs.join(' ')}` : undefined;
  return { ok: missing.length === 0, found, missing, hint };
}

/** Alias kept for callers that think of it as a listing. */
export const binaries = checkBinaries;

/** Throws MARIADB_MISSING (exit 2) naming everything missing, with the apt-get line that fixes it. */
export function assertBinaries(): void {
  const check = checkBinaries();
  if (check.ok) return;
  const names = check.missing.map((m) => m.name).join(', ');
  throw usageError('MARIADB_MISSING', `The local target needs MariaDB tools that are not installed: ${names}.`, {
    hint: check.hint,
  });
}

/** Path of a required binary, or RdsctlError MARIADB_MISSING (exit 2) with the install hint. */
export function requireBinary(name: BinaryName): string {
  const p = findBinary(name);
  if (p) return p;
  const pkg = REQUIRED_BINARIES.find((b) => b.name === name)?.pkg ?? 'mariadb-server';
  throw usageError('MARIADB_MISSING', `${name} is not installed; the local target needs MariaDB 10.11+.`, {
    hint: pkg === 'openssl' ? 'Install it: apt-get install -y openssl' : INSTALL_HINT,
  });
}

let mysqlCache: boolean | undefined;

/**
 * Is a MySQL 8 server (not MariaDB) installed? On Debian /usr/sbin/mysqld is often a symlink to
 * mariadbd, so the name alone proves nothing: resolve the link and ask the binary for its version.
 */
export function mysqlAvailable(): boolean {
  if (mysqlCache !== undefined) return mysqlCache;
  mysqlCache = detectMysql();
  return mysqlCache;
}

function detectMysql(): boolean {
  const p = findBinary('mysqld');
  if (!p) return false;
  try {
    if (basename(realpathSync(p)).startsWith('mariadb')) return false;
    const out = execFileSync(p, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    return isMysql8VersionLine(out);
  } catch {
    return false;
  }
}

export function isMysql8VersionLine(line: string): boolean {
  return !/mariadb/i.test(line) && /Ver\s+(8|9)\.\d+/.test(line);
}

