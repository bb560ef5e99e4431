import { usageError } from './errors.js';

/**
 * RDS identifier rules (CreateDBInstance): 1–63 letters, digits or hyphens; starts with a letter;
 * no two consecutive hyphens; no trailing hyphen. RDS stores it lowercase. Snapshots allow 1–255.
 */
export function identifierProblem(id: string, maxLength = 63): string | undefined {
  if (id.length < 1 || id.length > maxLength) return `must be 1–${maxLength} characters`;
  if (!/^[A-Za-z]/.test(id)) return 'must start with a letter';
  if (!/^[A-Za-z0-9-]+$/.test(id)) return 'may contain only letters, digits and hyphens';
  if (id.includes('--')) return 'must not contain two consecutive hyphens';
  if (id.endsWith('-')) return 'must not end with a hyphen';
  return undefined;
}

export function normalizeInstanceId(id: string): string {
  const problem = identifierProblem(id);
  if (problem) {
    throw usageError('INVALID_IDENTIFIER', `Invalid DB instance identifier "${id}": it ${problem}.`, {
      hint: 'Use 1–63 letters, digits or hyphens, starting with a letter (e.g. shop-prod).',
    });
  }
  return id.toLowerCase();
}

export function normalizeSnapshotId(id: string): string {
  const problem = identifierProblem(id, 255);
  if (problem) {
    throw usageError('INVALID_IDENTIFIER', `Invalid DB snapshot identifier "${id}": it ${problem}.`, {
      hint: 'Use 1–255 letters, digits or hyphens, starting with a letter.',
    });
  }
  return id.toLowerCase();
}

/**
 * `rdsctl provision`'s master user name when none is given. Not `admin`: that is RDS's own default, which
 * Security Hub RDS.25 (AWS Config rds-instance-default-admin-check) flags, as it does `postgres`.
 */
export const DEFAULT_MASTER_USERNAME = 'dbmaster';

/** Log types RDS for MySQL/MariaDB can export to CloudWatch Logs (EnableCloudwatchLogsExports). */
export const MYSQL_LOG_EXPORTS = ['audit', 'error', 'general', 'slowquery', 'iam-db-auth-error'];

/** MySQL/MariaDB master user name rules on RDS: 1–16 alphanumerics, starting with a letter, not reserved. */
export function masterUsernameProblem(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(name)) return 'must be 1–16 letters, digits or underscores, starting with a letter';
  if (['root', 'rdsadmin', 'mysql', 'mariadb.sys'].includes(name.toLowerCase())) return 'is reserved';
  return undefined;
}

/** RDS MySQL master password: 8–41 printable ASCII, not / " @ or space. */
export function masterPasswordProblem(pw: string): string | undefined {
  if (pw.length < 8 || pw.length > 41) return 'must be 8–41 characters';
  if (!/^[\x21-\x7e]+$/.test(pw)) return 'must be printable ASCII without spaces';
  if (/[/"@]/.test(pw)) return 'must not contain /, " or @';
  return undefined;
}
