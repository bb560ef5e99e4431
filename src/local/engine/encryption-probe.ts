import { randomBytes } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { withAdmin } from './admin.js';
import type { EncryptionProbe, MarkerHit } from '../../core/security/facts.js';
import type { InstancePaths } from './types.js';

export type DataFileKind = MarkerHit['kind'];

export function dataFileKind(file: string): DataFileKind {
  const base = file.split('/').pop() ?? file;
  if (/\.ibd$|^ibdata\d+$|^ibtmp\d+$|^undo\d+$/.test(base)) return 'innodb-tablespace';
  if (/^ib_logfile\d+$/.test(base)) return 'innodb-redo';
  if (/relay/.test(base)) return 'relay-log';
  if (/bin(log)?\.\d+$/.test(base)) return 'binlog';
  if (/^aria_log\.\d+$/.test(base)) return 'aria-log';
  if (/\.MA[DI]$/.test(base)) return 'aria-data';
  return 'other';
}

const CHUNK = 4 * 1024 * 1024;

/** Reads the file in chunks (overlapping by the needle's length): a multi-GB tablespace never sits in memory. */
async function fileContains(path: string, needle: Buffer): Promise<{ found: boolean; bytes: number }> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return { found: false, bytes: 0 };
  try {
    const buf = Buffer.alloc(CHUNK + needle.length);
    let carry = 0;
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, CHUNK, null);
      if (bytesRead === 0) return { found: false, bytes };
      bytes += bytesRead;
      const end = carry + bytesRead;
      if (buf.subarray(0, end).includes(needle)) return { found: true, bytes };
      carry = Math.min(needle.length - 1, end);
      buf.copy(buf, 0, end - carry, end);
    }
  } finally {
    await fh.close();
  }
}

/** Every regular file under dir (symlinks are not followed: the server could have planted one). */
export async function grepTree(dir: string, needle: string): Promise<{ files: number; bytes: number; hits: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const want = Buffer.from(needle);
  let files = 0;
  let bytes = 0;
  const hits: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    const r = await fileContains(p, want);
    files++;
    bytes += r.bytes;
    if (r.found) hits.push(relative(dir, p));
  }
  return { files, bytes, hits };
}

/**
 * Writes a random marker through the server into a scratch database the control plane owns
 * (`rdsctl_probe_<hex>`, never the user's schema; created and dropped here as the admin account),
 * into an InnoDB and an Aria table, forces it to disk (commit → redo and binlog; FLUSH TABLES … FOR
 * EXPORT → the .ibd pages; FLUSH TABLES → the Aria files), then greps every file of the datadir.
 */
export async function probeEncryptionAtRest(paths: InstancePaths, opts: { replica: boolean }): Promise<EncryptionProbe> {
  const marker = `rdsctl-probe-${randomBytes(12).toString('hex')}`;
  const db = `rdsctl_probe_${randomBytes(6).toString('hex')}`;
  const facts = await withAdmin(paths, async (c) => {
    if (opts.replica) await c.query('SET SESSION sql_log_bin = 0');
    await c.query(`CREATE DATABASE \`${db}\``);
    try {
      await c.query(`CREATE TABLE \`${db}\`.m_innodb (id INT PRIMARY KEY, v VARCHAR(80)) ENGINE=InnoDB`);
      await c.query(`CREATE TABLE \`${db}\`.m_aria (id INT PRIMARY KEY, v VARCHAR(80)) ENGINE=Aria`);
      await c.query(`INSERT INTO \`${db}\`.m_innodb VALUES (1, ?)`, [marker]);
      await c.query(`INSERT INTO \`${db}\`.m_aria VALUES (1, ?)`, [marker]);
      await c.query(`FLUSH TABLES \`${db}\`.m_innodb FOR EXPORT`);
      await c.query('UNLOCK TABLES');
      await c.query(`FLUSH TABLES \`${db}\`.m_aria`);
      const found = await grepTree(paths.datadir, marker);
      const [enc] = await c.query<RowDataPacket[]>(
        'SELECT COALESCE(SUM(ENCRYPTION_SCHEME = 0), 0) AS clear FROM information_schema.INNODB_TABLESPACES_ENCRYPTION');
      const [aria] = await c.query<RowDataPacket[]>(
        `SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS t FROM information_schema.TABLES WHERE ENGINE = 'Aria'
          AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys', ?) ORDER BY 1`, [db]);
      return { found, clear: Number(enc[0]?.clear ?? 0), aria: aria.map((r) => String(r.t)) };
    } finally {
      await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
    }
  });
  return {
    marker,
    filesScanned: facts.found.files,
    bytesScanned: facts.found.bytes,
    hits: facts.found.hits.map((file) => ({ file, kind: dataFileKind(file) })),
    binlogged: !opts.replica,
    unencryptedTablespaces: facts.clear,
    userAriaTables: facts.aria,
  };
}
