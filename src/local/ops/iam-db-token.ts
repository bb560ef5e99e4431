import { createHash } from 'node:crypto';
import { canonicalRequest, parseAmzDate, sameText, signature } from '../server/sigv4.js';
import type { KeyLookup, KnownKey } from '../server/types.js';

/**
 * An RDS IAM authentication token is a SigV4 presigned URL without its scheme:
 * `<host>:<port>/?Action=connect&DBUser=<user>&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=<AK>/<date>/<region>/rds-db/aws4_request
 *  &X-Amz-Date=…&X-Amz-Expires=900&X-Amz-SignedHeaders=host[&X-Amz-Security-Token=…]&X-Amz-Signature=…`
 * (what @aws-sdk/rds-signer and boto3's generate_db_auth_token make). This checks it the way the
 * signature says: every field, the time window, and the signature with the key's secret.
 */
export interface TokenClaims {
  host: string;
  dbUser: string;
  known: KnownKey;
}

export type TokenResult = TokenClaims | { refused: string };

/** PAM gives a password of at most PAM_MAX_RESP_SIZE − 1 bytes: a token that long was cut on the way. */
export const PAM_TOKEN_LIMIT = 511;
export const MAX_EXPIRES_S = 900;
const SKEW_MS = 5 * 60_000;

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

export function checkDbToken(token: string, lookup: KeyLookup, region: string, now = new Date()): TokenResult {
  if (Buffer.byteLength(token) >= PAM_TOKEN_LIMIT) return { refused: `token of ${Buffer.byteLength(token)} bytes reached PAM's ${PAM_TOKEN_LIMIT}-byte limit (cut in transit)` };
  const slash = token.indexOf('/?');
  if (slash <= 0) return { refused: 'not a presigned connect URL (host:port/?…)' };
  const host = token.slice(0, slash);
  const query = token.slice(slash + 1);
  const q = new URLSearchParams(query.slice(1));
  if (q.get('Action') !== 'connect') return { refused: 'Action is not connect' };
  const dbUser = q.get('DBUser');
  if (!dbUser) return { refused: 'no DBUser' };
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { refused: 'X-Amz-Algorithm is not AWS4-HMAC-SHA256' };
  if (q.get('X-Amz-SignedHeaders') !== 'host') return { refused: 'X-Amz-SignedHeaders must be host' };
  const cred = /^([A-Z0-9]+)\/(\d{8})\/([^/]+)\/rds-db\/aws4_request$/.exec(q.get('X-Amz-Credential') ?? '');
  if (!cred) return { refused: 'X-Amz-Credential is not <key>/<date>/<region>/rds-db/aws4_request' };
  const [, accessKeyId, date, credRegion] = cred;
  if (credRegion !== region) return { refused: `signed for region ${credRegion}, not ${region}` };
  const amzDate = q.get('X-Amz-Date') ?? '';
  const when = parseAmzDate(amzDate);
  if (!when || amzDate.slice(0, 8) !== date) return { refused: 'X-Amz-Date missing or not the credential date' };
  const expires = Number(q.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_S) return { refused: `X-Amz-Expires must be 1–${MAX_EXPIRES_S} seconds` };
  if (when.getTime() > now.getTime() + SKEW_MS) return { refused: 'signed in the future' };
  if (when.getTime() + expires * 1000 < now.getTime()) return { refused: `expired at ${new Date(when.getTime() + expires * 1000).toISOString()}` };
  const known = lookup(accessKeyId);
  if (!known) return { refused: 'unknown or expired access key' };
  const sessionToken = q.get('X-Amz-Security-Token');
  if (known.sessionToken !== undefined && !sameText(sessionToken ?? '', known.sessionToken)) return { refused: 'session token missing or wrong' };
  const given = q.get('X-Amz-Signature') ?? '';
  const unsigned = query.split('&').filter((kv) => !kv.startsWith('X-Amz-Signature=') && !kv.startsWith('?X-Amz-Signature=')).join('&');
  const req = { method: 'GET', url: `/${unsigned.startsWith('?') ? unsigned : `?${unsigned}`}`, headers: { host }, body: Buffer.alloc(0) };
  // @aws-sdk/rds-signer hashes the empty body; botocore's presigner signs UNSIGNED-PAYLOAD: either is a valid presign.
  const ok = [EMPTY_SHA256, 'UNSIGNED-PAYLOAD'].some((payload) =>
    sameText(signature(known.secretAccessKey, amzDate, [date, credRegion, 'rds-db'], canonicalRequest(req, ['host'], payload)), given));
  if (!ok) return { refused: 'signature does not match' };
  return { host, dbUser, known };
}
