import type { RDSClient } from '@aws-sdk/client-rds';
import type { IAMClient } from '@aws-sdk/client-iam';
import { conflictError, notFoundError, usageError } from '../core/errors.js';
import { parseArn } from '../core/arn.js';
import { connectPolicyDocument, dbUserArn, parsePolicyDocument, samePolicy, type PolicyDocument } from '../core/iam-policy.js';
import {
  accountParams, connectPolicyName, createIamUserSql, grantSteps, nothingToDo, policyArnFor, privilegeGrants, roleNameOf, showSql,
} from '../core/iam-grant.js';
import { isUserRole, USER_ROLES } from '../core/user-roles.js';
import { openSession, type SqlSession } from '../db/session.js';
import { getCredentials } from './credentials.js';
import { describeServingInstance } from './instances.js';
import { requireIamEnabled } from './iam-auth.js';

/**
 * `rdsctl iam grant` / `revoke`: an IAM policy allowing rds-db:connect on the dbuser ARN, attached to
 * the role (IAM API), and the database user created for IAM authentication (SQL as the master user).
 * Idempotent: what exists and matches is left alone and the result says nothing changed.
 */
export interface GrantRequest {
  id: string;
  dbUser: string;
  role: string;
  database?: string;
  privileges?: string;
  dryRun: boolean;
  target: 'local' | 'aws';
  home: string;
}

export interface GrantResult {
  changed: boolean;
  dryRun: boolean;
  roleArn: string;
  policyArn: string;
  resourceArn: string;
  policyDocument: PolicyDocument;
  /** What was (or, with --dry-run, would be) done, in order; empty when nothing changed. */
  actions: string[];
  /** SQL rdsctl could not run itself (aws target: it does not hold the master password). */
  sqlToRun: string[];
}

function checkRequest(r: Pick<GrantRequest, 'id' | 'dbUser' | 'privileges' | 'database'>): void {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(r.dbUser)) {
    throw usageError('INVALID_DB_USER', `Invalid --db-user "${r.dbUser}": 1–32 letters, digits or underscores, starting with a letter.`);
  }
  if (r.privileges !== undefined && !isUserRole(r.privileges)) {
    throw usageError('INVALID_PRIVILEGES', `Unknown --privileges "${r.privileges}".`, { hint: `Use one of ${USER_ROLES.join(', ')}: rdsctl iam grant ${r.id} --privileges app --database shop` });
  }
  if (r.privileges !== undefined && !r.database) throw usageError('PRIVILEGES_NEED_DATABASE', '--privileges needs --database (the schema the role is granted on).');
}

async function findRole(iam: IAMClient, req: Pick<GrantRequest, 'id' | 'dbUser' | 'role'>): Promise<string> {
  const { id, role } = req;
  const { GetRoleCommand } = await import('@aws-sdk/client-iam');
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: roleNameOf(role) }))).Role!.Arn!;
  } catch (e) {
    if ((e as Error).name !== 'NoSuchEntityException') throw e;
    throw notFoundError('IAM_ROLE_NOT_FOUND', `IAM role ${roleNameOf(role)} does not exist.`, {
      awsName: 'NoSuchEntity', hint: `Create the role first (aws iam create-role), or pass an existing role name or ARN: rdsctl iam grant ${id} --db-user ${req.dbUser} --role`,
    });
  }
}

/** The managed policy's document when it exists (undefined: it does not). */
async function existingPolicy(iam: IAMClient, arn: string): Promise<PolicyDocument | undefined> {
  const { GetPolicyCommand, GetPolicyVersionCommand } = await import('@aws-sdk/client-iam');
  try {
    const p = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: p.Policy!.DefaultVersionId! }));
    const doc = parsePolicyDocument(decodeURIComponent(v.PolicyVersion!.Document!));
    return 'problem' in doc ? { Statement: [] } : doc;
  } catch (e) {
    if ((e as Error).name === 'NoSuchEntityException') return undefined;
    throw e;
  }
}

async function attachedTo(iam: IAMClient, roleName: string, arn: string): Promise<boolean> {
  const { ListAttachedRolePoliciesCommand } = await import('@aws-sdk/client-iam');
  const out = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (out.AttachedPolicies ?? []).some((p) => p.PolicyArn === arn);
}

/** The master user's session (local target only: rdsctl holds that password). */
export async function masterSession(rds: RDSClient, req: Pick<GrantRequest, 'target' | 'home' | 'id'>): Promise<SqlSession | undefined> {
  if (req.target !== 'local') return undefined;
  const c = await getCredentials(rds, req.target, req.home, req.id, { serving: true });
  return openSession({ host: c.host, port: c.port, user: c.username, password: c.password, tls: { caFile: c.caFile, verifyIdentity: true }, label: `mysql://${c.username}@${c.host}:${c.port}/` });
}

export async function userPlugin(s: SqlSession, user: string): Promise<string | undefined> {
  const rows = await s.query<{ plugin: string }>("SELECT plugin FROM mysql.user WHERE User = ? AND Host = '%'", [user]);
  return rows[0]?.plugin;
}

const grantsOf = async (s: SqlSession, user: string) => (await s.query<Record<string, string>>("SHOW GRANTS FOR ?@'%'", [user])).map((r) => Object.values(r)[0]).sort();

export async function grantIamAccess(rds: RDSClient, iam: IAMClient, req: GrantRequest): Promise<GrantResult> {
  checkRequest(req);
  const db = await describeServingInstance(rds, req.id);
  requireIamEnabled(db);
  const roleArn = await findRole(iam, req);
  const roleName = roleNameOf(roleArn);
  const account = parseArn(roleArn)!.account;
  const resourceArn = dbUserArn(await rds.config.region(), account, db.DbiResourceId!, req.dbUser);
  const policyDocument = connectPolicyDocument(resourceArn);
  const policyArn = policyArnFor(account, connectPolicyName(db.DBInstanceIdentifier!, req.dbUser));
  const found = await existingPolicy(iam, policyArn);
  if (found && !samePolicy(found, policyDocument)) {
    throw conflictError('IAM_POLICY_DIFFERS', `The policy ${policyArn} exists with another document; rdsctl will not overwrite it.`, { hint: `Inspect it (aws iam get-policy-version), or remove it with rdsctl iam revoke ${req.id} --db-user ${req.dbUser} --role ${roleName}` });
  }
  const session = await masterSession(rds, req);
  try {
    const plugin = session ? await userPlugin(session, req.dbUser) : undefined;
    if (plugin !== undefined && plugin !== 'pam' && plugin !== 'AWSAuthenticationPlugin') {
      throw conflictError('DB_USER_NOT_IAM', `Database user ${req.dbUser} exists with ${plugin} (a password user); rdsctl will not turn it into an IAM user.`, { hint: `Pick another --db-user, or drop ${req.dbUser} first.` });
    }
    const steps = grantSteps({ policyExists: found !== undefined, policyMatches: true, attached: found !== undefined && (await attachedTo(iam, roleName, policyArn)), userPlugin: session ? plugin : 'unknown' });
    const grants = privilegeGrants(req.privileges, req.database);
    const sql = [...(steps.createUser || !session ? [createIamUserSql(req.target)] : []), ...grants];
    const before = session && plugin !== undefined ? await grantsOf(session, req.dbUser) : [];
    const actions = [
      ...(steps.createPolicy ? [`create IAM policy ${policyArn}`] : []),
      ...(steps.attachPolicy ? [`attach it to role ${roleName}`] : []),
      ...(session && steps.createUser ? [`create database user '${req.dbUser}'@'%' (IAM, REQUIRE SSL)`] : []),
    ];
    const result: GrantResult = { changed: false, dryRun: req.dryRun, roleArn, policyArn, resourceArn, policyDocument, actions, sqlToRun: session ? [] : sql.map((q) => showSql(q, req.dbUser)) };
    if (req.dryRun) return { ...result, actions: [...actions, ...(session ? grants.map((g) => showSql(g, req.dbUser)) : [])] };
    await applyIam(iam, steps, { policyArn, policyDocument, roleName, name: connectPolicyName(db.DBInstanceIdentifier!, req.dbUser), id: req.id });
    if (session) {
      for (const q of sql) await session.query(q, q.includes('?@?') ? accountParams(q, req.dbUser, '%') : [req.dbUser]);
      const after = await grantsOf(session, req.dbUser);
      if (grants.length > 0 && after.join('\n') !== before.join('\n')) actions.push(`grant ${req.privileges} on ${req.database}`);
    }
    return { ...result, actions, changed: actions.length > 0 || !nothingToDo(steps) };
  } finally {
    await session?.close();
  }
}

async function applyIam(iam: IAMClient, steps: ReturnType<typeof grantSteps>, p: { policyArn: string; policyDocument: PolicyDocument; roleName: string; name: string; id: string }): Promise<void> {
  const { CreatePolicyCommand, AttachRolePolicyCommand } = await import('@aws-sdk/client-iam');
  if (steps.createPolicy) {
    await iam.send(new CreatePolicyCommand({ PolicyName: p.name, PolicyDocument: JSON.stringify(p.policyDocument), Description: `rdsctl iam grant ${p.id}: rds-db:connect for one database user` }));
  }
  if (steps.attachPolicy) await iam.send(new AttachRolePolicyCommand({ RoleName: p.roleName, PolicyArn: p.policyArn }));
}
