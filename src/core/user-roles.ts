/**
 * MINIMAL stand-in for the wt-users helper's src/core/user-roles.ts (same signature and placeholder, so
 * the coordinator keeps theirs when folding): the GRANT statements of a least-privilege role on one
 * schema. Every statement that names the account carries exactly one `?@?`, bound with [user, host]
 * (mysql2 quotes both), see accountParams. Pure.
 */
export const USER_ROLES = ['app', 'readonly', 'reporting', 'migrations'] as const;
export type UserRole = (typeof USER_ROLES)[number];

const PRIVILEGES: Record<UserRole, string[]> = {
  app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'EXECUTE'],
  readonly: ['SELECT'],
  reporting: ['SELECT', 'SHOW VIEW'],
  migrations: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'ALTER', 'DROP', 'INDEX', 'REFERENCES', 'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE', 'ALTER ROUTINE', 'TRIGGER', 'LOCK TABLES'],
};

export const isUserRole = (s: string): s is UserRole => (USER_ROLES as readonly string[]).includes(s);

/** Why `name` cannot be a schema name here (undefined: it can): letters, digits, `_` and `$`, ≤ 64. */
export function databaseProblem(name: string): string | undefined {
  return /^[A-Za-z0-9_$]{1,64}$/.test(name) ? undefined : 'must be 1–64 letters, digits, _ or $';
}

/** The GRANT statements for one user of `role` on `database` (`?@?` = the account). */
export function roleGrants(role: UserRole, database: string): string[] {
  const problem = databaseProblem(database);
  if (problem) throw new Error(`database "${database}" ${problem}`);
  return [`GRANT ${PRIVILEGES[role].join(', ')} ON \`${database}\`.* TO ?@?`];
}

/** The parameters of one statement of roleGrants: [user, host] when it names the account, else none. */
export function accountParams(sql: string, user: string, host: string): string[] {
  return sql.includes('?@?') ? [user, host] : [];
}
