import { describe, expect, it } from 'vitest';
import { Signer } from '@aws-sdk/rds-signer';
import { checkDbToken } from '../../src/local/ops/iam-db-token.js';
import type { KnownKey } from '../../src/local/server/types.js';

const user = { accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD' };
const session = { accessKeyId: 'ASIAEXAMPLEEXAMPLE12', secretAccessKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponm', sessionToken: 'IQoJrdsctlsessiontoken' };
const lookup = (id: string): KnownKey | undefined => {
  if (id === user.accessKeyId) return { secretAccessKey: user.secretAccessKey, caller: { kind: 'user', arn: 'arn:aws:iam::000000000000:user/batch' } };
  if (id === session.accessKeyId) return { secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, caller: { kind: 'assumed-role', arn: 'arn:aws:sts::000000000000:assumed-role/app-role/s' } };
  return undefined;
};
const token = (creds: typeof user | typeof session, username = 'app', port = 3306) =>
  new Signer({ hostname: '127.0.0.1', port, username, region: 'us-east-1', credentials: creds }).getAuthToken();

describe('checkDbToken (the presigned-URL token RDS checks)', () => {
  it('accepts a token from @aws-sdk/rds-signer, with a key or an STS session, and says for whom', async () => {
    expect(checkDbToken(await token(user), lookup, 'us-east-1')).toMatchObject({ host: '127.0.0.1:3306', dbUser: 'app', known: { caller: { kind: 'user' } } });
    expect(checkDbToken(await token(session), lookup, 'us-east-1')).toMatchObject({ known: { caller: { kind: 'assumed-role' } } });
  });

  it.each([
    ['tampered user', (t: string) => t.replace('DBUser=app', 'DBUser=apq'), /signature does not match/],
    ['tampered host', (t: string) => t.replace('127.0.0.1:3306', '127.0.0.1:3307'), /signature does not match/],
    ['unknown key', (t: string) => t.replace(user.accessKeyId, 'AKIAOTHEROTHEROTHER1'), /unknown or expired access key/],
    ['Expires above 900', (t: string) => t.replace('X-Amz-Expires=900', 'X-Amz-Expires=901'), /X-Amz-Expires must be 1–900/],
    ['not connect', (t: string) => t.replace('Action=connect', 'Action=other'), /Action is not connect/],
    ['other signed headers', (t: string) => t.replace('X-Amz-SignedHeaders=host', 'X-Amz-SignedHeaders=host%3Bx'), /SignedHeaders must be host/],
    ['no URL at all', () => 'hunter2', /not a presigned connect URL/],
    ['cut by PAM at 511 bytes', (t: string) => `${t}&${'x'.repeat(600)}`.slice(0, 511), /PAM's 511-byte limit/],
  ] as const)('%s → refused', async (_what, mutate, reason) => {
    expect(checkDbToken(mutate(await token(user)), lookup, 'us-east-1')).toEqual({ refused: expect.stringMatching(reason) });
  });

  it('refuses expired tokens (15 minutes) and a session token that is missing', async () => {
    const t = await token(user);
    expect(checkDbToken(t, lookup, 'us-east-1', new Date(Date.now() + 16 * 60_000))).toEqual({ refused: expect.stringMatching(/^expired at/) });
    const s = await token(session);
    expect(checkDbToken(s.replace(/&X-Amz-Security-Token=[^&]+/, ''), lookup, 'us-east-1')).toEqual({ refused: 'session token missing or wrong' });
  });

  it('refuses another region', async () => {
    const t = await new Signer({ hostname: '127.0.0.1', port: 3306, username: 'app', region: 'eu-west-1', credentials: user }).getAuthToken();
    expect(checkDbToken(t, lookup, 'us-east-1')).toEqual({ refused: 'signed for region eu-west-1, not us-east-1' });
  });
});
