import { describe, expect, it } from 'vitest';
import { basesToPrune, chooseBase, cutIndex, gapsIn, nextBaseDueMs, restoreWindow, type Base, type Trx } from '../../src/core/pitr.js';
import { scanGtids } from '../../src/local/engine/binlog-archive.js';

const trx = (seq: number, second: number): Trx => ({ gtid: `0-1-${seq}`, second });
const base = (id: string, s: number, seq: number): Base => ({ id, timeMs: s * 1000 + 400, gtid: seq ? `0-1-${seq}` : '' });

describe('point-in-time rules (core/pitr.ts)', () => {
  const trxs = [trx(1, 100), trx(2, 100), trx(3, 101), trx(4, 101), trx(5, 103)];

  it('cuts after the last transaction whose commit second is ≤ the second asked for', () => {
    expect(cutIndex(trxs, 99)).toBe(-1);
    expect(cutIndex(trxs, 100)).toBe(1);
    expect(cutIndex(trxs, 102)).toBe(3);
    expect(cutIndex(trxs, 200)).toBe(4);
  });

  it('starts from the newest base at or before the cut, never one past it', () => {
    const bases = [base('a', 99, 0), base('b', 101, 3)];
    expect(chooseBase(bases, trxs, 1)?.id).toBe('a');
    expect(chooseBase(bases, trxs, 3)?.id).toBe('b');
    expect(chooseBase(bases, trxs, 2)?.id).toBe('b');
  });

  it('a GTID that skips is a gap: bases before it are unusable, and the window starts after it', () => {
    const gapped = [trx(1, 100), trx(2, 100), trx(7, 110), trx(8, 111)];
    expect(gapsIn(gapped)).toEqual([2]);
    const bases = [base('old', 99, 0), base('new', 110, 7)];
    expect(chooseBase(bases, gapped, 3)?.id).toBe('new');
    expect(chooseBase([bases[0]], gapped, 3)).toBeUndefined();
    expect(restoreWindow(bases, gapped, 111)).toEqual({ earliestMs: 110_000, latestMs: 111_000 });
    expect(restoreWindow(bases, trxs, 111, 105_000)).toEqual({ earliestMs: 110_000, latestMs: 111_000 });
    expect(restoreWindow([bases[0]], gapped, 111)).toBeUndefined();
  });

  it('pruning keeps the newest base the retention window still needs', () => {
    const bases = [base('d1', 0, 1), base('d2', 86_400, 2), base('d3', 172_800, 3)];
    const now = 172_800_000 + 3_600_000;
    expect(basesToPrune(bases, now, 86_400_000).map((b) => b.id)).toEqual(['d1']);
    expect(basesToPrune(bases, now, 7 * 86_400_000)).toEqual([]);
  });

  it('the daily base backup is due at the next window start at least 12 h after the last', () => {
    const last = Date.parse('2026-12-01T03:10:00Z');
    expect(new Date(nextBaseDueMs(last, '03:00-03:30')).toISOString()).toBe('2026-12-02T03:00:00.000Z');
    expect(nextBaseDueMs(last, '03:00-03:30', 8000)).toBe(last + 8000);
  });

  it('scans GTID events from binlog bytes (v4 headers), stopping before a half-written event', () => {
    const event = (type: number, when: number, server: number, body: Buffer) => {
      const h = Buffer.alloc(19);
      h.writeUInt32LE(when, 0); h[4] = type; h.writeUInt32LE(server, 5); h.writeUInt32LE(19 + body.length + 4, 9);
      return Buffer.concat([h, body, Buffer.alloc(4)]);
    };
    const gtid = (seq: number, domain: number) => {
      const b = Buffer.alloc(13);
      b.writeBigUInt64LE(BigInt(seq), 0); b.writeUInt32LE(domain, 8);
      return b;
    };
    const when = Date.parse('2026-12-01T11:42:05Z') / 1000;
    const whole = Buffer.concat([Buffer.from([0xfe, 0x62, 0x69, 0x6e]), event(15, when, 1, Buffer.alloc(90)), event(162, when, 1, gtid(3, 0)), event(2, when, 1, Buffer.alloc(40)), event(162, when + 1, 7, gtid(4, 2))]);
    expect(scanGtids(whole).trxs).toEqual([{ gtid: '0-1-3', second: when }, { gtid: '2-7-4', second: when + 1 }]);
    const cut = scanGtids(whole.subarray(0, whole.length - 5));
    expect(cut.trxs).toEqual([{ gtid: '0-1-3', second: when }]);
    expect(scanGtids(whole, cut.end).trxs).toEqual([{ gtid: '2-7-4', second: when + 1 }]);
  });
});
