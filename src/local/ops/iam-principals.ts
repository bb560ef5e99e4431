import { evaluatePolicies, parsePolicyDocument, type PolicyDocument } from '../../core/iam-policy.js';
import { AwsFault, type Caller, type KeyLookup, type ServiceName } from '../server/types.js';
import { LOCAL_ACCOUNT } from '../state/credentials.js';
import { iamStores, type IamStores } from '../state/iam.js';

export const ROOT_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:root`;

/**
 * Every key the endpoint accepts: the home's root pair (full access, as an account's root user), the
 * active access keys of IAM users, and unexpired STS sessions (with their session token). Read from
 * the stores at each request, so a key created a moment ago works and a deleted one stops at once.
 */
export function keyLookup(home: string, root: { accessKeyId: string; secretAccessKey: string }, now = () => Date.now()): KeyLookup {
  const stores = iamStores(home);
  return (accessKeyId) => {
    if (accessKeyId === root.accessKeyId) return { secretAccessKey: root.secretAccessKey, caller: { kind: 'root', arn: ROOT_ARN } };
    if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId)) return undefined; // also keeps path characters out of the store
    if (accessKeyId.startsWith('ASIA')) {
      const s = stores.sessions.get(accessKeyId);
      if (!s || Date.parse(s.expiration) <= now()) return undefined;
      return { secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, caller: { kind: 'assumed-role', arn: s.arn } };
    }
    const key = stores.accessKeys.get(accessKeyId);
    const user = key && key.status === 'Active' ? stores.users.get(key.userName) : undefined;
    return user ? { secretAccessKey: key!.secretAccessKey, caller: { kind: 'user', arn: user.arn } } : undefined;
  };
}

/** The identity policies of a user or of the role behind a session (managed policies attached to it). */
export function policiesOf(stores: IamStores, caller: Caller): PolicyDocument[] {
  const attached = attachedTo(stores, caller);
  const docs: PolicyDocument[] = [];
  for (const arn of attached) {
    const p = stores.policies.list().find((x) => x.arn === arn);
    const doc = p ? parsePolicyDocument(p.document) : undefined;
    if (doc && !('problem' in doc)) docs.push(doc);
  }
  return docs;
}

function attachedTo(stores: IamStores, caller: Caller): string[] {
  if (caller.kind === 'user') return stores.users.get(caller.arn.split('/').pop()!)?.attached ?? [];
  if (caller.kind === 'assumed-role') return stores.roles.get(caller.arn.split('/')[1])?.attached ?? [];
  return [];
}

/** The IAM service prefix of an endpoint service (CloudWatch's is `cloudwatch`). */
const PREFIX: Record<ServiceName, string> = { rds: 'rds', monitoring: 'cloudwatch', iam: 'iam', sts: 'sts', secretsmanager: 'secretsmanager' };

/**
 * A non-root caller's API permission: its policies must allow `<prefix>:<Action>` on Resource "*"
 * (resource-level permissions of API calls are not evaluated here). AssumeRole is decided by the
 * role's trust policy in the operation, GetCallerIdentity is always allowed (as on AWS).
 */
export function authorizer(home: string) {
  const stores = iamStores(home);
  return (caller: Caller, service: ServiceName, action: string): AwsFault | undefined => {
    if (service === 'sts' && (action === 'AssumeRole' || action === 'GetCallerIdentity')) return undefined;
    const name = `${PREFIX[service]}:${action}`;
    if (evaluatePolicies(policiesOf(stores, caller), name, '*') === 'allow') return undefined;
    return new AwsFault('AccessDenied', `User: ${caller.arn} is not authorized to perform: ${name} on resource: * because no identity-based policy allows the ${name} action`, 403);
  };
}
