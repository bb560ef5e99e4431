import type { Connection, RowDataPacket } from 'mysql2/promise';
import { nativePasswordHash, withAdmin } from './admin.js';
import type { InstancePaths } from './types.js';

/**
 * GTID replication between two nodes of the home, done as root over each node's socket
 * (mariadb-engine.md, "Read replica"). Every write here on a node that replicates runs with
 * sql_log_bin=0: a local GTID would break gtid_strict_mode replication later.
 */

export interface ReplicationUser {
  username: string;
  password: string;
}

/** How a replica reaches its source: TCP on 127.0.0.1, TLS verified against the home CA. */
export interface SourceLink {
  port: number;
  caFile: string;
  user: ReplicationUser;
  /** Seconds between reconnection attempts (MASTER_CONNECT_RETRY). */
  connectRetry: number;
}

/** The source's side: a user that may only replicate, only over TLS, only from this host. Idempotent. */
export async function createReplicationUser(source: InstancePaths, user: ReplicationUser): Promise<void> {
  await withAdmin(source, async (c) => {
    await unlogged(c, async () => {
      await c.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY PASSWORD ? REQUIRE SSL', [user.username, '127.0.0.1', nativePasswordHash(user.password)]);
      await c.query('ALTER USER ?@? IDENTIFIED BY PASSWORD ? REQUIRE SSL', [user.username, '127.0.0.1', nativePasswordHash(user.password)]);
      await c.query('GRANT REPLICATION SLAVE ON *.* TO ?@?', [user.username, '127.0.0.1']);
    });
  });
}

export async function dropReplicationUser(source: InstancePaths, username: string): Promise<void> {
  await withAdmin(source, (c) => unlogged(c, async () => {
    await c.query('DROP USER IF EXISTS ?@?', [username, '127.0.0.1']);
  }));
}

/** The replica's side: position from the copy, then CHANGE MASTER over verified TLS, then START SLAVE. */
export async function configureReplica(replica: InstancePaths, link: SourceLink, gtid: string): Promise<void> {
  await withAdmin(replica, (c) => unlogged(c, async () => {
    await c.query('STOP SLAVE');
    await c.query('RESET SLAVE ALL');
    await c.query('SET GLOBAL gtid_slave_pos = ?', [gtid]);
    // mysql2 interpolates the values client-side (CHANGE MASTER takes no server-side placeholders).
    await c.query(
      'CHANGE MASTER TO MASTER_HOST=?, MASTER_PORT=?, MASTER_USER=?, MASTER_PASSWORD=?, MASTER_USE_GTID=slave_pos, '
      + `MASTER_CONNECT_RETRY=${Math.max(1, Math.floor(link.connectRetry))}, MASTER_SSL=1, MASTER_SSL_CA=?, MASTER_SSL_VERIFY_SERVER_CERT=1`,
      ['127.0.0.1', link.port, link.user.username, link.user.password, link.caFile],
    );
    await c.query('START SLAVE');
  }));
}

export async function startReplication(replica: InstancePaths): Promise<void> {
  await withAdmin(replica, async (c) => {
    await c.query('START SLAVE');
  });
}

/** PromoteReadReplica's engine half: replication stopped and forgotten, the node writable. */
export async function detachReplica(replica: InstancePaths): Promise<void> {
  await withAdmin(replica, async (c) => {
    await c.query('STOP SLAVE');
    await c.query('RESET SLAVE ALL');
    await c.query('SET GLOBAL read_only = OFF');
  });
}

/** One row of SHOW ALL SLAVES STATUS, the fields the control plane reads, plus the applied position. */
export interface ReplicaStatus {
  configured: boolean;
  ioRunning: string; // Yes | No | Connecting
  sqlRunning: string; // Yes | No
  secondsBehind: number | null;
  lastIoError: string;
  lastSqlError: string;
  gtidSlavePos: string;
}

export async function replicaStatus(replica: InstancePaths): Promise<ReplicaStatus> {
  return withAdmin(replica, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>('SHOW ALL SLAVES STATUS');
    const [pos] = await c.query<RowDataPacket[]>('SELECT @@GLOBAL.gtid_slave_pos AS p');
    const r = rows[0];
    const gtidSlavePos = String(pos[0]?.p ?? '');
    if (!r) return { configured: false, ioRunning: 'No', sqlRunning: 'No', secondsBehind: null, lastIoError: '', lastSqlError: '', gtidSlavePos };
    return {
      configured: true,
      ioRunning: String(r.Slave_IO_Running),
      sqlRunning: String(r.Slave_SQL_Running),
      secondsBehind: r.Seconds_Behind_Master === null ? null : Number(r.Seconds_Behind_Master),
      lastIoError: String(r.Last_IO_Error ?? ''),
      lastSqlError: String(r.Last_SQL_Error ?? ''),
      gtidSlavePos,
    };
  });
}

/** The source's binlogged position (what a caught-up replica has applied). */
export async function binlogPosition(source: InstancePaths): Promise<string> {
  return withAdmin(source, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>('SELECT @@GLOBAL.gtid_binlog_pos AS p');
    return String(rows[0]?.p ?? '');
  });
}

async function unlogged<T>(c: Connection, fn: () => Promise<T>): Promise<T> {
  await c.query('SET SESSION sql_log_bin=0');
  try {
    return await fn();
  } finally {
    await c.query('SET SESSION sql_log_bin=1').catch(() => undefined);
  }
}
