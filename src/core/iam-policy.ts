/**
 * IAM policy documents and their evaluation, as far as rdsctl needs them: identity policies of
 * Allow/Deny statements with Action/NotAction and Resource/NotResource (wildcards `*` and `?`), and a
 * role's trust policy (Principal AWS). AWS's rule: an explicit Deny wins, then any Allow, else the
 * implicit deny. Conditions are not evaluated: a statement with a Condition never matches (fail
 * closed: an Allow with a condition we cannot check does not allow). Pure.
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[] };
  Condition?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

export type Decision = 'allow' | 'deny' | 'implicit-deny';

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `*` any run of characters, `?` one character; IAM's only wildcards. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Parses a policy document (JSON text) or says what is wrong, in MalformedPolicyDocument's words. */
export function parsePolicyDocument(text: string): PolicyDocument | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { problem: 'Syntax errors in policy.' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: 'The policy must be a JSON object.' };
  const doc = raw as { Version?: unknown; Statement?: unknown };
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') return { problem: `The policy Version ${String(doc.Version)} is not valid.` };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? undefined : [doc.Statement];
  if (!statements || statements.length === 0) return { problem: 'Missing required field Statement.' };
  for (const s of statements as Record<string, unknown>[]) {
    if (typeof s !== 'object' || s === null) return { problem: 'Each Statement must be an object.' };
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return { problem: 'Missing required field Effect (Allow or Deny).' };
    if (s.Action === undefined && s.NotAction === undefined) return { problem: 'Policy statement must contain actions.' };
    for (const key of ['Action', 'NotAction', 'Resource', 'NotResource']) {
      const v = s[key];
      if (v !== undefined && typeof v !== 'string' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
        return { problem: `${key} must be a string or a list of strings.` };
      }
    }
  }
  return { Version: doc.Version as string | undefined, Statement: statements as PolicyStatement[] };
}

function matchesAction(s: PolicyStatement, action: string): boolean {
  if (s.Action !== undefined) return asList(s.Action).some((p) => wildcardMatch(p, action, true));
  return !asList(s.NotAction).some((p) => wildcardMatch(p, action, true));
}

function matchesResource(s: PolicyStatement, resource: string): boolean {
  if (s.Resource !== undefined) return asList(s.Resource).some((p) => wildcardMatch(p, resource));
  if (s.NotResource !== undefined) return !asList(s.NotResource).some((p) => wildcardMatch(p, resource));
  return true; // a trust policy has no Resource: it is the role itself
}

/** The decision of a set of identity policies for one action on one resource. */
export function evaluatePolicies(docs: PolicyDocument[], action: string, resource: string): Decision {
  let allowed = false;
  for (const s of docs.flatMap((d) => d.Statement)) {
    if (s.Condition !== undefined || !matchesAction(s, action) || !matchesResource(s, resource)) continue;
    if (s.Effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** Does a statement's Principal name this caller (its ARN, its account, the account's root, or "*")? */
function namesPrincipal(s: PolicyStatement, callerArn: string, account: string): boolean {
  if (s.Principal === '*') return true;
  return asList(s.Principal?.AWS).some((p) => p === '*' || p === callerArn || p === account || p === `arn:aws:iam::${account}:root`);
}

/** A role's trust policy: may this caller assume it (sts:AssumeRole)? Deny wins here too. */
export function trustAllows(trust: PolicyDocument, callerArn: string, account: string): boolean {
  let allowed = false;
  for (const s of trust.Statement) {
    if (s.Condition !== undefined || !matchesAction(s, 'sts:AssumeRole') || !namesPrincipal(s, callerArn, account)) continue;
    if (s.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

/** The resource of rds-db:connect: `arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>`. */
export function dbUserArn(region: string, account: string, dbiResourceId: string, dbUser: string): string {
  return `arn:aws:rds-db:${region}:${account}:dbuser:${dbiResourceId}/${dbUser}`;
}

export const CONNECT_ACTION = 'rds-db:connect';

/** The identity policy `rdsctl iam grant` attaches: connect as one database user of one instance. */
export function connectPolicyDocument(resourceArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Sid: 'RdsctlIamConnect', Effect: 'Allow', Action: [CONNECT_ACTION], Resource: [resourceArn] }] };
}

/** A trust policy letting principals of this account (that their own policies allow) assume a role. */
export function accountTrustPolicy(account: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] };
}

/** Two documents say the same thing (key order aside): grant's idempotence check. */
export function samePolicy(a: PolicyDocument, b: PolicyDocument): boolean {
  const norm = (d: PolicyDocument) => JSON.stringify(d.Statement.map((s) => ({
    Effect: s.Effect, Action: asList(s.Action).map((x) => x.toLowerCase()).sort(), Resource: asList(s.Resource).sort(),
  })));
  return norm(a) === norm(b);
}
