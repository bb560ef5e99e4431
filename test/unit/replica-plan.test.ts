import { describe, expect, it } from 'vitest';
import { checksumQuery, boundaryQuery, describeChunk, type TableSpec } from '../../src/core/plans/checksum-plan.js';
import { MAX_REPLICAS, parseReplicaCount, planReplicas } from '../../src/core/plans/replica-plan.js';
import { gtidDistance } from '../../src/core/gtid.js';
import { RdsctlError } from '../../src/core/errors.js';

const r = (id: string, created?: string) => ({ id, created });
const thrown = (fn: () => unknown) => {
  try { fn(); } catch (e) { return e as RdsctlError; }
  throw new Error('did not throw');
};

describe('parseReplicaCount', () => {
  it.each(['0', '1', '15', ' 3 '])('%s is a count', (raw) => expect(parseReplicaCount(raw)).toBe(Number(raw.trim())));
  it.each(['-1', '1.5', '16', 'abc', '', '1e1'])('"%s" → exit 2 naming --count', (raw) => {
    const e = thrown(() => parseReplicaCount(raw));
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('INVALID_REPLICA_COUNT');
    expect(e.message).toMatch(/--count must be a whole number from 0 to 15/);
  });
  it('15 is RDS\'s maximum', () => expect(MAX_REPLICAS).toBe(15));
});

describe('planReplicas', () => {
  it.each([
    { name: 'none → 2: the lowest free names', existing: [], count: 2, create: ['shop-replica-1', 'shop-replica-2'], del: [] },
    { name: 'a gap is filled first', existing: [r('shop-replica-2', '2026-01-01T00:00:00Z')], count: 3, create: ['shop-replica-1', 'shop-replica-3'], del: [] },
    { name: 'already there: nothing', existing: [r('shop-replica-1', '2026-01-01T00:00:00Z')], count: 1, create: [], del: [] },
    {
      name: '3 → 1 removes the newest first, by InstanceCreateTime (not by name)',
      existing: [r('shop-replica-1', '2026-01-03T00:00:00Z'), r('shop-replica-2', '2026-01-01T00:00:00Z'), r('shop-replica-3', '2026-01-02T00:00:00Z')],
      count: 1, create: [], del: ['shop-replica-1', 'shop-replica-3'],
    },
    { name: 'one still creating (no time yet) counts as the newest', existing: [r('b', undefined), r('a', '2026-01-01T00:00:00Z')], count: 1, create: [], del: ['b'] },
    { name: 'to 0 removes all', existing: [r('x', '2026-01-01T00:00:00Z'), r('y', '2026-01-02T00:00:00Z')], count: 0, create: [], del: ['y', 'x'] },
  ])('$name', ({ existing, count, create, del }) => {
    const plan = planReplicas('shop', existing, count);
    expect(plan.create).toEqual(create);
    expect(plan.delete).toEqual(del);
  });

  it('--prefix names them <prefix>-<k>', () => expect(planReplicas('shop', [], 2, { prefix: 'ro' }).create).toEqual(['ro-1', 'ro-2']));

  it('a name over 63 characters → exit 2 naming --prefix', () => {
    const e = thrown(() => planReplicas('s'.repeat(60), [], 1));
    expect(e.exitCode).toBe(2);
    expect(e.hint).toMatch(/--prefix/);
  });

  it('a replica of a replica is allowed while the chain stays within 4 instances', () => {
    expect(planReplicas('c', [], 1, { chain: ['b', 'a'] }).create).toEqual(['c-replica-1']);
    const e = thrown(() => planReplicas('d', [], 1, { chain: ['c', 'b', 'a'] }));
    expect(e.exitCode).toBe(5);
    expect(e.message).toMatch(/a → b → c → d/);
    expect(e.hint).toBe('Add replicas to the chain\'s primary instead: rdsctl scale-replicas a --count 1');
  });

  it('scaling down never needs the chain check', () => {
    expect(planReplicas('d', [r('x', '2026-01-01T00:00:00Z')], 0, { chain: ['c', 'b', 'a'] }).delete).toEqual(['x']);
  });
});

describe('gtidDistance', () => {
  it.each([
    ['0-1-100', '0-1-100', 0],
    ['0-1-100', '0-1-90', 10],
    ['0-1-100,1-1-5', '0-1-100', 5],
    ['0-1-100', '0-2-7,0-1-100', 0],
    ['0-1-100', '', 100],
    ['3E11FA47-71CA-11E1-9E33-C80AA9429562:1-10', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7', 3],
    ['a:1-10:12-13,b:1-2', 'a:1-10', 4],
  ])('%s vs %s → %i', (p, rep, n) => expect(gtidDistance(p, rep)).toBe(n));
  it('unknown position → undefined', () => expect(gtidDistance(undefined, '0-1-1')).toBeUndefined());
});

describe('checksum SQL (pt-table-checksum\'s chunk checksum)', () => {
  const t: TableSpec = { schema: 'shop', table: 'order`s', columns: ['id', 'b', 'note'], nullable: ['note'], key: ['id', 'b'] };
  it('BIT_XOR of CRC32 over CONCAT_WS with ISNULL markers, within the key range', () => {
    const q = checksumQuery(t, { lower: [1, 'x'], upper: [5, 'y'] });
    expect(q.sql).toBe("SELECT COUNT(*) AS cnt, COALESCE(LOWER(CONV(BIT_XOR(CAST(CRC32(CONCAT_WS('#', `id`, `b`, `note`, CONCAT(ISNULL(`note`)))) AS UNSIGNED)), 10, 16)), '0') AS crc FROM `shop`.`order``s` FORCE INDEX (PRIMARY) WHERE (`id`, `b`) > (?, ?) AND (`id`, `b`) <= (?, ?)");
    expect(q.params).toEqual([1, 'x', 5, 'y']);
  });
  it('the next boundary is the chunkRows-th key after the last one', () => {
    expect(boundaryQuery(t, 500, [3, 'a'])).toEqual({ sql: 'SELECT `id`, `b` FROM `shop`.`order``s` FORCE INDEX (PRIMARY) WHERE (`id`, `b`) > (?, ?) ORDER BY `id`, `b` LIMIT 1 OFFSET 499', params: [3, 'a'] });
  });
  it.each([
    [{ upper: [500] }, 'id ≤ 500'],
    [{ lower: [500], upper: [1000] }, '500 < id ≤ 1000'],
    [{ lower: [1000] }, 'id > 1000'],
    [{}, 'all rows'],
  ])('chunk %j reads "%s"', (b, text) => expect(describeChunk({ ...t, key: ['id'] }, b)).toBe(text));
  it('a table without a primary key is one chunk', () => {
    expect(describeChunk({ ...t, key: [] }, {})).toBe('whole table (no primary key)');
    expect(checksumQuery({ ...t, key: [] }, {}).sql).not.toMatch(/FORCE INDEX|WHERE/);
  });
});
