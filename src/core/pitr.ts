import { includedInSecond } from './restore-cut.js';

/**
 * Pure rules of automated backups and point-in-time restore (docs/BACKUPS.md): which transactions a
 * restore to a time includes, which base backup it starts from, what the restore window is, what
 * pruning may remove, when the next base backup is due. Times are epoch seconds unless named ms.
 */

export interface Trx {
  gtid: string;
  /** The second (UTC, epoch seconds) the binlog records for the commit. */
  second: number;
}

export interface Base {
  id: string;
  /** Epoch ms when the copy was consistent. */
  timeMs: number;
  gtid: string;
}

export function parseGtid(gtid: string): { domain: number; server: number; seq: number } | undefined {
  const m = /^(\d+)-(\d+)-(\d+)$/.exec(gtid.trim());
  return m ? { domain: Number(m[1]), server: Number(m[2]), seq: Number(m[3]) } : undefined;
}

/** The sequence number a GTID position (`0-1-5,1-2-3`) holds for a domain (0 when absent). */
export function seqInPosition(position: string, domain: number): number {
  for (const part of position.split(',')) {
    const g = parseGtid(part);
    if (g && g.domain === domain) return g.seq;
  }
  return 0;
}

/** Does the position include the transaction (its domain's seq at or past it)? */
export function positionIncludes(position: string, gtid: string): boolean {
  const g = parseGtid(gtid);
  return g !== undefined && seqInPosition(position, g.domain) >= g.seq;
}

/**
 * Where the archive breaks: the index of each transaction whose domain seq is not the previous one + 1
 * (a purged file the archiver never read, a skipped GTID). Nothing before such a point combines with
 * what follows it.
 */
export function gapsIn(trxs: Trx[]): number[] {
  const last = new Map<number, number>();
  const out: number[] = [];
  trxs.forEach((t, i) => {
    const g = parseGtid(t.gtid);
    if (!g) return;
    const prev = last.get(g.domain);
    if (prev !== undefined && g.seq !== prev + 1) out.push(i);
    last.set(g.domain, g.seq);
  });
  return out;
}

/**
 * The cut of a restore to `second`: the index of the last transaction, in binlog (commit) order, whose
 * commit second is ≤ `second`; -1 when none. Everything up to it is replayed, so every transaction
 * committed in a second ≤ T's second is included (binlog order is commit order; a restore is a prefix of it).
 */
export function cutIndex(trxs: Trx[], second: number): number {
  for (let i = trxs.length - 1; i >= 0; i--) if (includedInSecond(trxs[i].second, second)) return i;
  return -1;
}

/** The base a restore to the cut starts from: the newest whose position is at or before the cut, after the last gap before the cut. */
export function chooseBase(bases: Base[], trxs: Trx[], cut: number, notBeforeMs = 0): Base | undefined {
  const gapStart = Math.max(-1, ...gapsIn(trxs).filter((g) => g <= cut));
  const candidates = bases.filter((b) => {
    if (b.timeMs < notBeforeMs) return false;
    if (cut >= 0 && !baseAtOrBefore(b, trxs[cut].gtid)) return false;
    // A base from before a gap (or from before the archive's first transaction) would need what is missing.
    return startsAfter(b, trxs[Math.max(0, gapStart)]);
  });
  return candidates.sort((a, b) => b.timeMs - a.timeMs)[0];
}

/** Does the base reach the transaction just before `t`, so `t` follows it without a hole? */
function startsAfter(b: Base, t: Trx | undefined): boolean {
  const g = t && parseGtid(t.gtid);
  return !g || seqInPosition(b.gtid, g.domain) >= g.seq - 1;
}

function baseAtOrBefore(b: Base, gtid: string): boolean {
  const g = parseGtid(gtid);
  return g !== undefined && seqInPosition(b.gtid, g.domain) <= g.seq;
}

/**
 * `notBeforeMs`: a gap the archiver found (files purged before it read them) before any transaction
 * after it shows the GTID jump: bases older than its finding are not used.
 *
 * The restore window: from the oldest base that no gap cuts off (its second), to
 * `latestSecond` (the archive checkpoint). Undefined when no base backup exists yet.
 */
export function restoreWindow(bases: Base[], trxs: Trx[], latestSecond: number, notBeforeMs = 0): { earliestMs: number; latestMs: number } | undefined {
  const gaps = gapsIn(trxs);
  const lastGap = gaps.length ? gaps[gaps.length - 1] : -1;
  const usable = bases.filter((b) => b.timeMs >= notBeforeMs && startsAfter(b, trxs[Math.max(0, lastGap)]));
  if (usable.length === 0) return undefined;
  // floor: every transaction in the base committed (its statement started) no later than the base's second.
  const earliestMs = Math.floor(Math.min(...usable.map((b) => b.timeMs)) / 1000) * 1000;
  // Until the archive has passed the first base, nothing is restorable yet (an empty window, not a made-up one).
  return latestSecond * 1000 < earliestMs ? undefined : { earliestMs, latestMs: latestSecond * 1000 };
}

/** The bases pruning removes: every base older than the newest one the retention window still needs. */
export function basesToPrune(bases: Base[], nowMs: number, retentionMs: number): Base[] {
  const horizon = nowMs - retentionMs;
  const sorted = [...bases].sort((a, b) => a.timeMs - b.timeMs);
  let keepFrom = 0;
  sorted.forEach((b, i) => {
    if (b.timeMs <= horizon) keepFrom = i; // the newest base at or before the horizon covers its start
  });
  return sorted.slice(0, keepFrom);
}

/** `hh:mm-hh:mm` (UTC) → minutes of the day of its start. */
export function windowStartMinute(window: string): number {
  const m = /^(\d\d):(\d\d)-/.exec(window);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

/**
 * When the next base backup is due: `intervalMs` after the last one when given (tests), else daily in
 * the backup window: the first window start more than 12 h after the last base.
 */
export function nextBaseDueMs(lastBaseMs: number, window: string, intervalMs?: number): number {
  if (intervalMs) return lastBaseMs + intervalMs;
  const day = 86_400_000;
  const startOfDay = Math.floor(lastBaseMs / day) * day;
  let due = startOfDay + windowStartMinute(window) * 60_000;
  while (due < lastBaseMs + day / 2) due += day;
  return due;
}
