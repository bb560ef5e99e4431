import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyLookup, KnownKey } from './types.js';

/** What the verifier needs from an HTTP request (header names lower-case, as node gives them). */
export interface SignedRequest {
  method: string;
  /** Path and query as received, e.g. "/" or "/?Action=…". */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Verified {
  accessKeyId: string;
  known: KnownKey;
  region: string;
  service: string;
}

/** A failed check with AWS's code (all 403). */
export interface AuthFailure {
  code: 'MissingAuthenticationToken' | 'IncompleteSignature' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch';
  message: string;
}

export const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(pathname: string): string {
  // Non-S3 services: each segment is decoded then encoded twice over the raw path; for "/" it is "/".
  const segments = pathname.split('/').map((seg) => uriEncode(uriEncode(safeDecode(seg))));
  return segments.join('/') || '/';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalQuery(search: string): string {
  if (!search) return '';
  const pairs = search.replace(/^\?/, '').split('&').filter(Boolean).map((kv) => {
    const i = kv.indexOf('=');
    const k = i < 0 ? kv : kv.slice(0, i);
    const v = i < 0 ? '' : kv.slice(i + 1);
    return [uriEncode(safeDecode(k.replace(/\+/g, ' '))), uriEncode(safeDecode(v.replace(/\+/g, ' ')))];
  });
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  const joined = Array.isArray(v) ? v.join(',') : v;
  return joined.trim().replace(/\s+/g, ' ');
}

export function parseAmzDate(s: string | undefined): Date | undefined {
  const m = s && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

/** The canonical request of AWS Signature Version 4 over exactly the listed signed headers. */
export function canonicalRequest(req: SignedRequest, signedHeaders: string[], payloadHash: string): string {
  const u = new URL(req.url, 'http://placeholder');
  const headerLines = signedHeaders.map((h) => `${h}:${headerValue(req.headers[h]) ?? ''}\n`).join('');
  return [req.method, canonicalPath(u.pathname), canonicalQuery(u.search), headerLines, signedHeaders.join(';'), payloadHash].join('\n');
}

export function signature(secret: string, amzDate: string, scope: string[], canonical: string): string {
  const [date, region, service] = scope;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${date}/${region}/${service}/aws4_request`, sha256Hex(canonical)].join('\n');
  const kDate = hmac(`AWS4${secret}`, date);
  const kSigning = hmac(hmac(hmac(kDate, region), service), 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

/**
 * The credential scope must name this endpoint's region and the service the request speaks (as AWS
 * checks it: a signature for eu-west-1 or for s3 is not one for this endpoint), with AWS's messages.
 */
export function checkScope(v: Verified, want: { region: string; service: string }): AuthFailure | undefined {
  if (v.region !== want.region) {
    return { code: 'SignatureDoesNotMatch', message: `Credential should be scoped to a valid region, not '${v.region}'. This endpoint's region is '${want.region}'.` };
  }
  if (v.service !== want.service) {
    return { code: 'SignatureDoesNotMatch', message: `Credential should be scoped to correct service: '${want.service}'.` };
  }
  return undefined;
}

/**
 * Verifies a header-signed SigV4 request against the keys the endpoint knows (its root pair, IAM users'
 * access keys, STS sessions with their X-Amz-Security-Token). Returns the scope and the key's principal
 * on success, or the AWS error to answer (403, nothing done).
 */
export function verifySigV4(req: SignedRequest, lookup: KeyLookup, now = new Date()): Verified | AuthFailure {
  const auth = headerValue(req.headers.authorization);
  if (!auth) return { code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' };
  const m = AUTH_RE.exec(auth);
  if (!m) return { code: 'IncompleteSignature', message: 'Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256).' };
  const [, accessKeyId, date, region, service, signedList, given] = m;
  const known = lookup(accessKeyId);
  if (!known) return { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
  const token = headerValue(req.headers['x-amz-security-token']);
  if (known.sessionToken !== undefined && !sameText(token ?? '', known.sessionToken)) {
    return { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
  }
  const signedHeaders = signedList.split(';');
  const amzDate = headerValue(req.headers['x-amz-date']);
  const when = parseAmzDate(amzDate);
  if (!when || !signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date') || amzDate!.slice(0, 8) !== date) {
    return { code: 'IncompleteSignature', message: 'The request must carry a signed host and x-amz-date header matching the credential scope date.' };
  }
  if (Math.abs(now.getTime() - when.getTime()) > MAX_SKEW_MS) {
    return { code: 'SignatureDoesNotMatch', message: `Signature expired: ${amzDate} is now earlier or later than 15 minutes from ${now.toISOString()}.` };
  }
  const bodyHash = sha256Hex(req.body);
  const declared = headerValue(req.headers['x-amz-content-sha256']);
  if (declared !== undefined && declared !== bodyHash) {
    return { code: 'SignatureDoesNotMatch', message: 'The x-amz-content-sha256 header does not match the request body.' };
  }
  const expected = signature(known.secretAccessKey, amzDate!, [date, region, service], canonicalRequest(req, signedHeaders, bodyHash));
  const ok = timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
  if (!ok) {
    return { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.' };
  }
  return { accessKeyId, known, region, service };
}

/** Constant-time equality of two strings (tokens, signatures). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
