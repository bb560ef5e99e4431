import { usageError } from './errors.js';

/**
 * A restore time as a DBA types it: ISO 8601 with a zone (`2026-11-26T10:15:06Z`, `…+01:00`, a space for
 * the T, fractions allowed). A time without a zone is refused: it would silently mean the machine's own
 * zone, and a restore one hour off is the wrong database.
 */
const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?$/i;

export function parseRestoreTime(text: string, flag = '--to-time'): Date {
  const s = text.trim();
  const m = ISO.exec(s);
  const example = `e.g. ${flag} 2026-11-26T10:15:06Z (UTC) or ${flag} 2026-11-26T11:15:06+01:00`;
  if (!m) throw usageError('INVALID_RESTORE_TIME', `${flag} "${text}" is not an ISO 8601 time: nothing was restored.`, { hint: example });
  if (!m[8]) {
    throw usageError('RESTORE_TIME_NO_ZONE', `${flag} "${text}" has no time zone: nothing was restored.`, {
      hint: `Add Z for UTC or an offset: ${flag} ${s.replace(' ', 'T')}Z`,
    });
  }
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const sec = Number(m[6] ?? 0);
  const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  const zone = m[8].toUpperCase() === 'Z' ? 0 : offsetMinutes(m[8]);
  const utc = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - zone * 60_000;
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  // Date.UTC rolls 2026-02-30 over to March: a date that does not exist is a typo, not a time.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59 || Math.abs(zone) > 14 * 60) {
    throw usageError('INVALID_RESTORE_TIME', `${flag} "${text}" is not a valid time: nothing was restored.`, { hint: example });
  }
  return new Date(utc);
}

function offsetMinutes(z: string): number {
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(z)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** `2026-11-26T10:15:06Z`: how rdsctl prints a second back (UTC, no fraction). */
export function formatUtcSecond(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
