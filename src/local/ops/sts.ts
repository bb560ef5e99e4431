import { parsePolicyDocument, trustAllows } from '../../core/iam-policy.js';
import { AwsFault, type OpHandler } from '../server/types.js';
import { LOCAL_ACCOUNT } from '../state/credentials.js';
import { iamStores, newId, newSecret, newSessionToken } from '../state/iam.js';
import type { OpsContext } from './context.js';
import { validationError } from './iam-common.js';
import { int, required } from './params.js';
import { ROOT_ARN } from './iam-principals.js';

/** STS on the local endpoint: AssumeRole (temporary credentials with a session token) and GetCallerIdentity. */

interface AssumeRoleResult {
  Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: Date };
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
}

const accessDenied = (caller: string, roleArn: string) =>
  new AwsFault('AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);

export function assumeRole(ctx: OpsContext): OpHandler<AssumeRoleResult> {
  return async (req) => {
    const roleArn = required(req.flat, 'RoleArn');
    const sessionName = required(req.flat, 'RoleSessionName');
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw validationError(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
    const stores = iamStores(ctx.home);
    const caller = req.caller?.arn ?? ROOT_ARN;
    const role = stores.roles.list().find((r) => r.arn === roleArn);
    if (!role) throw accessDenied(caller, roleArn); // AWS does not say whether the role exists
    const trust = parsePolicyDocument(role.trustPolicy);
    // Root may assume any role of its account; others need the trust policy to name them (or the account).
    const trusted = caller === ROOT_ARN || (!('problem' in trust) && trustAllows(trust, caller, LOCAL_ACCOUNT));
    if (!trusted) throw accessDenied(caller, roleArn);
    const seconds = int(req.flat, 'DurationSeconds') ?? 3600;
    if (seconds < 900 || seconds > role.maxSessionDuration) throw validationError(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role (${role.maxSessionDuration}), or is below 900.`);
    const expiration = new Date(Date.now() + seconds * 1000);
    const id = newId('ASIA');
    const arn = `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${role.id}/${sessionName}`;
    const session = { id, secretAccessKey: newSecret(), sessionToken: newSessionToken(), roleName: role.id, sessionName, arn, expiration: expiration.toISOString() };
    stores.sessions.save(session);
    pruneExpired(ctx);
    return {
      Credentials: { AccessKeyId: id, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken, Expiration: expiration },
      AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${sessionName}`, Arn: arn },
    };
  };
}

/** Expired sessions are refused at lookup; their records are removed here so the store stays small. */
function pruneExpired(ctx: OpsContext): void {
  const sessions = iamStores(ctx.home).sessions;
  for (const s of sessions.list()) if (Date.parse(s.expiration) < Date.now()) sessions.remove(s.id);
}

export function getCallerIdentity(): OpHandler<{ UserId: string; Account: string; Arn: string }> {
  return async (req) => ({ UserId: req.accessKeyId, Account: LOCAL_ACCOUNT, Arn: req.caller?.arn ?? ROOT_ARN });
}
