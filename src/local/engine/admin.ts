import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { InstancePaths, MasterUser } from './types.js';

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

/** One try: true when the server accepts an admin connection and answers a ping. */
export async function pingOnce(paths: InstancePaths): Promise<boolean> {
  try {
    const conn = await adminConnect(paths, 2_000);
    await conn.ping();
    await conn.end().catch(() => conn.destroy());
    return true;
  } catch {
    return false;
  }
}

/**
 * The master user gets ALL minus what the RDS master user lacks too, because mariadbd runs as our OS
 * user (often root): FILE (LOAD_FILE / INTO OUTFILE read and write host files), SUPER (e.g.
 * general_log_file pointed anywhere = arbitrary file write), SHUTDOWN, and READ ONLY ADMIN (so
 * `read_only=ON` for storage-full and replicas really stops its writes).
 * Values go through placeholders, and only the password's hash is sent, so the clear text never
 * reaches the server's binlog, processlist or logs.
 */
export async function createMasterUser(conn: Connection, master: MasterUser): Promise<void> {
  await conn.query('CREATE USER ?@? IDENTIFIED BY PASSWORD ?', [master.username, '%', nativePasswordHash(master.password)]);
  await conn.query('GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION', [master.username, '%']);
  await conn.query('REVOKE SUPER, FILE, SHUTDOWN, READ_ONLY ADMIN ON *.* FROM ?@?', [master.username, '%']);
}

/**
 * On a primary the change is binlogged, so its replicas follow (as on RDS). On a replica it must not
 * be: a local GTID would break gtid_strict_mode replication later.
 */
export async function alterMasterPassword(conn: Connection, master: MasterUser): Promise<void> {
  const [replicaOf] = await conn.query<RowDataPacket[]>('SHOW ALL SLAVES STATUS');
  if (replicaOf.length > 0) await conn.query('SET SESSION sql_log_bin=0');
  await conn.query('ALTER USER ?@? IDENTIFIED BY PASSWORD ?', [master.username, '%', nativePasswordHash(master.password)]);
}

export async function setGlobalReadOnly(conn: Connection, readOnly: boolean): Promise<void> {
  await conn.query(`SET GLOBAL read_only = ${readOnly ? 'ON' : 'OFF'}`);
}

/** mysql_native_password's stored form: '*' + HEX(SHA1(SHA1(password))), as PASSWORD() computes it. */
export function nativePasswordHash(password: string): string {
  const once = createHash('sha1').update(password, 'utf8').digest();
  return '*' + createHash('sha1').update(once).digest('hex').toUpperCase();
}
