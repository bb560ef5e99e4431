import { accountParams, isUserRole, roleGrants, type UserRole } from './user-roles.js';

/**
 * `rdsctl iam grant`: the names and statements it works with, and what a run changes, decided from what
 * it found. Pure: the service reads the live state and applies the plan.
 */
export const MAX_TOKEN_SECONDS = 900;
export const LOCAL_PAM_SERVICE = 'rdsctl-iam';

/** `app-role` or `arn:aws:iam::123456789012:role/path/app-role` → the role name. */
export function roleNameOf(roleOrArn: string): string {
  const m = /^arn:aws[\w-]*:iam::\d{12}:role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleOrArn);
  return m ? m[1] : roleOrArn;
}

/** The managed policy grant creates for one database user of one instance. */
export function connectPolicyName(instanceId: string, dbUser: string): string {
  return `rdsctl-${instanceId}-${dbUser}-connect`.slice(0, 128);
}

export function policyArnFor(account: string, name: string): string {
  return `arn:aws:iam::${account}:policy/${name}`;
}

/**
 * The CREATE USER of an IAM-authenticated account: on RDS, AWS's plugin; locally, MariaDB's PAM with
 * rdsctl's PAM service. REQUIRE SSL everywhere: the token travels as a cleartext password.
 */
export function createIamUserSql(target: 'local' | 'aws'): string {
  const auth = target === 'aws' ? "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'" : `IDENTIFIED VIA pam USING '${LOCAL_PAM_SERVICE}'`;
  return `CREATE USER ?@'%' ${auth} REQUIRE SSL`;
}

/** The same statements with the account written in, for --dry-run and for a DBA to run by hand. */
export function showSql(sql: string, user: string): string {
  return sql.replace('?@?', `'${user}'@'%'`).replace("?@'%'", `'${user}'@'%'`);
}

export function privilegeGrants(privileges: string | undefined, database: string | undefined): string[] {
  if (privileges === undefined) return [];
  if (!isUserRole(privileges)) throw new Error(`unknown role ${privileges}`);
  if (!database) throw new Error('--privileges needs --database');
  return roleGrants(privileges as UserRole, database);
}

export { accountParams };

export interface GrantState {
  policyExists: boolean;
  policyMatches: boolean;
  attached: boolean;
  /** undefined: the database user does not exist; else its authentication plugin. */
  userPlugin?: string;
}

export interface GrantSteps {
  createPolicy: boolean;
  attachPolicy: boolean;
  createUser: boolean;
}

/** What grant must do given what exists (a mismatching policy or a password user is the caller's conflict). */
export function grantSteps(s: GrantState): GrantSteps {
  return { createPolicy: !s.policyExists, attachPolicy: !s.attached, createUser: s.userPlugin === undefined };
}

export const nothingToDo = (g: GrantSteps) => !g.createPolicy && !g.attachPolicy && !g.createUser;
