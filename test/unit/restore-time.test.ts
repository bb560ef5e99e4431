import { describe, expect, it } from 'vitest';
import { formatUtcSecond, parseRestoreTime } from '../../src/core/restore-time.js';
import { beforeRestoreSecond, includedAt, restoreSecond } from '../../src/core/restore-cut.js';

describe('parseRestoreTime', () => {
  it('reads ISO 8601 with Z or an offset, and prints it back in UTC', () => {
    expect(parseRestoreTime('2026-11-26T10:15:06Z').toISOString()).toBe('2026-11-26T10:15:06.000Z');
    expect(parseRestoreTime('2026-11-26T11:15:06+01:00').toISOString()).toBe('2026-11-26T10:15:06.000Z');
    expect(parseRestoreTime('2026-11-26 05:15:06.750-0500').toISOString()).toBe('2026-11-26T10:15:06.750Z');
    expect(formatUtcSecond(restoreSecond(parseRestoreTime('2026-11-26T10:15:06.999Z')))).toBe('2026-11-26T10:15:06Z');
  });

  it('refuses a time without a zone, with the fixed spelling as the hint', () => {
    expect(() => parseRestoreTime('2026-11-26T10:15:06')).toThrow(expect.objectContaining({ code: 'RESTORE_TIME_NO_ZONE', exitCode: 2, hint: expect.stringContaining('--to-time 2026-11-26T10:15:06Z') }));
    expect(() => parseRestoreTime('2026-11-26 10:15', '--after')).toThrow(expect.objectContaining({ hint: expect.stringContaining('--after 2026-11-26T10:15Z') }));
  });

  it('refuses malformed and impossible times', () => {
    for (const t of ['yesterday', '2026-11-26', '2026-02-30T10:00:00Z', '2026-11-26T24:00:00Z', '2026-11-26T10:15:06+15:00']) {
      expect(() => parseRestoreTime(t)).toThrow(expect.objectContaining({ code: 'INVALID_RESTORE_TIME', exitCode: 2 }));
    }
  });
});

describe('the cut rule', () => {
  const T = parseRestoreTime('2026-11-26T10:15:06.400Z');
  const s = (x: string) => Date.parse(x) / 1000;
  it('includes every commit in T\'s second and before, nothing after', () => {
    expect(includedAt(s('2026-11-26T10:15:06Z'), T)).toBe(true);
    expect(includedAt(s('2026-11-26T10:15:05Z'), T)).toBe(true);
    expect(includedAt(s('2026-11-26T10:15:07Z'), T)).toBe(false);
  });
  it('--before: local sends the match\'s own second (the GTID tag cuts exactly), aws the second before', () => {
    expect(beforeRestoreSecond(100, 'local')).toBe(100);
    expect(beforeRestoreSecond(100, 'aws')).toBe(99);
  });
});
