import { userInfo } from 'node:os';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { InstancePaths, MasterUser } from './types.js';
import { nativePasswordHash } from '../../db/password-hash.js';

export { nativePasswordHash };

/**
 * The MariaDB account admin work runs as, over the Unix socket with unix_socket auth (no password
 * anywhere): root when we are OS root, otherwise the account mariadb-install-db created for our
 * OS user via --auth-root-socket-user.
 */
export function adminUser(): string {
  return process.getuid?.() === 0 ? 'root' : userInfo().username;
}

export async function adminConnect(paths: InstancePaths, connectTimeout = 10_000): Promise<Connection> {
  const mysql = await import('mysql2/promise');
  return mysql.createConnection({
    socketPath: paths.socket,
    user: adminUser(),
    connectTimeout,
    multipleStatements: false,
    // unix_socket sends no auth data; mysql2 has no built-in handler for it on auth switch.
    authPlugins: { unix_socket: () => () => Buffer.alloc(0) },
  });
}

export async function withAdmin<T>(paths: InstancePaths, fn: (c: Connection) => Promise<T>): Promise<T> {
  const conn = await adminConnect(paths);
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

/**
 * One try: 'up' when the server accepts an admin connection and answers a ping, 'refused' when it
 * answers but rejects the admin account (someone with CREATE USER renamed or re-authenticated
 * root@localhost, see docs/SECURITY.md), 'down' otherwise (not listening yet).
 */
export async function pingOnce(paths: InstancePaths): Promise<'up' | 'down' | 'refused'> {
  try {
    const conn = await adminConnect(paths, 2_000);
    await conn.ping();
    await conn.end().catch(() => conn.destroy());
    return 'up';
  } catch (e) {
    const errno = (e as { errno?: number }).errno;
    return errno === 1045 || errno === 1698 ? 'refused' : 'down';
  }
}

/**
 * The RDS for MariaDB master user's privileges (AWS "Master user account privileges"), split the way
 * MariaDB needs: it has no partial revokes, and any write privilege ON *.* includes the mysql schema —
 * UPDATE mysql.global_priv + FLUSH PRIVILEGES would give the master user SUPER and FILE back. So the
 * server-wide ones are global, the per-object ones go on every database (`%`), and the mysql schema
 * gets its own, more specific row with SELECT only (MariaDB uses the most specific database row, so
 * `%` never applies to mysql). No SUPER, FILE, SHUTDOWN, READ ONLY ADMIN, no INSERT on mysql.plugin
 * (INSTALL SONAME is refused), no write to the grant tables.
 * SLAVE MONITOR (read-only): RDS's list says REPLICATION CLIENT, which MariaDB 10.5.9+ split off from
 * SHOW SLAVE STATUS; without it the master user could not read its own replica's lag.
 */
export const MASTER_GLOBAL_PRIVILEGES = ['RELOAD', 'PROCESS', 'SHOW DATABASES', 'REPLICATION SLAVE', 'REPLICATION CLIENT', 'SLAVE MONITOR', 'CREATE USER'];
export const MASTER_DATABASE_PRIVILEGES = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'REFERENCES', 'INDEX', 'ALTER',
  'CREATE TEMPORARY TABLES', 'LOCK TABLES', 'EXECUTE', 'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE',
  'ALTER ROUTINE', 'EVENT', 'TRIGGER',
];
/** As on RDS: killing other users' sessions goes through these (KILL itself needs CONNECTION ADMIN). */
const KILL_PROCEDURES = [
  ['rds_kill', 'KILL CONNECTION thread'],
  ['rds_kill_query', 'KILL QUERY thread'],
] as const;

/**
 * Values go through placeholders, and only the password's hash is sent, so the clear text never
 * reaches the server's binlog, processlist or logs.
 */
export async function createMasterUser(conn: Connection, master: MasterUser): Promise<void> {
  await conn.query('CREATE USER ?@? IDENTIFIED BY PASSWORD ?', [master.username, '%', nativePasswordHash(master.password)]);
  await grantMasterPrivileges(conn, master.username);
}

/** Additive and idempotent: restores whatever the master user lost (RDS does that on a password reset). */
export async function grantMasterPrivileges(conn: Connection, username: string): Promise<void> {
  await conn.query(`GRANT ${MASTER_GLOBAL_PRIVILEGES.join(', ')} ON *.* TO ?@? WITH GRANT OPTION`, [username, '%']);
  await conn.query(`GRANT ${MASTER_DATABASE_PRIVILEGES.join(', ')} ON \`%\`.* TO ?@? WITH GRANT OPTION`, [username, '%']);
  await conn.query('GRANT SELECT ON mysql.* TO ?@?', [username, '%']);
  for (const [name, body] of KILL_PROCEDURES) {
    await conn.query(`CREATE PROCEDURE IF NOT EXISTS mysql.${name}(IN thread BIGINT UNSIGNED) SQL SECURITY DEFINER ${body}`);
    await conn.query(`GRANT EXECUTE ON PROCEDURE mysql.${name} TO ?@?`, [username, '%']);
  }
}

/** Global privileges beyond the master set, from SHOW GRANTS (e.g. an earlier rdsctl's ALL ON *.*). */
export function excessGlobalPrivileges(grantLines: string[]): string[] {
  // 10.5+ shows REPLICATION CLIENT under its new name.
  const allowed = new Set(['USAGE', 'BINLOG MONITOR', ...MASTER_GLOBAL_PRIVILEGES]);
  const global = grantLines.map((l) => /^GRANT (.+?) ON \*\.\* TO /.exec(l)?.[1]).find((p) => p !== undefined);
  if (!global) return [];
  return global.split(', ').map((p) => p.trim()).filter((p) => !allowed.has(p));
}

/**
 * Start-path migration: an instance created by an earlier version gave its master user ALL ON *.* minus
 * four. Replace that with the master set. Each node does it itself, unlogged (replicas run it too;
 * a binlogged grant would break gtid_strict_mode on them).
 */
export async function migrateMasterPrivileges(conn: Connection, username: string): Promise<string[]> {
  const [exists] = await conn.query<RowDataPacket[]>('SELECT 1 FROM mysql.global_priv WHERE User = ? AND Host = ?', [username, '%']);
  if (exists.length === 0) return [];
  const [rows] = await conn.query<RowDataPacket[]>('SHOW GRANTS FOR ?@?', [username, '%']);
  const excess = excessGlobalPrivileges(rows.map((r) => String(Object.values(r)[0])));
  if (excess.length === 0) return [];
  await conn.query('SET SESSION sql_log_bin=0');
  try {
    await conn.query('REVOKE ALL PRIVILEGES ON *.* FROM ?@?', [username, '%']);
    await conn.query('REVOKE GRANT OPTION ON *.* FROM ?@?', [username, '%']);
    await grantMasterPrivileges(conn, username);
  } finally {
    await conn.query('SET SESSION sql_log_bin=1');
  }
  return excess;
}

/**
 * On a primary the change is binlogged, so its replicas follow (as on RDS). It also restores the
 * master user's privileges, as a password reset does on RDS. On a replica it must not
 * be: a local GTID would break gtid_strict_mode replication later.
 */
export async function alterMasterPassword(conn: Connection, master: MasterUser): Promise<void> {
  const [replicaOf] = await conn.query<RowDataPacket[]>('SHOW ALL SLAVES STATUS');
  if (replicaOf.length > 0) await conn.query('SET SESSION sql_log_bin=0');
  await conn.query('ALTER USER ?@? IDENTIFIED BY PASSWORD ?', [master.username, '%', nativePasswordHash(master.password)]);
  await grantMasterPrivileges(conn, master.username);
}

export async function setGlobalReadOnly(conn: Connection, readOnly: boolean): Promise<void> {
  await conn.query(`SET GLOBAL read_only = ${readOnly ? 'ON' : 'OFF'}`);
}
