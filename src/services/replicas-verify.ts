import { checkFailedError } from '../core/errors.js';
import { boundaryQuery, checksumQuery, describeChunk, SYSTEM_SCHEMAS, type ChunkBounds, type TableSpec } from '../core/plans/checksum-plan.js';
import { gtidPosition, snapshotPosition, waitForGtid } from '../db/replication.js';
import { openSession, type DbTarget, type SqlSession } from '../db/session.js';
import type { Progress } from './progress.js';

export interface VerifyTargets {
  primary: DbTarget;
  replicas: Array<{ id: string; target: DbTarget }>;
  /** The source DB instance (instance form), so hints can name it. */
  sourceId?: string;
}

const lagHint = (t: VerifyTargets) =>
  `Look at its lag and replication state (${t.sourceId ? `\`rdsctl replicas ${t.sourceId}\`` : 'SHOW REPLICA STATUS on it'}), or raise --wait-timeout.`;

export interface VerifyOptions {
  chunkRows: number;
  /** Only these schemas (default: every non-system schema). */
  databases?: string[];
  waitTimeoutSeconds: number;
  /** Re-checks of a chunk that differs (rows may have changed between the two snapshots). */
  retries: number;
  onProgress: Progress;
}

export interface ChunkSum { rows: number; crc: string }
export interface ChunkDiff { table: string; chunk: number; range: string; primary: ChunkSum; replica: ChunkSum | 'missing' }
export interface ReplicaVerdict { id: string; label: string; caughtUp: boolean; differing: ChunkDiff[]; retried: number }
export interface VerifyReport {
  ok: boolean;
  /** The primary's GTID position every replica applied before the comparison. */
  position: string;
  tables: number;
  chunks: number;
  rows: number;
  replicas: ReplicaVerdict[];
  elapsedMs: number;
}

type Row = Record<string, unknown>;

/** Base tables with columns and primary key, from information_schema on the primary. */
async function tablesOf(s: SqlSession, databases?: string[]): Promise<TableSpec[]> {
  const schemas = databases?.length ? databases : undefined;
  const where = schemas ? `TABLE_SCHEMA IN (${schemas.map(() => '?').join(', ')})` : `TABLE_SCHEMA NOT IN (${SYSTEM_SCHEMAS.map(() => '?').join(', ')})`;
  const args = schemas ?? SYSTEM_SCHEMAS;
  const tables = await s.query<Row>(`SELECT TABLE_SCHEMA s, TABLE_NAME t FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND ${where} ORDER BY 1, 2`, args);
  const cols = await s.query<Row>(`SELECT TABLE_SCHEMA s, TABLE_NAME t, COLUMN_NAME c, IS_NULLABLE n, COLUMN_KEY k FROM information_schema.COLUMNS WHERE ${where} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`, args);
  const keys = await s.query<Row>(`SELECT TABLE_SCHEMA s, TABLE_NAME t, COLUMN_NAME c FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_NAME = 'PRIMARY' AND ${where} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`, args);
  return tables.map((t) => {
    const mine = (r: Row) => r.s === t.s && r.t === t.t;
    const c = cols.filter(mine);
    return {
      schema: String(t.s), table: String(t.t), columns: c.map((r) => String(r.c)),
      nullable: c.filter((r) => r.n === 'YES').map((r) => String(r.c)), key: keys.filter(mine).map((r) => String(r.c)),
    };
  });
}

async function checksum(s: SqlSession, t: TableSpec, b: ChunkBounds): Promise<ChunkSum | 'missing'> {
  const q = checksumQuery(t, b);
  try {
    const [row] = await s.query<Row>(q.sql, q.params);
    return { rows: Number(row?.cnt ?? 0), crc: String(row?.crc ?? '0') };
  } catch (err) {
    if ((err as { errno?: number }).errno === 1146) return 'missing';
    throw err;
  }
}

/** The chunk on the primary at a consistent snapshot, with the GTID position that snapshot reads at. */
async function onPrimary(primary: SqlSession, t: TableSpec, b: ChunkBounds): Promise<{ at: string; sum: ChunkSum }> {
  const at = await snapshotPosition(primary, 'primary');
  const sum = await checksum(primary, t, b).finally(() => primary.query('COMMIT'));
  return { at, sum: sum as ChunkSum };
}

/** The same chunk on a replica, at a snapshot taken once it has applied `at`. */
async function onReplica(replica: SqlSession, id: string, t: TableSpec, b: ChunkBounds, at: string, timeout: number, hint: string): Promise<ChunkSum | 'missing'> {
  if (!(await waitForGtid(replica, at, timeout))) {
    throw checkFailedError('REPLICA_NOT_CAUGHT_UP', `Replica ${id} did not apply the primary's position ${at} within ${timeout} s.`, { hint });
  }
  await snapshotPosition(replica, 'replica');
  return checksum(replica, t, b).finally(() => replica.query('COMMIT'));
}

const same = (p: ChunkSum, r: ChunkSum | 'missing') => r !== 'missing' && p.rows === r.rows && p.crc === r.crc;

/** Chunk bounds of a table, walking its primary key on the primary `chunkRows` rows at a time. */
async function* chunksOf(s: SqlSession, t: TableSpec, chunkRows: number): AsyncGenerator<ChunkBounds> {
  if (!t.key.length) { yield {}; return; }
  let lower: unknown[] | undefined;
  for (;;) {
    const q = boundaryQuery(t, chunkRows, lower);
    const [row] = await s.query<Row>(q.sql, q.params);
    if (!row) { yield { lower }; return; }
    const upper = t.key.map((k) => row[k]);
    yield { lower, upper };
    lower = upper;
  }
}

type Compared = { id: string; s: SqlSession; v: ReplicaVerdict };

/** One chunk on every replica against the primary's snapshot; a differing one is compared again. Returns the primary's rows. */
async function compareChunk(primary: SqlSession, replicas: Compared[], table: TableSpec, b: ChunkBounds, n: number, o: VerifyOptions, hint: string): Promise<number> {
  const first = await onPrimary(primary, table, b);
  const sums = await Promise.all(replicas.map((r) => onReplica(r.s, r.id, table, b, first.at, o.waitTimeoutSeconds, hint)));
  for (const [i, r] of replicas.entries()) {
    let p = first.sum;
    let got = sums[i]!;
    for (let k = 0; k < o.retries && !same(p, got); k++) {
      r.v.retried++;
      // A chunk the writes keep touching differs whenever the replica has applied past the primary's
      // snapshot before its own: a moment apart, a later pair of reads is more likely to land together.
      await new Promise((res) => setTimeout(res, 25 * (k + 1)));
      const again = await onPrimary(primary, table, b);
      p = again.sum;
      got = await onReplica(r.s, r.id, table, b, again.at, o.waitTimeoutSeconds, hint);
    }
    if (!same(p, got)) r.v.differing.push({ table: `${table.schema}.${table.table}`, chunk: n, range: describeChunk(table, b), primary: p, replica: got });
  }
  return first.sum.rows;
}

/**
 * Consistency at one point, without locking the primary: wait until every replica has applied the
 * primary's current position, then compare each table chunk by chunk, each chunk at a consistent snapshot
 * on both sides (the replica's taken once it has applied the primary snapshot's GTID). A chunk that
 * differs is compared again (`retries` times) before it is reported: rows may change between the two reads.
 */
export async function verifyReplicas(t: VerifyTargets, o: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const primary = await openSession(t.primary);
  const sessions: SqlSession[] = [primary];
  try {
    const replicas: Compared[] = [];
    for (const r of t.replicas) {
      const s = await openSession(r.target);
      sessions.push(s);
      replicas.push({ id: r.id, s, v: { id: r.id, label: r.target.label, caughtUp: false, differing: [], retried: 0 } });
    }
    for (const s of sessions) await s.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const position = await gtidPosition(primary, 'primary');
    o.onProgress(`primary at GTID ${position || '(none)'}: waiting for ${replicas.length} replica(s) to apply it`);
    await Promise.all(replicas.map(async (r) => {
      r.v.caughtUp = await waitForGtid(r.s, position, o.waitTimeoutSeconds);
      if (!r.v.caughtUp) {
        const at = await gtidPosition(r.s, 'replica');
        throw checkFailedError('REPLICA_NOT_CAUGHT_UP', `Replica ${r.id} has not applied the primary's position ${position} within ${o.waitTimeoutSeconds} s (it is at ${at || 'nothing'}).`, {
          hint: lagHint(t) });
      }
    }));
    const tables = await tablesOf(primary, o.databases);
    let chunks = 0;
    let rows = 0;
    for (const table of tables) {
      let n = 0;
      for await (const b of chunksOf(primary, table, o.chunkRows)) {
        n++;
        chunks++;
        rows += await compareChunk(primary, replicas, table, b, n, o, lagHint(t));
      }
      o.onProgress(`${table.schema}.${table.table}: ${n} chunk(s) compared`);
    }
    return { ok: replicas.every((r) => r.v.differing.length === 0), position, tables: tables.length, chunks, rows, replicas: replicas.map((r) => r.v), elapsedMs: Date.now() - started };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}
