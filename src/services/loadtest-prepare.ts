import { conflictError } from '../core/errors.js';
import { expectedRows, insertChunks } from '../loadtest/data.js';
import { createTableSql, dropTableSql, ident, META_TABLE, TABLE_NAMES } from '../loadtest/schema.js';
import type { Session } from '../loadtest/runner.js';

export interface PrepareRequest { scale: number; drop: boolean; database: string; label: string; connections?: number }
export interface PrepareResult {
  database: string; scale: number;
  /** false: the data was already there at this scale (prepare is idempotent). */
  loaded: boolean; dropped: boolean; rows: Record<string, number>; seconds: number;
}
/** Rows loaded so far, of how many (the progress bar). */
export type LoadProgress = (done: number, total: number) => void;

type Open = () => Promise<Session>;
interface Meta { scale: number; complete: number }

async function readMeta(s: Session, database: string): Promise<{ meta?: Meta; ours: string[] }> {
  const tables = (await s.exec('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ?', [database])).map((r) => String(r.t));
  const ours = tables.filter((t) => t === META_TABLE || TABLE_NAMES.includes(t));
  if (!tables.includes(META_TABLE)) return { ours };
  const [meta] = await s.exec(`SELECT scale, complete FROM ${ident(database)}.${META_TABLE} WHERE id = 1`);
  return { ours, meta: meta ? { scale: Number(meta.scale), complete: Number(meta.complete) } : undefined };
}

/** Creates and fills the store schema; a complete load at the same scale is left as it is. */
export async function prepareStore(open: Open, req: PrepareRequest, progress: LoadProgress): Promise<PrepareResult> {
  const started = Date.now();
  const db = ident(req.database);
  const admin = await open();
  try {
    await admin.exec(`CREATE DATABASE IF NOT EXISTS ${db} DEFAULT CHARACTER SET utf8mb4`);
    const { meta, ours } = await readMeta(admin, req.database);
    const rows = expectedRows(req.scale);
    if (!req.drop && meta?.complete && meta.scale === req.scale) {
      return { database: req.database, scale: req.scale, loaded: false, dropped: false, rows, seconds: 0 };
    }
    // An interrupted prepare (meta says incomplete) is ours to redo; anything else needs --drop.
    const redo = meta !== undefined && !meta.complete;
    if (ours.length && !req.drop && !redo) {
      throw conflictError(meta ? 'LOADTEST_SCALE_MISMATCH' : 'LOADTEST_TABLES_EXIST',
        meta ? `${req.database} on ${req.label} is already prepared at --scale ${meta.scale}, not ${req.scale}.`
          : `${req.database} on ${req.label} already has tables named like the store's (${ours.slice(0, 3).join(', ')}) that rdsctl did not create.`,
        { hint: meta ? `Use --scale ${meta.scale}, or rebuild with --drop (deletes the load-test data).` : 'Use another --database, or --drop to replace them.' });
    }
    await admin.exec(`USE ${db}`);
    for (const sql of dropTableSql()) await admin.exec(sql);
    for (const sql of createTableSql()) await admin.exec(sql);
    await admin.exec(`INSERT INTO ${META_TABLE} (id, scale, complete, prepared_at) VALUES (1, ?, 0, NOW())`, [req.scale]);
    await load(open, req, Object.values(rows).reduce((a, b) => a + b, 0), progress);
    await admin.exec(`ANALYZE TABLE ${TABLE_NAMES.map(ident).join(', ')}`);
    await admin.exec(`UPDATE ${META_TABLE} SET complete = 1 WHERE id = 1`);
    return { database: req.database, scale: req.scale, loaded: true, dropped: ours.length > 0, rows, seconds: (Date.now() - started) / 1000 };
  } finally {
    await admin.close();
  }
}

/**
 * Several connections pull multi-row INSERTs from one queue. Foreign-key and unique checks are off in
 * these sessions only (as mysqldump does): the generated rows satisfy them, and tables load in parallel.
 */
async function load(open: Open, req: PrepareRequest, total: number, progress: LoadProgress): Promise<void> {
  const chunks = (function* () { for (const t of TABLE_NAMES) yield* insertChunks(t, req.scale); })();
  let done = 0;
  progress(0, total);
  const worker = async () => {
    const s = await open();
    try {
      await s.exec(`USE ${ident(req.database)}`);
      await s.exec('SET SESSION foreign_key_checks = 0, unique_checks = 0');
      for (let c = chunks.next(); !c.done; c = chunks.next()) {
        await execRetryingDeadlocks(s, c.value.sql);
        progress((done += c.value.rows), total);
      }
    } finally {
      await s.close();
    }
  };
  await Promise.all(Array.from({ length: req.connections ?? 4 }, worker));
}

/**
 * Parallel multi-row INSERTs into one table can deadlock on InnoDB's auto-increment and gap locks (seen
 * in CI: 1213 at 50 of 25,050 rows). An autocommit INSERT that lost a deadlock (1213) or a lock wait
 * (1205) was rolled back whole, so sending it again loads each row exactly once.
 */
async function execRetryingDeadlocks(s: Session, sql: string, attempts = 5): Promise<void> {
  for (let k = 1; ; k++) {
    try {
      await s.exec(sql);
      return;
    } catch (err) {
      const errno = (err as { errno?: number }).errno;
      if (k >= attempts || (errno !== 1213 && errno !== 1205)) throw err;
      await new Promise((r) => setTimeout(r, 20 * k));
    }
  }
}

/** The prepared scale, or undefined when the store is missing or half-loaded. */
export async function preparedScale(s: Session, database: string): Promise<number | undefined> {
  const { meta } = await readMeta(s, database);
  return meta?.complete ? meta.scale : undefined;
}
