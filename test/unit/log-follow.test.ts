import { describe, expect, it } from 'vitest';
import { followPoint, planFollow, type LogFileSeen } from '../../src/core/log-follow.js';

const B = 'audit/server_audit.log';
const f = (suffix: string, size: number, lastWritten: number): LogFileSeen => ({ name: suffix ? `${B}.${suffix}` : B, size, lastWritten });
const reads = (p: { reads: Array<{ file: string; marker: string }> }) => p.reads.map((r) => `${r.file.replace(B, '') || 'current'}@${r.marker}`);

describe('logs --follow across rotations', () => {
  it('no rotation: read on in the current file from the marker', () => {
    const at = followPoint(B, [f('', 5000, 100), f('1', 9000, 50)], '5000');
    const p = planFollow(B, at, [f('', 5600, 130), f('1', 9000, 50)]);
    expect([reads(p), p.gap]).toEqual([['current@5000'], false]);
  });

  it('the first rotation: the rest of .1 (the old file) from the marker, then the new file from its start', () => {
    const at = followPoint(B, [f('', 5000, 100)], '5000');
    expect(reads(planFollow(B, at, [f('', 300, 140), f('1', 9000, 120)]))).toEqual(['.1@5000', 'current@0']);
    // Two rotations before the next look: the old file is the older of the two.
    expect(reads(planFollow(B, at, [f('', 300, 170), f('1', 9000, 150), f('2', 9000, 120)]))).toEqual(['.2@5000', '.1@0', 'current@0']);
  });

  it('numbered files seen before moved up by the number of rotations: the old file is .N, then .N-1 … .1', () => {
    const at = followPoint(B, [f('', 5000, 200), f('1', 9000, 100), f('2', 9000, 50)], '5000');
    const now = [f('', 100, 400), f('1', 9000, 300), f('2', 9000, 250), f('3', 9000, 100), f('4', 9000, 50)];
    const p = planFollow(B, at, now);
    expect([reads(p), p.gap]).toEqual([['.2@5000', '.1@0', 'current@0'], false]);
    // The current file is not smaller (it grew past the old size already): the moved names still tell.
    expect(reads(planFollow(B, at, [f('', 7000, 400), f('1', 9000, 300), f('2', 9000, 100), f('3', 9000, 50)]))).toEqual(['.1@5000', 'current@0']);
  });

  it("RDS's hourly names do not move: the file new since the last look is the old one", () => {
    const slow = 'slowquery/mysql-slowquery.log';
    const at = followPoint(slow, [{ name: slow, size: 800, lastWritten: 5000 }, { name: `${slow}.9`, size: 4000, lastWritten: 1000 }], '800');
    const p = planFollow(slow, at, [{ name: slow, size: 20, lastWritten: 5200 }, { name: `${slow}.9`, size: 4000, lastWritten: 1000 }, { name: `${slow}.10`, size: 900, lastWritten: 5100 }]);
    expect(p.reads).toEqual([{ file: `${slow}.10`, marker: '800' }, { file: slow, marker: '0' }]);
  });

  it('a truncated file with nothing rotated: from its start, saying lines may be missing', () => {
    const at = followPoint(B, [f('', 5000, 100)], '5000');
    const p = planFollow(B, at, [f('', 10, 300)]);
    expect([reads(p), p.gap]).toEqual([['current@0'], true]);
  });

  it('a file seen rotated before is never read again from the marker (same last-write millisecond as the old file)', () => {
    // The old file's last write and the rotation came in one millisecond, and nothing was written since.
    const at = followPoint(B, [f('', 5000, 200), f('1', 9000, 200)], '5000');
    const p = planFollow(B, at, [f('', 40, 200), f('1', 5000, 200), f('2', 9000, 200)]);
    expect(p.reads.some((r) => r.file === `${B}.2`)).toBe(false);
    expect(reads(p).at(-1)).toBe('current@0');
  });

  it('no current file: nothing to read yet', () => {
    const at = followPoint(B, [], '0');
    expect(planFollow(B, at, []).reads).toEqual([]);
  });
});
