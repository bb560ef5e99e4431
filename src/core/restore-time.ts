import { usageError, type RdsctlError } from './errors.js';

/**
 * A restore time as a DBA types it: ISO 8601 with a zone (`2026-11-26T10:15:06Z`, `…+01:00`, a space for
 * the T, fractions allowed), read exactly and shown back in UTC. A time without a zone is refused: it would
 * silently mean the machine's own zone, and a restore one hour off is the wrong database. Pure.
 */
const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?$/i;

const windowHint = (sourceId: string | undefined) => (sourceId ? `; see what can be restored with \`rdsctl restore-window ${sourceId}\`` : '');

/** `sourceId`, when known, makes the message name `rdsctl restore-window <id>`. */
export function parseRestoreTime(text: string, flag = '--to-time', sourceId?: string): Date {
  const s = text.trim();
  const m = ISO.exec(s);
  const example = `e.g. ${flag} 2026-11-26T10:15:06Z (UTC) or ${flag} 2026-11-26T11:15:06+01:00`;
  if (!m) throw usageError('INVALID_RESTORE_TIME', `${flag} "${text}" is not an ISO 8601 time: nothing was restored${windowHint(sourceId)}.`, { hint: example });
  if (!m[8]) {
    throw usageError('RESTORE_TIME_NO_ZONE', `${flag} "${text}" has no time zone: nothing was restored${windowHint(sourceId)}.`, {
      hint: `Add Z for UTC or an offset: ${flag} ${s.replace(' ', 'T')}Z`,
    });
  }
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const sec = Number(m[6] ?? 0);
  const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  const zone = m[8].toUpperCase() === 'Z' ? 0 : offsetMinutes(m[8]);
  const at = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - zone * 60_000;
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  // Date.UTC rolls 2026-02-30 over to March: a date that does not exist is a typo, not a time.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59 || Math.abs(zone) > 14 * 60) {
    throw usageError('INVALID_RESTORE_TIME', `${flag} "${text}" is not a valid time: nothing was restored${windowHint(sourceId)}.`, { hint: example });
  }
  return new Date(at);
}

/** A restore time in the future is a typo (or the wrong zone), never a wait. */
export function futureTimeError(t: Date, nowMs: number, sourceId: string, flag = '--to-time'): RdsctlError | undefined {
  if (t.getTime() <= nowMs) return undefined;
  return usageError('RESTORE_TIME_IN_FUTURE', `${flag} ${utc(t.getTime())} is in the future: nothing was restored${windowHint(sourceId)}.`);
}

function offsetMinutes(z: string): number {
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(z)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** The window check, before anything is sent: a time outside it is a usage error naming the flag. */
export function outsideWindow(t: Date, window: { earliest?: Date; latest?: Date }, sourceId: string): RdsctlError | undefined {
  const { earliest, latest } = window;
  if (!earliest || !latest) return usageError('RESTORE_WINDOW_EMPTY', `${sourceId} has no restorable time yet (its first automated backup is not complete): nothing was restored${windowHint(sourceId)}.`);
  const second = Math.floor(t.getTime() / 1000) * 1000;
  if (second < earliest.getTime()) return usageError('RESTORE_TIME_OUTSIDE_WINDOW', `--to-time ${utc(t.getTime())} is before the restore window of ${sourceId} (earliest ${utc(earliest.getTime())}): nothing was restored${windowHint(sourceId)}.`);
  if (second > latest.getTime()) return usageError('RESTORE_TIME_OUTSIDE_WINDOW', `--to-time ${utc(t.getTime())} is after the latest restorable time of ${sourceId} (${utc(latest.getTime())}): nothing was restored; retry in a few seconds or use --latest.`);
  return undefined;
}

/** UTC, to the second (`2026-11-26T10:15:06Z`): what a restore is exact to, and how rdsctl prints it back. */
export function utc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** utc() for a time in epoch seconds (binlog commit times). */
export function formatUtcSecond(epochSeconds: number): string {
  return utc(epochSeconds * 1000);
}
