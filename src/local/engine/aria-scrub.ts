import type { Connection, RowDataPacket } from 'mysql2/promise';
import { sleep } from './process.js';

/**
 * Why: aria_encrypt_tables encrypts Aria data files but NOT the Aria redo log (aria_log.*), and the
 * privilege tables (mysql.global_priv …) are Aria. Every CREATE/ALTER USER therefore leaves the account
 * row, password hash included, in plaintext in aria_log until that log file is purged.
 * Deleting the logs after a clean shutdown does not work with encrypted Aria tables (the "moved table"
 * zerofill cannot decrypt mysql.proc). What does work: push the log past a file boundary with throwaway
 * (unlogged-to-binlog) Aria writes, then make a checkpoint purge the files no longer needed.
 * With aria_log_file_size=8M that is ≤ 8 MiB of writes and ~1–2 s.
 */
const SCRUB_DB = 'rdsctl_aria_scrub';
const MAX_MIB = 24;

export interface ScrubResult {
  scrubbed: boolean;
  logFiles: string[];
}

export async function ariaLogFiles(conn: Connection): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>('SHOW ENGINE ARIA LOGS');
  return rows.map((r) => String(r.Name).replace(/^.*;\s*/, ''));
}

export async function scrubAriaLog(conn: Connection): Promise<ScrubResult> {
  const before = await ariaLogFiles(conn);
  const last = before[before.length - 1];
  await conn.query('SET SESSION sql_log_bin=0'); // replicas and PITR must never see the filler
  await conn.query(`CREATE DATABASE IF NOT EXISTS ${SCRUB_DB}`);
  try {
    await conn.query(`CREATE TABLE ${SCRUB_DB}.filler (b LONGBLOB) ENGINE=Aria TRANSACTIONAL=1`);
    for (let i = 0; i < MAX_MIB; i++) {
      await conn.query(`INSERT INTO ${SCRUB_DB}.filler VALUES (REPEAT('0', 1048576))`);
      const now = await ariaLogFiles(conn);
      if (now[now.length - 1] !== last) break;
    }
  } finally {
    await conn.query(`DROP DATABASE IF EXISTS ${SCRUB_DB}`);
    await conn.query('SET SESSION sql_log_bin=1');
  }
  return { scrubbed: await checkpointPurge(conn), logFiles: await ariaLogFiles(conn) };
}

/** A checkpoint purges log files no longer needed; a 1 s interval makes one happen now. */
async function checkpointPurge(conn: Connection): Promise<boolean> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT @@GLOBAL.aria_checkpoint_interval AS i');
  const original = Number(rows[0].i);
  await conn.query('FLUSH NO_WRITE_TO_BINLOG TABLES'); // never a local GTID on a replica (gtid_strict_mode)
  await conn.query('SET GLOBAL aria_checkpoint_interval = 1');
  try {
    for (let i = 0; i < 50; i++) {
      if ((await ariaLogFiles(conn)).length === 1) return true;
      await sleep(100);
    }
    return false;
  } finally {
    await conn.query('SET GLOBAL aria_checkpoint_interval = ?', [original]);
  }
}

/** Only encrypted instances need it: on others the Aria data files are plaintext anyway. */
export async function ariaEncrypted(conn: Connection): Promise<boolean> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT @@GLOBAL.aria_encrypt_tables AS e');
  return Number(rows[0].e) === 1;
}
