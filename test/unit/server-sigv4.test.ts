import { describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { checkScope, verifySigV4, type SignedRequest } from '../../src/local/server/sigv4.js';
import { own } from '../../src/local/server/protocol.js';

const keys = { accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD' };
const now = new Date('2026-11-26T12:00:00Z');
const rootCaller = { kind: 'root' as const, arn: 'arn:aws:iam::000000000000:root' };
const lookup = (id: string) => (id === keys.accessKeyId ? { secretAccessKey: keys.secretAccessKey, caller: rootCaller } : undefined);

/** Signs like the SDK does and returns the request as our server sees it. */
async function signed(body: string, opts: { secret?: string; date?: Date; service?: string; region?: string; headers?: Record<string, string> } = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({ service: opts.service ?? 'rds', region: opts.region ?? 'us-east-1', sha256: Sha256, applyChecksum: true, credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: opts.secret ?? keys.secretAccessKey } });
  const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', body,
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...opts.headers } });
  const s = await signer.sign(req, { signingDate: opts.date ?? now });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.headers)) headers[k.toLowerCase()] = v;
  return { method: 'POST', url: '/', headers, body: Buffer.from(body) };
}

describe('verifySigV4', () => {
  const body = 'Action=DescribeDBInstances&Version=2014-10-31';

  it('accepts a request signed by @smithy/signature-v4 and reports its scope', async () => {
    expect(verifySigV4(await signed(body), lookup, now)).toEqual({ accessKeyId: keys.accessKeyId, known: lookup(keys.accessKeyId), region: 'us-east-1', service: 'rds' });
    expect(verifySigV4(await signed(body, { service: 'monitoring', headers: { 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' } }), lookup, now)).toMatchObject({ service: 'monitoring' });
  });

  const cases: [string, (r: SignedRequest) => SignedRequest | Promise<SignedRequest>, string][] = [
    ['no Authorization', (r) => ({ ...r, headers: { ...r.headers, authorization: undefined } }), 'MissingAuthenticationToken'],
    ['garbled Authorization', (r) => ({ ...r, headers: { ...r.headers, authorization: 'AWS4-HMAC-SHA256 nonsense' } }), 'IncompleteSignature'],
    ['unknown access key', (r) => ({ ...r, headers: { ...r.headers, authorization: String(r.headers.authorization).replace(keys.accessKeyId, 'AKIAOTHEROTHEROTHER1') } }), 'InvalidClientTokenId'],
    ['body changed after signing', (r) => ({ ...r, body: Buffer.from(`${body}&DBInstanceIdentifier=x`) }), 'SignatureDoesNotMatch'],
    ['signed header changed', (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/plain' } }), 'SignatureDoesNotMatch'],
    ['wrong secret', () => signed(body, { secret: 'wrongwrongwrongwrongwrongwrongwrongwrong' }), 'SignatureDoesNotMatch'],
    ['16 minutes old', () => signed(body, { date: new Date(now.getTime() - 16 * 60_000) }), 'SignatureDoesNotMatch'],
    ['16 minutes ahead', () => signed(body, { date: new Date(now.getTime() + 16 * 60_000) }), 'SignatureDoesNotMatch'],
  ];
  it.each(cases)('%s → %s', async (_what, mutate, code) => {
    const r = await mutate(await signed(body));
    expect(verifySigV4(r, lookup, now)).toMatchObject({ code });
  });

  it('an STS session key needs its own X-Amz-Security-Token: missing or wrong → InvalidClientTokenId', async () => {
    const session = (id: string) => (id === keys.accessKeyId ? { secretAccessKey: keys.secretAccessKey, sessionToken: 'tok-1', caller: { kind: 'assumed-role' as const, arn: 'arn:aws:sts::000000000000:assumed-role/app/s' } } : undefined);
    expect(verifySigV4(await signed(body), session, now)).toMatchObject({ code: 'InvalidClientTokenId' });
    expect(verifySigV4(await signed(body, { headers: { 'x-amz-security-token': 'tok-2' } }), session, now)).toMatchObject({ code: 'InvalidClientTokenId' });
    expect(verifySigV4(await signed(body, { headers: { 'x-amz-security-token': 'tok-1' } }), session, now)).toMatchObject({ known: { caller: { kind: 'assumed-role' } } });
  });

  it('accepts 14 minutes of clock skew', async () => {
    expect(verifySigV4(await signed(body, { date: new Date(now.getTime() - 14 * 60_000) }), lookup, now)).toMatchObject({ service: 'rds' });
  });

  it('checks the credential scope: the endpoint\'s region and the request\'s service', async () => {
    const want = { region: 'us-east-1', service: 'rds' };
    const ok = verifySigV4(await signed(body), lookup, now);
    expect('code' in ok ? ok : checkScope(ok, want)).toBeUndefined();
    for (const [scope, message] of [[{ region: 'eu-west-1' }, /valid region, not 'eu-west-1'/], [{ service: 's3' }, /correct service: 'rds'/]] as const) {
      const v = verifySigV4(await signed(body, scope), lookup, now); // a valid signature …
      if ('code' in v) throw new Error(v.message);
      expect(checkScope(v, want)).toMatchObject({ code: 'SignatureDoesNotMatch', message: expect.stringMatching(message) }); // … for another scope
    }
  });
});

describe('own', () => {
  it('finds only a table\'s own keys, never Object.prototype members', () => {
    const t: Record<string, number> = { DescribeDBInstances: 1 };
    expect(own(t, 'DescribeDBInstances')).toBe(1);
    for (const k of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(own(t, k)).toBeUndefined();
  });
});
