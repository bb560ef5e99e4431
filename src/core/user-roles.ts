/**
 * Least-privilege database users: what each role may do, as ONE table of GRANT statements.
 *
 * How the account is substituted: every statement that names the account carries exactly one `?@?`,
 * bound with [user, host] (mysql2 `query(sql, accountParams(sql, user, host))` quotes both as strings,
 * which MariaDB and MySQL accept as account names). Statements without `?@?` (the reporting marker role)
 * take no parameters. The database is validated (databaseProblem) and backtick-quoted here, so it is
 * never bound. Run the statements in order, after `CREATE USER` (users create) or the IAM user's create.
 *
 * Why `reporting` is "replicas only" through a marker role: the user must live on the primary (replicas
 * are read_only and the master user has neither SUPER nor READ ONLY ADMIN, so it cannot write there), and
 * the primary's binlog carries it to every replica, present and future (a new replica is a copy of the
 * primary, so scale-replicas needs to do nothing). What differs between the servers is read_only: the
 * server's init_connect (REPLICA_ONLY_INIT_CONNECT) refuses, on a writable server, any account that holds
 * the marker role (1184, "init_connect command failed"). The master user gets the role WITH ADMIN OPTION
 * when it creates it, which the check skips (IS_GRANTABLE = 'NO' is a plain grant).
 */
export const USER_ROLES = ['app', 'readonly', 'reporting', 'migrations'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The marker role of accounts that may connect to read replicas only. */
export const REPLICA_ONLY_ROLE = 'rdsctl_replica_only';

interface RoleDef {
  /** Privileges on the app schema (`<database>`.*). */
  privileges: string[];
  /** Connects to read replicas only (refused on a writable server). */
  replicaOnly: boolean;
  summary: string;
}

export const ROLE_TABLE: Record<UserRole, RoleDef> = {
  // DML and stored routines; no DDL, so a compromised application cannot drop or alter its tables.
  app: { privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'EXECUTE'], replicaOnly: false, summary: 'DML (SELECT, INSERT, UPDATE, DELETE, EXECUTE) on the schema' },
  readonly: { privileges: ['SELECT'], replicaOnly: false, summary: 'SELECT on the schema' },
  reporting: { privileges: ['SELECT', 'SHOW VIEW'], replicaOnly: true, summary: 'SELECT, SHOW VIEW on the schema; read replicas only' },
  // DDL plus the DML a migration tool needs for its history table and backfills; nothing outside the schema,
  // no GRANT OPTION, no CREATE USER.
  migrations: {
    privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'ALTER', 'DROP', 'INDEX', 'REFERENCES', 'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE', 'ALTER ROUTINE', 'TRIGGER', 'LOCK TABLES'],
    replicaOnly: false,
    summary: 'DDL (CREATE, ALTER, DROP, INDEX, REFERENCES, views, routines, triggers) and DML on the schema',
  },
};

export const isUserRole = (s: string): s is UserRole => (USER_ROLES as readonly string[]).includes(s);

/** The GRANT statements for one user of `role` on `database` (see the header for the `?@?` binding). */
export function roleGrants(role: UserRole, database: string): string[] {
  const problem = databaseProblem(database);
  if (problem) throw new Error(`database "${database}" ${problem}`);
  const def = ROLE_TABLE[role];
  const grant = `GRANT ${def.privileges.join(', ')} ON \`${database}\`.* TO ?@?`;
  if (!def.replicaOnly) return [grant];
  return [`CREATE ROLE IF NOT EXISTS ${REPLICA_ONLY_ROLE}`, grant, `GRANT ${REPLICA_ONLY_ROLE} TO ?@?`];
}

/** The parameters of one statement of roleGrants: [user, host] when it names the account, else none. */
export function accountParams(sql: string, user: string, host: string): string[] {
  return sql.includes('?@?') ? [user, host] : [];
}

/**
 * The server setting that enforces `replicaOnly` (rendered into the local nodes' my.cnf; on --target aws it
 * goes in the instance's DB parameter group, docs/SECURITY.md). A storage-full primary is read_only too:
 * reporting users are then let in until storage is raised.
 */
export const REPLICA_ONLY_INIT_CONNECT = `IF @@read_only = 0 AND EXISTS (SELECT 1 FROM information_schema.APPLICABLE_ROLES WHERE ROLE_NAME = '${REPLICA_ONLY_ROLE}' AND IS_GRANTABLE = 'NO') THEN SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = 'This user connects to read replicas only'; END IF`;

/** Accounts rdsctl or RDS keep for themselves: refused as user names (compared lowercase). */
const RESERVED = ['root', 'rdsadmin', 'rdsrepladmin', 'rdsproxyadmin', 'mysql', 'mariadb.sys', 'mysql.sys', 'mysql.session', 'mysql.infoschema', 'public', 'none', REPLICA_ONLY_ROLE];

/** Why `name` cannot be a database user (undefined: it can). `master` is the instance's master user. */
export function userNameProblem(name: string, master?: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(name)) return 'must be 1–32 letters, digits or underscores, starting with a letter';
  const lower = name.toLowerCase();
  if (RESERVED.includes(lower) || lower.startsWith('rdsrepl_') || lower.startsWith('rdsctl_')) return 'is reserved (an account RDS or rdsctl keeps for itself)';
  if (master !== undefined && lower === master.toLowerCase()) return 'is the master user';
  return undefined;
}

/** Why `name` cannot be the app schema (undefined: it can); system schemas are refused. */
export function databaseProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(name)) return 'must be 1–64 letters, digits, _ or $';
  if (['mysql', 'information_schema', 'performance_schema', 'sys'].includes(name.toLowerCase())) return 'is a system schema';
  return undefined;
}
