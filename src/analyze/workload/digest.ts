/**
 * --digest: performance_schema.events_statements_summary_by_digest. MySQL 8 has QUERY_SAMPLE_TEXT and
 * QUANTILE_95; MariaDB 10.x has neither, so its samples are synthesized (digest-sample.ts) and its p95
 * is unknown: we report the max as an upper bound and flag it.
 */
import { conflictError } from '../../core/errors.js';
import { fingerprint, fingerprintId, type FingerprintOptions } from '../fingerprint.js';
import { rankClasses } from '../aggregate.js';
import type { QueryClass, WorkloadSummary } from '../types.js';
import { expandValueLists, fillPlaceholders, placeholderRefs, quoteIdent, sqlLiteral, tablesOf, tokenize, type PlaceholderRef } from './digest-sample.js';

/** The part of a mysql2/promise Connection we use. */
export interface DigestConnection {
  query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
}

interface DigestRow {
  SCHEMA_NAME: string | null;
  DIGEST_TEXT: string;
  COUNT_STAR: number | string;
  SUM_TIMER_WAIT: number | string;
  MAX_TIMER_WAIT: number | string;
  SUM_ROWS_EXAMINED: number | string;
  SUM_ROWS_SENT: number | string;
  QUERY_SAMPLE_TEXT?: string | null;
  QUANTILE_95?: number | string | null;
}

const PS_TABLE = 'performance_schema.events_statements_summary_by_digest';
const PICO = 1e12;

export async function loadDigest(conn: DigestConnection, opts: FingerprintOptions = {}): Promise<WorkloadSummary> {
  await requirePerformanceSchema(conn);
  const cols = await digestColumns(conn);
  const extra = ['QUERY_SAMPLE_TEXT', 'QUANTILE_95'].filter((c) => cols.has(c));
  const [rows] = await conn.query(
    `SELECT SCHEMA_NAME, DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT, MAX_TIMER_WAIT, SUM_ROWS_EXAMINED, SUM_ROWS_SENT${extra.map((c) => `, ${c}`).join('')}
       FROM ${PS_TABLE} WHERE DIGEST_TEXT IS NOT NULL AND COUNT_STAR > 0`,
  );
  const byFp = new Map<string, QueryClass & { p95Known: boolean }>();
  const sampler: Sampler = { conn, mariadb: await isMariadb(conn), cache: new Map() };
  let events = 0;
  for (const r of (rows as DigestRow[]).filter((x) => !notWorkload(x.DIGEST_TEXT))) {
    const real = r.QUERY_SAMPLE_TEXT?.trim();
    const sample = real || (await synthesizeSample(sampler, r.DIGEST_TEXT, r.SCHEMA_NAME ?? undefined));
    const cls = toClass(r, sample, !real, opts);
    events += cls.count;
    merge(byFp, cls);
  }
  const classes = [...byFp.values()].map(({ p95Known, ...c }) => (p95Known ? c : { ...c, p95Time: c.maxTime, p95IsUpperBound: true }));
  return { source: 'digest', events, malformed: 0, classes: classes.sort(rankClasses) };
}

/**
 * Digests that are not the application's workload: catalog and instrumentation reads, EXPLAIN/SHOW/SET, and
 * rdsctl's own selectivity probes (`COUNT(DISTINCT c) AS d0 … FROM (SELECT … LIMIT n) AS s`, see
 * sampleDistinct) — a second run would otherwise analyze the first run's queries.
 */
export function notWorkload(digestText: string): boolean {
  return /\b(information_schema|performance_schema|mysql|sys)\s*`?\s*\./i.test(digestText) ||
    /^\s*(explain|show|set|use|describe|desc|select\s+(@@|`?(version|database|connection_id)`?\s*\())/i.test(digestText) ||
    /^SELECT COUNT \( \* \) AS `n` , COUNT \( DISTINCT(ROW)? `[^`]*` \) AS `d0`/i.test(digestText.replace(/\s+/g, ' ').replace(/\s*([(),*])\s*/g, ' $1 ').replace(/\s+/g, ' ').trim());
}

async function requirePerformanceSchema(conn: DigestConnection): Promise<void> {
  const [rows] = await conn.query('SELECT @@GLOBAL.performance_schema AS ps');
  const on = Number((rows as Array<{ ps: unknown }>)[0]?.ps) === 1;
  if (!on) {
    throw conflictError('PERFORMANCE_SCHEMA_OFF', 'performance_schema is OFF on this server, so there are no statement digests to read', {
      hint: 'Set performance_schema=ON (my.cnf [mysqld] section, or the DB parameter group on RDS) and restart the server; then let the workload run a while. Or use --slow-log / --queries.',
    });
  }
}

async function digestColumns(conn: DigestConnection): Promise<Set<string>> {
  const [rows] = await conn.query(
    "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'events_statements_summary_by_digest'",
  );
  return new Set((rows as Array<{ c: string }>).map((r) => r.c.toUpperCase()));
}

function toClass(r: DigestRow, sample: string, synthesized: boolean, opts: FingerprintOptions): QueryClass & { p95Known: boolean } {
  const fp = fingerprint(sample, opts);
  const count = Number(r.COUNT_STAR);
  const total = Number(r.SUM_TIMER_WAIT) / PICO;
  const q95 = r.QUANTILE_95 == null ? undefined : Number(r.QUANTILE_95) / PICO;
  return {
    fingerprint: fp,
    id: fingerprintId(fp),
    sample,
    ...(r.SCHEMA_NAME ? { db: r.SCHEMA_NAME } : {}),
    count,
    totalTime: total,
    avgTime: count ? total / count : 0,
    p95Time: q95 ?? 0,
    maxTime: Number(r.MAX_TIMER_WAIT) / PICO,
    rowsExamined: Number(r.SUM_ROWS_EXAMINED),
    rowsSent: Number(r.SUM_ROWS_SENT),
    ...(synthesized ? { sampleSynthesized: true } : {}),
    p95Known: q95 !== undefined,
  };
}

/** Rows of one fingerprint (e.g. the same statement in two schemas) become one class. */
function merge(byFp: Map<string, QueryClass & { p95Known: boolean }>, c: QueryClass & { p95Known: boolean }): void {
  const prev = byFp.get(c.fingerprint);
  if (!prev) return void byFp.set(c.fingerprint, c);
  const slower = c.maxTime > prev.maxTime ? c : prev;
  byFp.set(c.fingerprint, {
    ...slower,
    count: prev.count + c.count,
    totalTime: prev.totalTime + c.totalTime,
    avgTime: (prev.totalTime + c.totalTime) / (prev.count + c.count || 1),
    p95Time: Math.max(prev.p95Time, c.p95Time),
    maxTime: slower.maxTime,
    rowsExamined: prev.rowsExamined + c.rowsExamined,
    rowsSent: prev.rowsSent + c.rowsSent,
    p95Known: prev.p95Known && c.p95Known,
  });
}

interface Sampler {
  conn: DigestConnection;
  mariadb: boolean;
  /** `db`.`tbl`.`col` → literal, so each column is read once per run. */
  cache: Map<string, string>;
}

async function isMariadb(conn: DigestConnection): Promise<boolean> {
  const [rows] = await conn.query('SELECT VERSION() AS v');
  return /mariadb/i.test(String((rows as Array<{ v: unknown }>)[0]?.v ?? ''));
}

/** DIGEST_TEXT with `?` → a runnable statement with values sampled from the referenced columns. */
export async function synthesizeSample(sampler: Sampler, digestText: string, db: string | undefined): Promise<string> {
  const tokens = expandValueLists(tokenize(digestText));
  const refs = placeholderRefs(tokens, tablesOf(tokens, db));
  const literals: string[] = [];
  for (const ref of refs) literals.push(await literalFor(sampler, ref));
  return fillPlaceholders(tokens, literals);
}

async function literalFor({ conn, mariadb, cache }: Sampler, ref: PlaceholderRef): Promise<string> {
  if (ref.isCount) return '10';
  if (!ref.table || !ref.column) return '1';
  const from = ref.table.db ? `${quoteIdent(ref.table.db)}.${quoteIdent(ref.table.name)}` : quoteIdent(ref.table.name);
  const col = quoteIdent(ref.column);
  const key = `${from}.${col}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let lit = '1';
  // Bounded: a mostly-NULL column without an index must not turn sampling into a long scan.
  const select = `SELECT ${col} AS v FROM ${from} WHERE ${col} IS NOT NULL LIMIT 1`;
  const sql = mariadb ? `SET STATEMENT max_statement_time=2 FOR ${select}` : select.replace('SELECT', 'SELECT /*+ MAX_EXECUTION_TIME(2000) */');
  try {
    const [rows] = await conn.query(sql);
    const first = (rows as Array<{ v: unknown }>)[0];
    if (first) lit = sqlLiteral(first.v);
  } catch {
    // Column or table guessed wrong (an expression, a derived table) or too slow: keep the neutral default.
  }
  cache.set(key, lit);
  return lit;
}
