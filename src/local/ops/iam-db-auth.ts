import fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONNECT_ACTION, dbUserArn, evaluatePolicies } from '../../core/iam-policy.js';
import { IAM_CONNECTIONS_PER_SECOND, RateWindow } from '../../core/rate-window.js';
import type { KeyLookup } from '../server/types.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../state/credentials.js';
import { iamStores } from '../state/iam.js';
import type { OpsContext } from './context.js';
import { checkDbToken } from './iam-db-token.js';
import { policiesOf } from './iam-principals.js';

/**
 * The control plane's half of IAM database authentication: a Unix socket in a root-only folder of the
 * home, asked by the PAM verifier of each login (engine/pam-verifier.ts) "may <user> connect to
 * <instance> with <token>?", answered `ok` or `no`. The secrets (access keys, sessions) never leave
 * the control plane; the reason of a refusal goes to the control-plane log (never the token).
 */
export function verifySocketPath(home: string): string {
  const inHome = join(home, 'iam-auth', 'verify.sock');
  if (Buffer.byteLength(inHome) <= 100) return inHome;
  return join('/run', `rdsctl-iam-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`, 'verify.sock');
}

/** The pam_exec command of an instance's PAM service: node, the verifier, the socket, the instance. */
export function verifierCommand(home: string, instance: string): string[] {
  const script = fileURLToPath(new URL('../engine/pam-verifier.js', import.meta.url));
  return [process.execPath, script, verifySocketPath(home), instance];
}

export interface Verdict {
  ok: boolean;
  reason: string;
}

/** One login: instance IAM-enabled, rate within RDS's, token valid for this user and endpoint, policy allows. */
export function decideLogin(ctx: OpsContext, lookup: KeyLookup, windows: Map<string, RateWindow>, q: { instance: string; user: string; token: string }, now = new Date()): Verdict {
  const rec = ctx.registry.get(q.instance);
  if (!rec) return { ok: false, reason: 'no such instance' };
  if (!rec.iamDatabaseAuthenticationEnabled) return { ok: false, reason: 'IAM database authentication is not enabled' };
  let window = windows.get(rec.id);
  if (!window) windows.set(rec.id, (window = new RateWindow(IAM_CONNECTIONS_PER_SECOND)));
  if (!window.take(now.getTime())) return { ok: false, reason: `more than ${IAM_CONNECTIONS_PER_SECOND} new IAM connections in one second` };
  const claims = checkDbToken(q.token, lookup, LOCAL_REGION, now);
  if ('refused' in claims) return { ok: false, reason: claims.refused };
  if (claims.dbUser !== q.user) return { ok: false, reason: `token is for database user ${claims.dbUser}` };
  if (claims.host !== `127.0.0.1:${rec.port}` && claims.host !== `localhost:${rec.port}`) return { ok: false, reason: `token is for endpoint ${claims.host}` };
  const caller = claims.known.caller;
  if (caller.kind === 'root') return { ok: true, reason: `root ${caller.arn}` };
  const arn = dbUserArn(LOCAL_REGION, LOCAL_ACCOUNT, rec.dbiResourceId, q.user);
  const decision = evaluatePolicies(policiesOf(iamStores(ctx.home), caller), CONNECT_ACTION, arn);
  return decision === 'allow' ? { ok: true, reason: caller.arn } : { ok: false, reason: `${caller.arn}: ${decision} for ${CONNECT_ACTION} on ${arn}` };
}

/** Listens on the verify socket; resolves with a close function. */
export async function startVerifyServer(ctx: OpsContext, lookup: KeyLookup): Promise<{ close(): Promise<void> }> {
  const path = verifySocketPath(ctx.home);
  fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  fs.chmodSync(dirname(path), 0o700);
  fs.rmSync(path, { force: true });
  const windows = new Map<string, RateWindow>();
  const server: Server = createServer((sock) => {
    let text = '';
    sock.setTimeout(5_000, () => sock.destroy());
    sock.on('data', (d: Buffer) => {
      text += d.toString('utf8');
      if (text.length > 8192) sock.destroy();
    });
    sock.on('end', () => {
      const started = process.hrtime.bigint();
      let v: Verdict;
      try {
        const q = JSON.parse(text) as { instance: string; user: string; token: string };
        v = decideLogin(ctx, lookup, windows, { instance: String(q.instance), user: String(q.user), token: String(q.token) });
      } catch {
        v = { ok: false, reason: 'malformed request' };
      }
      const us = Number(process.hrtime.bigint() - started) / 1000;
      ctx.log.info(`iam login ${v.ok ? 'allowed' : 'refused'}: ${v.reason} (checked in ${us.toFixed(0)} µs)`);
      sock.end(v.ok ? 'ok\n' : 'no\n');
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  fs.chmodSync(path, 0o600);
  return { close: () => new Promise<void>((done) => server.close(() => { fs.rmSync(path, { force: true }); done(); })) };
}
