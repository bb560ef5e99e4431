import type { SqlSession } from './session.js';

/**
 * Replication facts a master user can read over SQL (no SUPER needed): the replica's status row, GTID
 * positions, waiting for a position, and a consistent snapshot with the binlog point it reads at.
 * MariaDB and MySQL 8 spell these differently; both are handled here, once.
 */

type Row = Record<string, unknown>;

export interface ReplicaStatus {
  secondsBehind: number | null;
  ioRunning?: string;
  sqlRunning?: string;
  lastError?: string;
}

/** SHOW REPLICA STATUS (MariaDB ≥ 10.5, MySQL ≥ 8.0.22), else the SLAVE spelling; undefined = not a replica. */
export async function replicaStatus(s: Pick<SqlSession, 'query'>): Promise<ReplicaStatus | undefined> {
  const [row] = await s.query<Row>('SHOW REPLICA STATUS').catch(() => s.query<Row>('SHOW SLAVE STATUS'));
  if (!row) return undefined;
  const v = row.Seconds_Behind_Master ?? row.Seconds_Behind_Source;
  const err = String(row.Last_SQL_Error || row.Last_IO_Error || '') || undefined;
  return {
    secondsBehind: v === null || v === undefined ? null : Number(v),
    ioRunning: String(row.Slave_IO_Running ?? row.Replica_IO_Running ?? ''),
    sqlRunning: String(row.Slave_SQL_Running ?? row.Replica_SQL_Running ?? ''),
    lastError: err,
  };
}

/** The GTID position a server has written (primary) or applied (replica). */
export async function gtidPosition(s: SqlSession, role: 'primary' | 'replica'): Promise<string> {
  const v = s.flavor === 'mysql8' ? '@@GLOBAL.gtid_executed' : role === 'primary' ? '@@GLOBAL.gtid_binlog_pos' : '@@GLOBAL.gtid_slave_pos';
  const [row] = await s.query<Row>(`SELECT ${v} AS pos`);
  return String(row?.pos ?? '').replace(/\s+/g, '');
}

/** Waits until the replica has applied `pos`; false on timeout. */
export async function waitForGtid(s: SqlSession, pos: string, timeoutSeconds: number): Promise<boolean> {
  if (!pos) return true;
  const sql = s.flavor === 'mysql8' ? 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS r' : 'SELECT MASTER_GTID_WAIT(?, ?) AS r';
  const [row] = await s.query<Row>(sql, [pos, timeoutSeconds]);
  // MASTER_GTID_WAIT: 0 reached, -1 timeout; WAIT_FOR_EXECUTED_GTID_SET: 0 reached, 1 timeout.
  return Number(row?.r) === 0;
}

/**
 * Opens a REPEATABLE READ consistent snapshot and returns the GTID position it reads at. MariaDB says
 * exactly where (binlog_snapshot_file/position, the binlog point of START TRANSACTION WITH CONSISTENT
 * SNAPSHOT, turned into a GTID by BINLOG_GTID_POS). MySQL has no such status: the position read inside
 * the transaction is at or after the snapshot, so a chunk changed in between compares unequal and is retried.
 */
export async function snapshotPosition(s: SqlSession, role: 'primary' | 'replica'): Promise<string> {
  await s.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  if (s.flavor === 'mariadb' && role === 'primary') {
    const rows = await s.query<{ Variable_name: string; Value: string }>("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'");
    const file = rows.find((r) => r.Variable_name.toLowerCase() === 'binlog_snapshot_file')?.Value;
    const pos = rows.find((r) => r.Variable_name.toLowerCase() === 'binlog_snapshot_position')?.Value;
    if (file && pos) {
      const [row] = await s.query<Row>('SELECT BINLOG_GTID_POS(?, ?) AS g', [file, Number(pos)]).catch(() => [] as Row[]);
      if (row?.g !== null && row?.g !== undefined) return String(row.g);
    }
  }
  return gtidPosition(s, role);
}
