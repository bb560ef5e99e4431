import { describe, expect, it } from 'vitest';
import { aggregate, bucketIndex, percentile95 } from '../../src/analyze/aggregate.js';

describe('aggregate', () => {
  it('groups by fingerprint, sums and ranks by total time, keeps the slowest statement as sample', () => {
    const classes = aggregate([
      { sql: 'SELECT * FROM orders WHERE id = 1', db: 'shop', queryTime: 0.010, rowsExamined: 1, rowsSent: 1 },
      { sql: 'SELECT * FROM orders WHERE id = 2', db: 'shop', queryTime: 0.030, rowsExamined: 1, rowsSent: 1 },
      { sql: 'SELECT * FROM orders WHERE id = 3', db: 'shop', queryTime: 0.020, rowsExamined: 1, rowsSent: 0 },
      { sql: "SELECT * FROM customers WHERE email = 'a'", db: 'shop', queryTime: 0.5, rowsExamined: 5000, rowsSent: 1 },
    ]);
    expect(classes.map((c) => [c.fingerprint, c.count])).toEqual([
      ['select * from customers where email = ?', 1],
      ['select * from orders where id = ?', 3],
    ]);
    const orders = classes[1];
    expect(orders.sample).toBe('SELECT * FROM orders WHERE id = 2');
    expect(orders.totalTime).toBeCloseTo(0.06, 12);
    expect(orders.avgTime).toBeCloseTo(0.02, 12);
    expect(orders.maxTime).toBe(0.03);
    expect([orders.rowsExamined, orders.rowsSent, orders.db]).toEqual([3, 2, 'shop']);
    expect(orders.id).toMatch(/^[0-9A-F]{16}$/);
  });

  it('takes the latest statement when the slowest time is tied (pt keeps the last one >= max)', () => {
    const [c] = aggregate([{ sql: 'SELECT 1', queryTime: 0.1 }, { sql: 'SELECT 2', queryTime: 0.1 }]);
    expect(c.sample).toBe('SELECT 2');
  });

  it('counts a weighted event as that many executions', () => {
    const [a, b] = aggregate([
      { sql: 'SELECT * FROM t WHERE id = 1', weight: 25 },
      { sql: 'SELECT * FROM u WHERE id = 1', weight: 3 },
      { sql: 'SELECT * FROM u WHERE id = 2', weight: 1 },
    ]);
    expect([a.count, b.count]).toEqual([25, 4]);
    expect([a.totalTime, a.p95Time]).toEqual([0, 0]);
  });
});

describe("p95 (pt-query-digest's 1.05-base buckets)", () => {
  it('maps values to the same buckets as pt (values printed by pt\'s own EventAggregator::bucket_idx)', () => {
    expect([0, 0.0000009, 0.000001, 0.001, 1, 1e9].map(bucketIndex)).toEqual([0, 0, 1, 142, 284, 708]);
  });

  it('is the max for one or two values, and a bucket lower bound otherwise', () => {
    const one = new Map([[bucketIndex(0.2), 1]]);
    expect(percentile95(one, 1, 0.2, 0.2)).toBe(0.2);
    // 20 values 1..20 ms: pt's cutoff is int(20*0.95)=19, so the 95% bucket is the one holding 19 ms.
    const buckets = new Map<number, number>();
    for (let i = 1; i <= 20; i++) buckets.set(bucketIndex(i / 1000), (buckets.get(bucketIndex(i / 1000)) ?? 0) + 1);
    const p95 = percentile95(buckets, 20, 0.001, 0.02);
    expect(p95).toBeGreaterThan(0.019 / 1.05);
    expect(p95).toBeLessThanOrEqual(0.019);
  });
});
