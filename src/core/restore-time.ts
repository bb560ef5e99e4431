import { usageError, type RdsctlError } from './errors.js';

/**
 * `restore --to-time`: ISO 8601 with a zone (Z or ±hh:mm), read exactly and shown back in UTC. A time
 * without a zone is refused: which zone the DBA meant is not ours to guess. Pure.
 */
const ISO_WITH_ZONE = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i;
const ISO_NO_ZONE = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?$/i;

const windowHint = (sourceId: string) => `see what can be restored with \`rdsctl restore-window ${sourceId}\``;

export function parseRestoreTime(text: string, sourceId: string, nowMs: number): Date {
  const t = text.trim();
  if (ISO_NO_ZONE.test(t)) {
    throw usageError('RESTORE_TIME_NO_ZONE', `--to-time ${t} has no time zone: add Z or an offset (e.g. ${t.length > 10 ? t : `${t}T00:00:00`}Z); nothing was restored; ${windowHint(sourceId)}.`);
  }
  const m = ISO_WITH_ZONE.exec(t);
  const ms = m ? Date.parse(t.replace(' ', 'T').replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : NaN;
  if (!m || Number.isNaN(ms) || Number(m[2]) > 12 || Number(m[3]) > 31 || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) {
    throw usageError('RESTORE_TIME_INVALID', `--to-time ${t} is not an ISO 8601 time with a zone (e.g. 2026-11-26T10:15:06Z): nothing was restored; ${windowHint(sourceId)}.`);
  }
  if (ms > nowMs) throw usageError('RESTORE_TIME_IN_FUTURE', `--to-time ${t} (${utc(ms)}) is in the future: nothing was restored; ${windowHint(sourceId)}.`);
  return new Date(ms);
}

/** The window check, before anything is sent: a time outside it is a usage error naming the flag. */
export function outsideWindow(t: Date, window: { earliest?: Date; latest?: Date }, sourceId: string): RdsctlError | undefined {
  const { earliest, latest } = window;
  if (!earliest || !latest) return usageError('RESTORE_WINDOW_EMPTY', `${sourceId} has no restorable time yet (its first automated backup is not complete): nothing was restored; ${windowHint(sourceId)}.`);
  const second = Math.floor(t.getTime() / 1000) * 1000;
  if (second < earliest.getTime()) return usageError('RESTORE_TIME_OUTSIDE_WINDOW', `--to-time ${utc(t.getTime())} is before the restore window of ${sourceId} (earliest ${utc(earliest.getTime())}): nothing was restored; ${windowHint(sourceId)}.`);
  if (second > latest.getTime()) return usageError('RESTORE_TIME_OUTSIDE_WINDOW', `--to-time ${utc(t.getTime())} is after the latest restorable time of ${sourceId} (${utc(latest.getTime())}): nothing was restored; retry in a few seconds or use --latest.`);
  return undefined;
}

/** UTC, to the second: what a restore is exact to. */
export function utc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
