import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../src/loadtest/check.js';
import { expectedRows, insertChunks, rng } from '../../src/loadtest/data.js';
import { fileWorkload, parseSqlFile } from '../../src/loadtest/file-workload.js';
import { onThisHost, parseDuration, parseRunOptions, parseScale, schedulingFor } from '../../src/loadtest/options.js';
import { arrivals, expectedArrivals } from '../../src/loadtest/schedule.js';
import { TABLE_NAMES } from '../../src/loadtest/schema.js';
import { classifyError, RunStats, summarize } from '../../src/loadtest/stats.js';
import { builtinWorkload, pick, withFlashSale } from '../../src/loadtest/workloads.js';

const base = { duration: '60s', concurrency: '32', workload: 'ecommerce' };
const code = (fn: () => unknown) => { try { fn(); } catch (e) { return `${(e as { code: string }).code}/${(e as { exitCode: number }).exitCode}`; } return 'ok'; };

describe('loadtest run options', () => {
  it.each([
    [{ concurrency: '0' }, 'INVALID_CONCURRENCY/2'], [{ concurrency: '-4' }, 'INVALID_CONCURRENCY/2'], [{ concurrency: '2.5' }, 'INVALID_CONCURRENCY/2'],
    [{ duration: '0s' }, 'INVALID_DURATION/2'], [{ duration: '0' }, 'INVALID_DURATION/2'], [{ duration: 'soon' }, 'INVALID_DURATION/2'],
    [{ workload: 'tpcc' }, 'UNKNOWN_WORKLOAD/2'], [{ rate: '0' }, 'INVALID_RATE/2'], [{ rate: '-5' }, 'INVALID_RATE/2'],
    [{ ramp: '60s' }, 'INVALID_RAMP/2'], [{ profile: 'black-friday' }, 'UNKNOWN_PROFILE/2'], [{ scheduler: 'fifo' }, 'UNKNOWN_SCHEDULER/2'],
    [{ scheduler: 'batch' }, 'ok'], [{ scheduler: 'normal' }, 'ok'],
    [{ warmup: 'soon' }, 'INVALID_DURATION/2'], [{ warmup: '1s', ramp: '10s' }, 'INVALID_WARMUP/2'], [{ warmup: '0', ramp: '10s' }, 'ok'], [{ warmup: '0' }, 'ok'],
    [{}, 'ok'], [{ workload: 'mine.sql', rate: '250', ramp: '10s', profile: 'flash-sale' }, 'ok'],
  ])('%j → %s', (o, expected) => expect(code(() => parseRunOptions({ ...base, ...o }))).toBe(expected));

  it('durations: 500ms, 2m, bare seconds', () => {
    expect([parseDuration('500ms', '--d'), parseDuration('2m', '--d'), parseDuration('7', '--d'), parseDuration('1.5s', '--d')]).toEqual([500, 120_000, 7000, 1500]);
  });

  it('a 2 s warm-up by default; none when asked, or with a ramp (which is measured)', () => {
    expect(parseRunOptions(base).warmupMs).toBe(2000);
    expect(parseRunOptions({ ...base, warmup: '500ms' }).warmupMs).toBe(500);
    expect(parseRunOptions({ ...base, warmup: '0' }).warmupMs).toBe(0);
    expect(parseRunOptions({ ...base, ramp: '10s' }).warmupMs).toBe(0);
    expect(() => parseRunOptions({ ...base, warmup: '2s', ramp: '10s' })).toThrow(/--warmup and --ramp do not go together/);
  });

  it('the concurrency message names the flag and the value', () => {
    expect(() => parseRunOptions({ ...base, concurrency: '-1' })).toThrow(/--concurrency must be a whole number from 1 to 4096 \(got "-1"\)/);
  });

  it('the generator yields to a server on this host (SCHED_BATCH), not to one elsewhere, unless told', () => {
    expect(parseRunOptions(base).scheduler).toBe('auto');
    const local = { host: '127.0.0.1' }, remote = { host: 'shop.abc.us-east-1.rds.amazonaws.com' };
    expect(schedulingFor('auto', [local])).toEqual({ policy: 'batch', why: 'the server runs on this host' });
    expect(schedulingFor('auto', [remote])).toEqual({ policy: 'normal', why: 'the server runs on another host' });
    expect(schedulingFor('auto', [remote, { socketPath: '/run/mysqld.sock' }]).policy).toBe('batch'); // a replica here counts
    expect(schedulingFor('normal', [local])).toEqual({ policy: 'normal', why: '--scheduler normal' });
    expect(schedulingFor('batch', [remote])).toEqual({ policy: 'batch', why: '--scheduler batch' });
    expect(['127.0.0.1', '127.3.2.1', 'localhost', '::1'].every((host) => onThisHost({ host }))).toBe(true);
    expect(['10.0.0.1', '128.0.0.1', 'db.internal', '127.0.0.1.example.com', undefined].some((host) => onThisHost({ host }))).toBe(false);
  });

  it.each([['0', 'INVALID_SCALE/2'], ['1.5', 'INVALID_SCALE/2'], ['x', 'INVALID_SCALE/2'], ['3', 'ok']])('--scale %s → %s', (v, expected) => {
    expect(code(() => parseScale(v))).toBe(expected);
  });
});

describe('store data', () => {
  it('every table gets the expected number of rows, in 1,000-row INSERTs, the same for the same scale', () => {
    const rows = expectedRows(2);
    for (const t of TABLE_NAMES) {
      const chunks = [...insertChunks(t, 2)];
      expect(chunks.reduce((a, c) => a + c.rows, 0)).toBe(rows[t]);
      expect(Math.max(...chunks.map((c) => c.rows))).toBeLessThanOrEqual(1000);
      expect([...insertChunks(t, 2)].map((c) => c.sql)).toEqual(chunks.map((c) => c.sql));
    }
    expect(rows).toMatchObject({ products: 2000, inventory: 2000, customers: 2000, orders: 4000, categories: 50 });
  });
});

describe('open-loop schedule', () => {
  it('Poisson arrivals: increasing, inside the run, about rate × duration', () => {
    const at = [...arrivals(1000, 10_000, 0, rng(7))];
    expect(at.every((t, i) => t >= 0 && t < 10_000 && (i === 0 || t >= at[i - 1]))).toBe(true);
    // 10,000 expected; a Poisson count's σ is 100, so ±4 % is 4σ.
    expect(Math.abs(at.length - 10_000)).toBeLessThan(400);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.9); // exponential gaps (cv = 1), not a fixed tick (cv = 0)
  });

  it('a ramp grows the rate linearly: the first half of the ramp holds a quarter of its arrivals', () => {
    const at = [...arrivals(2000, 10_000, 4000, rng(11))];
    expect(Math.abs(at.length - expectedArrivals(2000, 10_000, 4000)) / expectedArrivals(2000, 10_000, 4000)).toBeLessThan(0.04);
    const firstHalf = at.filter((t) => t < 2000).length;
    const ramp = at.filter((t) => t < 4000).length;
    expect(firstHalf / ramp).toBeGreaterThan(0.2);
    expect(firstHalf / ramp).toBeLessThan(0.3);
  });
});

describe('errors and latencies', () => {
  it('classifies MySQL errnos: deadlock, lock wait timeout, others by name', () => {
    expect(classifyError({ errno: 1213, code: 'ER_LOCK_DEADLOCK' })).toBe('deadlock (1213)');
    expect(classifyError({ errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' })).toBe('lock wait timeout (1205)');
    expect(classifyError({ errno: 1062, code: 'ER_DUP_ENTRY' })).toBe('ER_DUP_ENTRY (1062)');
    expect(classifyError({ code: 'PROTOCOL_CONNECTION_LOST' })).toBe('PROTOCOL_CONNECTION_LOST');
  });

  it('HDR percentiles per type; errors counted apart from latencies', () => {
    const s = new RunStats(['t']);
    for (let i = 1; i <= 1000; i++) s.record('t', i * 1000, 'ok'); // 1 … 1000 ms
    s.record('t', 5, { error: 'deadlock (1213)' });
    const l = summarize(s.types.get('t')!.histogram);
    expect(l.count).toBe(1000);
    expect(l.p50).toBeCloseTo(500, -1);
    expect(l.p99).toBeCloseTo(990, -1);
    expect(l.max).toBeCloseTo(1000, -1);
    expect(s.types.get('t')!.errors.get('deadlock (1213)')).toBe(1);
  });
});

describe('correctness check', () => {
  it('ok when nothing is off', () => {
    expect(evaluateCheck([], [], { products: 10, orders: 5 })).toMatchObject({ ok: true, stockMismatches: 0, negativeStock: 0, orderTotalMismatches: 0 });
  });
  it('oversold stock, a lost unit and a wrong total each fail it, with examples', () => {
    const r = evaluateCheck(
      [{ product_id: 3, stock: -1, initial_stock: 10, sold: 11 }, { product_id: 4, stock: 5, initial_stock: 10, sold: 4 }],
      [{ id: 9, total: '10.00', items: '12.00' }], { products: 10, orders: 5 });
    expect(r).toMatchObject({ ok: false, stockMismatches: 1, negativeStock: 1, orderTotalMismatches: 1 });
    expect(r.examples).toEqual(['product 4: stock 5 + sold 4 ≠ initial 10', 'product 3: stock -1 < 0', 'order 9: total 10.00 ≠ items 12.00']);
  });
});

describe('workloads', () => {
  it('a .sql file: one type per statement, placeholders bound, SELECTs are reads (FOR UPDATE is not)', () => {
    const text = '-- store\nSELECT * FROM products WHERE id = :product_id;\nUPDATE inventory SET stock = stock WHERE product_id = :product_id;\nSELECT 1 FROM inventory WHERE product_id = 1 FOR UPDATE;\n';
    expect(parseSqlFile(text, 'w.sql')[0]).toEqual({ sql: 'SELECT * FROM products WHERE id = ?', params: ['product_id'] });
    const w = fileWorkload(text, 'w.sql');
    expect(w.types.map((t) => [t.name, t.access])).toEqual([['q1', 'read'], ['q2', 'write'], ['q3', 'write']]);
    expect(w.usesPlaceholders).toBe(true);
    expect(() => parseSqlFile('-- nothing\n', 'e.sql')).toThrow(/holds no SQL statement/);
  });

  it('the ecommerce mix picks every transaction type; flash-sale is a checkout spike in the middle third only', () => {
    const w = builtinWorkload('ecommerce');
    const r = rng(3);
    const seen = new Set(Array.from({ length: 2000 }, () => pick(w.mixAt(0), r).name));
    expect([...seen].sort()).toEqual(['add_to_cart', 'browse', 'checkout', 'order_history', 'product_page', 'search']);
    const f = withFlashSale(w, [1, 2]);
    const share = (p: number) => Array.from({ length: 2000 }, () => pick(f.mixAt(p), r).name).filter((n) => n === 'checkout').length / 2000;
    expect(share(0.1)).toBeLessThan(0.15);
    expect(share(0.5)).toBeGreaterThan(0.5);
    expect([f.hotAt!(0.1), f.hotAt!(0.5), f.hotAt!(0.9)]).toEqual([undefined, [1, 2], undefined]);
  });
});
