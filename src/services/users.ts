import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import { conflictError, notFoundError, remoteError, usageError } from '../core/errors.js';
import { ROLE_TABLE, USER_ROLES, accountParams, databaseProblem, isUserRole, roleGrants, userNameProblem, type UserRole } from '../core/user-roles.js';
import { generateDbPassword, nativePasswordHash } from '../db/password-hash.js';
import type { SqlSession } from '../db/session.js';
import { describeInstance } from './instances.js';

/**
 * `rdsctl users`: least-privilege database users, made with SQL as the master user over TLS (both targets),
 * their grants from src/core/user-roles.ts, their generated passwords kept 0600 in the home
 * (src/local/state/user-secrets.ts). Only the password's hash is sent (nothing to leak into the binlog,
 * processlist or audit log). Users are made on the primary: the binlog carries them to every replica.
 */
export interface UsersDeps {
  rds: RDSClient;
  target: 'local' | 'aws';
  home: string;
  /** The AWS region (keeps the secrets of each region apart). */
  region?: string;
  /** The master password where rdsctl does not hold it (--target aws): RDSCTL_DB_PASSWORD or stdin. */
  password?: () => Promise<string | undefined>;
}

/** Every account rdsctl makes is `<name>@'%'` (RDS endpoints: clients come from anywhere in the VPC). */
const HOST = '%';

export interface UserSummary {
  username: string;
  role: string;
  database: string;
  /** The account exists on the server (false: only the kept password is left, e.g. dropped by hand). */
  onServer: boolean;
  replicaOnly: boolean;
}

export interface CreatedUser extends UserSummary {
  DBInstanceIdentifier: string;
  grants: string[];
  /** Where a replicas-only user connects (the primary's read replicas now). */
  replicas: string[];
}

const scopeOf = (d: UsersDeps) => (d.target === 'local' ? 'local' : `aws-${d.region ?? 'default'}`);
const secrets = () => import('../local/state/user-secrets.js');

export function checkRole(role: string, id: string): UserRole {
  if (!isUserRole(role)) {
    throw usageError('UNKNOWN_USER_ROLE', `Unknown role "${role}": use one of ${USER_ROLES.join(', ')}. Nothing was changed.`, { hint: `e.g. rdsctl users create ${id} app_rw --role app` });
  }
  return role;
}

/**
 * `users create --iam`: refused. An IAM database user only works with a principal allowed to connect as
 * it, and `rdsctl iam grant --privileges` already makes both (the policy, the user, the same role grants)
 * idempotently: a second way to make IAM users would be a second rule.
 */
export function refuseIamUser(id: string, name: string, role: string, database: string | undefined): never {
  throw usageError('USERS_IAM_USE_IAM_GRANT', `An IAM user is made with its IAM policy by rdsctl iam grant, not users create: nothing was changed.`, {
    hint: `rdsctl iam grant ${id} --db-user ${name} --role APP-ROLE --privileges ${role} --database ${database ?? 'SCHEMA'}`,
  });
}

/** The primary the users go on: a read replica is read_only (and gets them from its source anyway). */
async function primaryOf(d: UsersDeps, id: string): Promise<DBInstance> {
  const db = await describeInstance(d.rds, id);
  const source = db.ReadReplicaSourceDBInstanceIdentifier;
  if (source) {
    throw conflictError('USERS_ON_REPLICA', `${db.DBInstanceIdentifier} is a read replica (read_only): database users are made on its source ${source}, and replication brings them here.`, {
      hint: `e.g. rdsctl users create ${source} reporter --role reporting`,
    });
  }
  return db;
}

function checkName(name: string, db: DBInstance): void {
  const problem = userNameProblem(name, db.MasterUsername);
  if (problem) throw usageError('INVALID_USER_NAME', `User name "${name}" ${problem}. Nothing was changed.`, { hint: `e.g. rdsctl users create ${db.DBInstanceIdentifier} app_rw --role app` });
}

async function masterSession(d: UsersDeps, id: string): Promise<SqlSession> {
  const { resolveDbTarget } = await import('./analyze-target.js');
  const { openSession } = await import('../db/session.js');
  const { db } = await resolveDbTarget({ instanceId: id, target: d.target, home: d.home, rds: async () => d.rds, password: d.password });
  return openSession({ ...db, database: undefined });
}

async function withMaster<T>(d: UsersDeps, id: string, fn: (s: SqlSession) => Promise<T>): Promise<T> {
  const s = await masterSession(d, id);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

async function accountExists(s: SqlSession, name: string): Promise<boolean> {
  const rows = await s.query<{ n: number }>('SELECT COUNT(*) AS n FROM mysql.user WHERE User = ? AND Host = ?', [name, HOST]);
  return Number(rows[0]?.n) > 0;
}

/** MySQL's error as ours, with its errno (e.g. 1227 when the master user lacks a privilege). */
function sqlFailed(what: string, err: unknown): Error {
  const e = err as { errno?: number; message?: string };
  return remoteError('USER_SQL_FAILED', `${what} failed: ${e.message ?? String(err)}`, { errno: e.errno, cause: err });
}

const identified = 'IDENTIFIED WITH mysql_native_password AS ?';

/** users create: exit 5 when the account exists already (rotate or drop it instead); nothing is left half-made. */
export async function createUser(d: UsersDeps, id: string, opts: { name: string; role: string; database?: string }): Promise<CreatedUser> {
  const role = checkRole(opts.role, id);
  const db = await primaryOf(d, id);
  const instance = db.DBInstanceIdentifier!;
  checkName(opts.name, db);
  const database = opts.database ?? db.DBName;
  if (database === undefined) throw usageError('USER_DATABASE_REQUIRED', `${instance} has no initial database (DBName): name the schema the user works on.`, { hint: `rdsctl users create ${instance} ${opts.name} --role ${role} --database shop` });
  const dbProblem = databaseProblem(database);
  if (dbProblem) throw usageError('INVALID_USER_DATABASE', `--database "${database}" ${dbProblem}. Nothing was changed.`);
  const grants = roleGrants(role, database);
  const { readUserSecret, writeUserSecret, removeUserSecret } = await secrets();
  const scope = scopeOf(d);
  await withMaster(d, instance, async (s) => {
    if (await accountExists(s, opts.name)) {
      throw conflictError('USER_EXISTS', `User ${opts.name} already exists on ${instance}: nothing was changed.`, {
        hint: `New password: rdsctl users rotate ${instance} ${opts.name}; another role: rdsctl users drop ${instance} ${opts.name} first.`,
      });
    }
    const password = generateDbPassword();
    const previous = readUserSecret(d.home, scope, instance, opts.name);
    // Kept before the account exists, so there is never an account whose password nobody holds.
    writeUserSecret(d.home, scope, instance, { username: opts.name, password, role, database, host: HOST });
    try {
      await s.query(`CREATE USER ?@? ${identified} REQUIRE SSL`, [opts.name, HOST, nativePasswordHash(password)]);
      for (const sql of grants) await s.query(sql, accountParams(sql, opts.name, HOST));
    } catch (err) {
      await s.query('DROP USER IF EXISTS ?@?', [opts.name, HOST]).catch(() => undefined);
      if (previous) writeUserSecret(d.home, scope, instance, previous);
      else removeUserSecret(d.home, scope, instance, opts.name);
      throw sqlFailed(`Creating user ${opts.name} on ${instance}`, err);
    }
  });
  return {
    DBInstanceIdentifier: instance, username: opts.name, role, database, onServer: true, replicaOnly: ROLE_TABLE[role].replicaOnly,
    grants, replicas: db.ReadReplicaDBInstanceIdentifiers ?? [],
  };
}

/** users list: the users rdsctl keeps for the instance, and whether each account is on the server. */
export async function listUsers(d: UsersDeps, id: string): Promise<{ DBInstanceIdentifier: string; users: UserSummary[] }> {
  const db = await primaryOf(d, id);
  const instance = db.DBInstanceIdentifier!;
  const kept = (await secrets()).listUserSecrets(d.home, scopeOf(d), instance);
  const users = await withMaster(d, instance, async (s) => {
    const out: UserSummary[] = [];
    for (const k of kept) {
      const replicaOnly = isUserRole(k.role) && ROLE_TABLE[k.role].replicaOnly;
      out.push({ username: k.username, role: k.role, database: k.database, onServer: await accountExists(s, k.username), replicaOnly });
    }
    return out;
  });
  return { DBInstanceIdentifier: instance, users };
}

function notKept(instance: string, name: string) {
  return notFoundError('USER_NOT_FOUND', `No user ${name} made by rdsctl on ${instance}.`, { hint: `See them with rdsctl users list ${instance}.` });
}

/** users rotate: a new generated password; the old one stops working at once. */
export async function rotateUser(d: UsersDeps, id: string, name: string): Promise<UserSummary & { DBInstanceIdentifier: string }> {
  const db = await primaryOf(d, id);
  const instance = db.DBInstanceIdentifier!;
  checkName(name, db);
  const { readUserSecret, writeUserSecret } = await secrets();
  const scope = scopeOf(d);
  const old = readUserSecret(d.home, scope, instance, name);
  if (!old) throw notKept(instance, name);
  await withMaster(d, instance, async (s) => {
    if (!(await accountExists(s, name))) throw notFoundError('USER_NOT_FOUND', `User ${name} is not on ${instance} (dropped outside rdsctl?).`, { hint: `rdsctl users drop ${instance} ${name}, then create it again.` });
    const password = generateDbPassword();
    writeUserSecret(d.home, scope, instance, { ...old, password });
    try {
      await s.query(`ALTER USER ?@? ${identified}`, [name, old.host, nativePasswordHash(password)]);
    } catch (err) {
      writeUserSecret(d.home, scope, instance, old);
      throw sqlFailed(`Rotating the password of ${name} on ${instance}`, err);
    }
  });
  return { DBInstanceIdentifier: instance, username: name, role: old.role, database: old.database, onServer: true, replicaOnly: isUserRole(old.role) && ROLE_TABLE[old.role].replicaOnly };
}

/** users drop: the account and its kept password. `confirm` runs once the user is known to exist (the question). */
export async function dropUser(d: UsersDeps, id: string, name: string, confirm: (instance: string) => Promise<void>): Promise<{ DBInstanceIdentifier: string; username: string; dropped: boolean }> {
  const db = await primaryOf(d, id);
  const instance = db.DBInstanceIdentifier!;
  checkName(name, db);
  const { readUserSecret, removeUserSecret } = await secrets();
  const scope = scopeOf(d);
  const kept = readUserSecret(d.home, scope, instance, name);
  await withMaster(d, instance, async (s) => {
    const exists = await accountExists(s, name);
    if (!exists && !kept) throw notKept(instance, name);
    await confirm(instance);
    if (exists) await s.query('DROP USER ?@?', [name, kept?.host ?? HOST]).catch((err: unknown) => { throw sqlFailed(`Dropping ${name} on ${instance}`, err); });
  });
  removeUserSecret(d.home, scope, instance, name);
  return { DBInstanceIdentifier: instance, username: name, dropped: true };
}

/** `rdsctl credentials <id> --user <name>`: the one place a user's password is printed. */
export async function userCredentials(d: UsersDeps, id: string, name: string): Promise<{ username: string; password: string; role: string; database: string }> {
  const db = await describeInstance(d.rds, id);
  const instance = db.ReadReplicaSourceDBInstanceIdentifier ?? db.DBInstanceIdentifier!;
  const kept = (await secrets()).readUserSecret(d.home, scopeOf(d), instance, name);
  if (!kept) throw notKept(instance, name);
  return { username: kept.username, password: kept.password, role: kept.role, database: kept.database };
}
