import { describe, expect, it } from 'vitest';
import { REPLICA_ONLY_INIT_CONNECT, USER_ROLES, accountParams, databaseProblem, roleGrants, userNameProblem } from '../../src/core/user-roles.js';

describe('roleGrants: one table of GRANT statements per role', () => {
  it('gives each role its privileges on the named schema only, the account as ?@?', () => {
    expect(roleGrants('app', 'shop')).toEqual(['GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON `shop`.* TO ?@?']);
    expect(roleGrants('readonly', 'shop')).toEqual(['GRANT SELECT ON `shop`.* TO ?@?']);
    expect(roleGrants('reporting', 'shop')).toEqual([
      'CREATE ROLE IF NOT EXISTS rdsctl_replica_only', 'GRANT SELECT, SHOW VIEW ON `shop`.* TO ?@?', 'GRANT rdsctl_replica_only TO ?@?',
    ]);
    const mig = roleGrants('migrations', 'shop');
    expect(mig).toHaveLength(1);
    for (const p of ['CREATE', 'ALTER', 'DROP', 'INDEX', 'REFERENCES', 'CREATE VIEW']) expect(mig[0]).toContain(`${p},`);
    for (const role of USER_ROLES) {
      for (const sql of roleGrants(role, 'shop')) {
        expect(sql).not.toMatch(/\*\.\*|GRANT OPTION|ALL PRIVILEGES|SUPER|CREATE USER/);
        expect(accountParams(sql, 'u', '%')).toEqual(sql.includes('?@?') ? ['u', '%'] : []);
      }
    }
  });

  it('refuses a schema that could break out of the quoting or is a system schema', () => {
    expect(() => roleGrants('app', 'shop`.* TO x; --')).toThrow(/must be/);
    expect(databaseProblem('mysql')).toBe('is a system schema');
    expect(databaseProblem('shop_2')).toBeUndefined();
  });

  it('reserves the accounts RDS and rdsctl keep, and the master user', () => {
    for (const n of ['root', 'RDSADMIN', 'rdsrepl_shop', 'rdsctl_replica_only', 'mysql']) expect(userNameProblem(n)).toMatch(/reserved/);
    expect(userNameProblem('Admin', 'admin')).toBe('is the master user');
    expect(userNameProblem('app-rw')).toMatch(/must be/);
    expect(userNameProblem('a'.repeat(33))).toMatch(/must be/);
    expect(userNameProblem('app_rw', 'admin')).toBeUndefined();
  });

  it('the replicas-only rule refuses only plain holders of the marker role on a writable server', () => {
    expect(REPLICA_ONLY_INIT_CONNECT).toMatch(/^IF @@read_only = 0 AND EXISTS \(SELECT 1 FROM information_schema\.APPLICABLE_ROLES WHERE ROLE_NAME = 'rdsctl_replica_only' AND IS_GRANTABLE = 'NO'\) THEN SIGNAL/);
    expect(REPLICA_ONLY_INIT_CONNECT).not.toContain('"'); // it sits in double quotes in my.cnf
  });
});
