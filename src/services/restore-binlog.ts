import type { RDSClient, RestoreDBInstanceToPointInTimeMessage } from '@aws-sdk/client-rds';
import { matchesPattern, transactionKind, transactionTables, type BeforePattern } from '../core/binlog-match.js';
import type { BinlogTransaction } from '../core/binlog-transactions.js';
import { conflictError, notFoundError, usageError } from '../core/errors.js';
import { beforeRestoreSecond, includedAt, RESTORE_BEFORE_GTID_TAG, restoreSecond } from '../core/restore-cut.js';
import { formatUtcSecond } from '../core/restore-time.js';
import type { TargetKind } from '../cli/context.js';
import type { BinlogSource } from './binlog-source.js';

/**
 * What a point-in-time restore would include (restore --preview) and where a bad statement is
 * (restore --before), read from the source's binlogs through a BinlogSource. Restores nothing.
 */

/** The server's binlogs of instance `id`, over TLS as the master user; on aws only where RDS keeps them. */
export async function openBinlogSource(rds: RDSClient, target: TargetKind, home: string, id: string, password: () => Promise<string | undefined>): Promise<BinlogSource> {
  const { getCredentials } = await import('./credentials.js');
  const { openSession } = await import('../db/session.js');
  const { binlogRetentionProblem, serverBinlogSource } = await import('./binlog-source.js');
  const c = await getCredentials(rds, target, home, id, { serving: true });
  const pass = c.password ?? (await password());
  if (!pass) {
    throw usageError('PASSWORD_REQUIRED', `rdsctl does not hold the password for ${c.DBInstanceIdentifier}: the binlogs are read as its master user.`, {
      hint: 'Set RDSCTL_DB_PASSWORD (never on the command line).' });
  }
  const db = { host: c.host, port: c.port, user: c.username, password: pass, tls: target === 'local' ? { caFile: c.caFile } : { profile: 'Amazon RDS' as const },
    label: `mysql://${c.username}@${c.host}:${c.port}/ (${c.DBInstanceIdentifier})` };
  const session = await openSession(db);
  if (target === 'aws') {
    const problem = await binlogRetentionProblem(session, c.DBInstanceIdentifier).catch(async (err) => { await session.close(); throw err; });
    if (problem) {
      await session.close();
      throw conflictError('BINLOG_RETENTION_NOT_SET', problem);
    }
  }
  return serverBinlogSource(db, session, `the binlogs of ${c.DBInstanceIdentifier}`);
}

/** A transaction as rdsctl shows it (also the --json shape). */
export interface TransactionView {
  commitTime: string;
  gtid: string;
  kind: string;
  tables: Array<{ table: string; insert: number; update: number; delete: number }>;
  statements: string[];
  file?: string;
  position?: number;
}

export function viewOf(tx: BinlogTransaction): TransactionView {
  return {
    commitTime: formatUtcSecond(tx.commitTime), gtid: tx.gtid, kind: transactionKind(tx),
    // Tables a DDL names come with zero row counts: the statement says what happened to them.
    tables: transactionTables(tx).map(({ table, rows }) => ({ table, insert: rows?.insert ?? 0, update: rows?.update ?? 0, delete: rows?.delete ?? 0 })),
    statements: tx.statements.map((s) => s.sql), file: tx.file, position: tx.position,
  };
}

/** The index of the last file that starts at or before `t` (0 when all start later): binary search, starts ascend. */
async function startIndex(src: BinlogSource, files: string[], t: number): Promise<number> {
  let lo = 0;
  let hi = files.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const start = await src.fileStart(files[mid]!);
    if (start !== undefined && start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

async function binlogFiles(src: BinlogSource): Promise<string[]> {
  const files = await src.files();
  if (files.length === 0) throw notFoundError('NO_BINLOGS', `${src.label}: the server lists no binlog files.`);
  return files;
}

export interface Preview {
  restoreTime: string;
  /** The first event time of the oldest binlog the source still has: nothing before it can be listed. */
  readableFrom?: string;
  included: TransactionView[];
  excluded: TransactionView[];
  files: string[];
}

/** The last `n` transactions a restore to `t` includes and the first `n` it leaves out (the cut rule: restore-cut.ts). */
export async function previewCut(src: BinlogSource, t: Date, n: number): Promise<Preview> {
  const files = await binlogFiles(src);
  let k = await startIndex(src, files, restoreSecond(t));
  const included: BinlogTransaction[] = [];
  const excluded: BinlogTransaction[] = [];
  for await (const tx of src.read(files.slice(k))) {
    if (includedAt(tx.commitTime, t)) {
      included.push(tx);
      if (included.length > n) included.shift();
    } else if (excluded.push(tx) >= n) break;
  }
  // Fewer than n before the cut in the files read: the ones before come from the previous files.
  while (included.length < n && k > 0) {
    const earlier: BinlogTransaction[] = [];
    for await (const tx of src.read([files[--k]!])) {
      earlier.push(tx);
      if (earlier.length > n - included.length) earlier.shift();
    }
    included.unshift(...earlier);
  }
  const oldest = await src.fileStart(files[0]!);
  return { restoreTime: formatUtcSecond(restoreSecond(t)), readableFrom: oldest === undefined ? undefined : formatUtcSecond(oldest), included: included.map(viewOf), excluded: excluded.map(viewOf), files: files.slice(k) };
}

export interface BeforeMatch {
  match: TransactionView;
  /** Other transactions committed in the match's second: `before` it (kept by an exact cut) and `after` it. */
  sameSecond: { before: TransactionView[]; after: TransactionView[] };
  /** The last transaction before the match (what the restored instance ends with). */
  previous?: TransactionView;
}

/**
 * The first transaction committed at or after `after` (default: the oldest readable) that matches `p`.
 * `onFile` is called as each binlog file is begun (a search from the oldest binlog can read many).
 */
export async function findBefore(src: BinlogSource, p: BeforePattern, after?: Date, onFile?: (file: string, n: number, of: number) => void): Promise<BeforeMatch> {
  const files = await binlogFiles(src);
  const from = after ? restoreSecond(after) : undefined;
  // A file starting in second `from` may follow commits of that same second in the file before it.
  const k = from === undefined ? 0 : await startIndex(src, files, from - 1);
  let match: BinlogTransaction | undefined;
  let previous: BinlogTransaction | undefined;
  let first: BinlogTransaction | undefined;
  let last: BinlogTransaction | undefined;
  let before: BinlogTransaction[] = [];
  const later: BinlogTransaction[] = [];
  const searched = files.slice(k);
  // File by file (a transaction never spans two: the server rotates between transactions), to say where it is.
  scan: for (const [i, file] of searched.entries()) {
    onFile?.(file, i + 1, searched.length);
    for await (const tx of src.read([file])) {
      if (match) {
        if (tx.commitTime !== match.commitTime) break scan;
        later.push(tx);
        continue;
      }
      if (from !== undefined && tx.commitTime < from) {
        previous = tx;
        continue;
      }
      first ??= tx;
      last = tx;
      if (matchesPattern(tx, p)) {
        match = tx;
        continue;
      }
      if (before[0] && before[0].commitTime !== tx.commitTime) before = [];
      before.push(tx);
      previous = tx;
    }
  }
  if (!match) {
    const range = first ? `${formatUtcSecond(first.commitTime)} to ${formatUtcSecond(last!.commitTime)}` : 'none: no transaction';
    throw notFoundError('BEFORE_NO_MATCH', `No transaction matches "${p.text}" in ${src.label} (${files.slice(k).join(', ')}; commits searched: ${range}${from !== undefined ? `, from --after ${formatUtcSecond(from)}` : ''}): nothing was restored.`, {
      hint: 'Check the pattern (rdsctl restore --help lists what matches) or an earlier --after.' });
  }
  const sameBefore = before.filter((t) => t.commitTime === match!.commitTime);
  return { match: viewOf(match), sameSecond: { before: sameBefore.map(viewOf), after: later.map(viewOf) }, previous: previous && viewOf(previous) };
}

/**
 * The RestoreDBInstanceToPointInTime request of `restore --before` (the cut: restore-cut.ts). Local: the
 * match's own second plus the GTID tag, so the endpoint replays every transaction before that GTID and
 * not it. aws: the second before the match (RDS cuts by time only).
 */
export function beforeRestoreInput(sourceId: string, newId: string, m: BeforeMatch, target: TargetKind): RestoreDBInstanceToPointInTimeMessage {
  const second = beforeRestoreSecond(Date.parse(m.match.commitTime) / 1000, target);
  return {
    SourceDBInstanceIdentifier: sourceId, TargetDBInstanceIdentifier: newId, RestoreTime: new Date(second * 1000),
    ...(target === 'local' ? { Tags: [{ Key: RESTORE_BEFORE_GTID_TAG, Value: m.match.gtid }] } : {}),
  };
}
