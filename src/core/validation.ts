import { usageError } from './errors.js';
import { requireInstanceClass } from './instance-classes.js';

/** RDS MySQL/MariaDB on gp2/gp3: AllocatedStorage 20–65536 GiB. */
export const STORAGE_MIN_GIB = 20;
export const STORAGE_MAX_GIB = 65536;

export function requireStorage(gib: number, flag = '--storage'): number {
  if (!Number.isInteger(gib) || gib < STORAGE_MIN_GIB || gib > STORAGE_MAX_GIB) {
    throw usageError('INVALID_STORAGE', `${flag} must be a whole number of GiB from ${STORAGE_MIN_GIB} to ${STORAGE_MAX_GIB} (got ${gib}).`, {
      hint: `Pass e.g. ${flag} 100.`,
    });
  }
  return gib;
}

export function requireRetention(days: number): number {
  if (!Number.isInteger(days) || days < 0 || days > 35) {
    throw usageError('INVALID_RETENTION', `Backup retention must be 0–35 days (got ${days}).`, {
      hint: 'Pass e.g. --backup-retention 7 (0 disables automated backups and point-in-time restore).',
    });
  }
  return days;
}

/**
 * RDS's 10% rule: the smallest storage that counts as a real increase over `allocated` (a modification
 * of AllocatedStorage must reach it, and so must MaxAllocatedStorage). Integer maths: 100 * 1.1 is
 * 110.00000000000001.
 */
export function minStorageIncrease(allocated: number): number {
  return Math.ceil((allocated * 11) / 10);
}

/**
 * RDS: the storage-autoscaling ceiling must be at least 10% above the allocated storage (else "Invalid
 * max storage size"), and at most 65536 GiB. Shared by the CLI and the local endpoint.
 */
export function maxStorageProblem(max: number, allocated: number): string | undefined {
  const min = minStorageIncrease(allocated);
  if (!Number.isInteger(max) || max < min) return `must be at least 10% more than the allocated storage (≥ ${min} GiB for ${allocated} GiB)`;
  if (max > STORAGE_MAX_GIB) return `must be at most ${STORAGE_MAX_GIB} GiB`;
  return undefined;
}

export function requireMaxStorage(max: number, allocated: number): number {
  const problem = maxStorageProblem(max, allocated);
  if (problem) {
    throw usageError('INVALID_MAX_STORAGE', `--max-storage ${max} ${problem}.`, {
      hint: 'Storage autoscaling grows up to this ceiling: pass a larger value. For no autoscaling, use `--no-max-storage` (modify) or leave --max-storage out (provision).',
    });
  }
  return max;
}

/** Parses an integer option strictly ("20x" is an error, not 20). */
export function parseIntOption(value: string, flag: string): number {
  if (!/^-?\d+$/.test(value.trim())) {
    throw usageError('INVALID_NUMBER', `${flag} expects a whole number (got "${value}").`);
  }
  return Number.parseInt(value, 10);
}

export { requireInstanceClass };

/** --endpoint-url must be an http(s) URL with a host; the SDK would fail later with "Invalid URL" (exit 1). */
export function requireEndpointUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw usageError('INVALID_ENDPOINT_URL', `--endpoint-url "${value}" is not an http:// or https:// URL.`, {
      hint: 'Pass e.g. --endpoint-url https://rds.eu-west-1.amazonaws.com, or leave it out.',
    });
  }
  return value;
}

/** AWS region names: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5 … (the SDK builds a host name from it). */
export function requireRegion(value: string, source = '--region'): string {
  if (!/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(value)) {
    throw usageError('INVALID_REGION', `${source} "${value}" is not an AWS region name.`, {
      hint: 'Pass e.g. --region us-east-1 or --region eu-west-1.',
    });
  }
  return value;
}
