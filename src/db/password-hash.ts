import { createHash, randomBytes } from 'node:crypto';

/**
 * mysql_native_password's stored form: '*' + HEX(SHA1(SHA1(password))), as PASSWORD() computes it.
 * Sending `IDENTIFIED BY PASSWORD '<hash>'` keeps the clear text off the wire, the binlog, the
 * processlist and the audit log.
 */
export function nativePasswordHash(password: string): string {
  const once = createHash('sha1').update(password, 'utf8').digest();
  return '*' + createHash('sha1').update(once).digest('hex').toUpperCase();
}

/** A generated database password: 24 URL-safe characters (144 bits), none of RDS's forbidden / " @ or space. */
export function generateDbPassword(): string {
  return randomBytes(18).toString('base64url');
}
