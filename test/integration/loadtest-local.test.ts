import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instancePaths } from '../../src/local/engine/paths.js';
import { BIN, cleanupHome, pidsMentioning, REPO, runCli, tempHome } from '../helpers/local-cli.js';
import { startTmux } from '../helpers/tmux.js';

// `rdsctl loadtest` against real local instances provisioned through the CLI. Loads stay a few seconds.
const PASSWORD = 'Lt-test-pass-4821';
const STORE = ['categories', 'customers', 'products', 'inventory', 'carts', 'orders', 'order_items', 'reviews'];

describe('rdsctl loadtest on the local target', () => {
  let home: string;
  const creds: Record<string, { host: string; port: number; username: string; caFile: string }> = {};
  const conns: Record<string, mysql.Connection> = {};
  const env = () => ({ RDSCTL_HOME: home, RDSCTL_DB_PASSWORD: PASSWORD, RDSCTL_MASTER_PASSWORD: PASSWORD });
  const cli = (args: string[]) => runCli(args, { env: env() });
  const dsn = (id: string) => `mysql://${creds[id].username}@${creds[id].host}:${creds[id].port}/loadtest?ssl-mode=VERIFY_IDENTITY&ssl-ca=${encodeURIComponent(creds[id].caFile)}`;
  const status = async (id: string, name: string) => Number((await conns[id].query<any[]>(`SHOW GLOBAL STATUS LIKE '${name}'`))[0][0].Value);
  const count = async (id: string, table: string) => Number((await conns[id].query<any[]>(`SELECT COUNT(*) AS n FROM loadtest.${table}`))[0][0].n);

  beforeAll(async () => {
    home = await tempHome();
    for (const id of ['shop', 'shop2']) {
      const p = await cli(['provision', id, '--class', 'db.t4g.micro', '--no-encrypted', '--json']);
      if (p.code !== 0) throw new Error(`provision failed: ${p.stderr}${p.stdout}`);
      creds[id] = (await cli(['credentials', id, '--json'])).json.data;
      conns[id] = await mysql.createConnection({ host: creds[id].host, port: creds[id].port, user: creds[id].username, password: PASSWORD,
        ssl: { ca: await readFile(creds[id].caFile), verifyIdentity: true } });
    }
  });
  afterAll(async () => {
    for (const c of Object.values(conns)) await c.end().catch(() => undefined);
    if (home) await cleanupHome(home);
  });

  it('prepare --scale 1: every table with its rows, keys and foreign keys; a second prepare changes nothing', async () => {
    const r = await cli(['loadtest', 'prepare', 'shop', '--scale', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ loaded: true, scale: 1, database: 'loadtest' });
    const expected = { categories: 50, customers: 1000, products: 1000, inventory: 1000, carts: 500, orders: 2000, order_items: 5000, reviews: 2000 };
    for (const t of STORE) expect(await count('shop', t), t).toBe(expected[t as keyof typeof expected]);
    const [fks] = await conns.shop.query<any[]>("SELECT COUNT(*) AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'loadtest'");
    expect(Number(fks[0].n)).toBe(10);
    // The generated history already satisfies the checkout invariants.
    const [bad] = await conns.shop.query<any[]>('SELECT COUNT(*) AS n FROM loadtest.inventory i LEFT JOIN (SELECT product_id, SUM(qty) s FROM loadtest.order_items GROUP BY product_id) x ON x.product_id = i.product_id WHERE i.stock + COALESCE(x.s, 0) <> i.initial_stock');
    expect(Number(bad[0].n)).toBe(0);

    const again = await cli(['loadtest', 'prepare', 'shop', '--scale', '1', '--json']);
    expect(again.code).toBe(0);
    expect(again.json.data.loaded).toBe(false);
    expect(await count('shop', 'orders')).toBe(2000);
    // The URL names the store's database, not the instance's own (QA finding).
    const human = await cli(['loadtest', 'prepare', 'shop', '--scale', '1']);
    expect(human.stdout).toMatch(/^loadtest on mysql:\/\/\w+@127\.0\.0\.1:\d+\/loadtest \(shop\) is already prepared at --scale 1/m);

    const other = await cli(['loadtest', 'prepare', 'shop', '--scale', '2']);
    expect(other.code).toBe(5);
    expect(other.stderr).toMatch(/error: loadtest on .* is already prepared at --scale 1, not 2\./);
    expect(other.stderr).toMatch(/hint: .*--drop/);
    expect(await count('shop', 'products')).toBe(1000);
  });

  it('run: a few seconds of the ecommerce mix complete every transaction type with no oversell', async () => {
    const before = await count('shop', 'orders');
    const r = await cli(['loadtest', 'run', 'shop', '--duration', '3s', '--concurrency', '8', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json.data;
    // The default warm-up ran first, unmeasured; the report still counts what it did.
    expect(d.warmup.seconds).toBe(2);
    expect(d.warmup.transactions).toBeGreaterThan(0);
    expect(d.byType.map((t: any) => t.type).sort()).toEqual(['add_to_cart', 'browse', 'checkout', 'order_history', 'product_page', 'search']);
    for (const t of d.byType) expect(t.ok, t.type).toBeGreaterThan(0);
    expect(d.check).toMatchObject({ ok: true, stockMismatches: 0, negativeStock: 0, orderTotalMismatches: 0 });
    const checkout = d.byType.find((t: any) => t.type === 'checkout');
    const warmCheckout = d.warmup.byType.find((t: any) => t.type === 'checkout');
    expect(warmCheckout.ok).toBeGreaterThan(0);
    // Every new order is a checkout the report counts: measured, or in the warm-up.
    expect(await count('shop', 'orders')).toBe(before + checkout.ok + warmCheckout.ok);
    const [neg] = await conns.shop.query<any[]>('SELECT COUNT(*) AS n FROM loadtest.inventory WHERE stock < 0');
    expect(Number(neg[0].n)).toBe(0);
    expect(d.total.p99).toBeGreaterThanOrEqual(d.total.p50);
    // Little's law: in a closed loop the 8 connections are busy almost all the time, so
    // mean latency × throughput ≈ 8 (a latency taken at the wrong moment breaks this).
    const busy = (d.total.mean / 1000) * d.tps;
    expect(busy).toBeGreaterThan(8 * 0.5);
    expect(busy).toBeLessThan(8 * 1.05);
    expect(d.endpoints).toEqual([expect.objectContaining({ role: 'primary', transactions: d.transactions + Object.values(d.errors as Record<string, number>).reduce((a, b) => a + b, 0) })]);
  });

  it('the human report is a table on stdout and the live line goes to stderr', async () => {
    const r = await cli(['loadtest', 'run', 'shop', '--duration', '2s', '--concurrency', '4', '--profile', 'flash-sale']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/workload: +ecommerce\+flash-sale/);
    // Piped: 80 columns, so the per-type table leaves out its access column and says so.
    expect(r.stdout).toMatch(/type +ok +sold out +errors +p50 ms +p95 ms +p99 ms +p99\.9 ms +max ms/);
    expect(r.stdout).toMatch(/\(access not shown at 80 columns: --json has every column\)/);
    expect(r.stdout).toMatch(/correctness check: ok/);
    expect(r.stderr).toMatch(/target: local/); // the load profile did not turn into an AWS profile
    expect(r.stderr).toMatch(/\[ +1s\] tps [\d.]+ +qps [\d.]+ +p95 [\d.]+ ms +errors \d+/);
    expect(r.stdout).not.toMatch(/tps .* qps/);
  });

  it('Ctrl-C on a terminal stops the run: the partial report (also as the one --json document), exit 130', async () => {
    const term = await startTmux(`loadtest-int-${process.pid}`, { cwd: REPO, width: 120, height: 60,
      env: { ...(process.env as Record<string, string>), ...env(), TERM: 'xterm', CI: undefined, NO_COLOR: '1' } });
    const out = `${home}/interrupted.json`;
    try {
      const t0 = Date.now();
      await term.run(`${process.execPath} ${BIN} loadtest run shop --workload point-select --concurrency 2 --duration 60s`);
      await term.waitFor(/\[ +2s\] tps [\d.]+/, 30_000);
      await term.keys('C-c');
      expect(await term.exitCode(20_000)).toBe(130);
      expect(Date.now() - t0).toBeLessThan(30_000); // not the 60 s asked for
      const shown = await term.history();
      expect(shown).toMatch(/elapsed: +[\d.]+s \(interrupted: the transactions completed so far\)/);
      expect(shown).toMatch(/point_select +read +[1-9]\d* +0 +0 /);
      expect(shown).toMatch(/correctness check: not run \(interrupted/);
      expect(shown).toMatch(/Interrupted \(Ctrl-C\)/);
      await term.clear();
      // No warm-up: the Ctrl-C 3 s in must land in the measured window.
      await term.run(`${process.execPath} ${BIN} loadtest run shop --workload point-select --concurrency 2 --duration 60s --warmup 0 --json > ${out}`);
      await new Promise((r) => setTimeout(r, 3000));
      await term.keys('C-c');
      expect(await term.exitCode(20_000)).toBe(130);
      const doc = JSON.parse(await readFile(out, 'utf8')); // exactly one document: JSON.parse refuses two
      expect(doc).toMatchObject({ ok: true, command: 'loadtest run', data: { interrupted: true, check: null } });
      expect(doc.data.transactions).toBeGreaterThan(0);
      expect(doc.data.elapsedS).toBeLessThan(30);
    } finally {
      await term.kill();
    }
  });

  it('SIGINT under --rate (open loop) ends the run early too, with the arrivals served so far', async () => {
    const child = spawn(process.execPath, [BIN, 'loadtest', 'run', 'shop', '--workload', 'point-select', '--rate', '200', '--concurrency', '2', '--duration', '60s', '--warmup', '0', '--json'],
      { env: { ...process.env, ...env() } });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const doc = JSON.parse(stdout);
    expect(doc.data).toMatchObject({ mode: 'open', interrupted: true, check: null });
    expect(doc.data.transactions).toBeGreaterThan(100);
  });

  it('--rate holds the rate within 10 %', async () => {
    const r = await cli(['loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '4s', '--concurrency', '4', '--rate', '300', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data).toMatchObject({ mode: 'open', rate: 300, latencyFrom: 'intended start' });
    expect(r.json.data.tps).toBeGreaterThan(270);
    expect(r.json.data.tps).toBeLessThan(330);
  });

  it('--warmup: the load runs first, unmeasured (the server counts it, the report does not); Ctrl-C in it reports nothing measured', async () => {
    const selects = await status('shop', 'Com_select');
    const r = await cli(['loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '1s', '--warmup', '1s', '--concurrency', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json.data;
    expect(d.warmup.seconds).toBe(1);
    expect(d.warmup.queries).toBeGreaterThan(100);
    expect(d.elapsedS).toBeGreaterThan(0.9);
    expect(d.elapsedS).toBeLessThan(1.5); // the window is --duration, not warm-up + duration
    expect(d.queries).toBe(d.byType[0].ok);
    // Every select the server ran: the warm-up's, the measured ones, the store probe and the check's.
    expect(await status('shop', 'Com_select') - selects).toBeGreaterThanOrEqual(d.warmup.queries + d.queries);
    const human = await cli(['loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '1s', '--warmup', '1s', '--concurrency', '2']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toMatch(/\[ +1s warm-up\] tps [\d.]+/);
    expect(human.stderr).toMatch(/\[ +1s\] tps [\d.]+/);
    expect(human.stdout).toMatch(/warm-up: +1\.0s before, not measured \(\d+ transactions\)/);

    const child = spawn(process.execPath, [BIN, 'loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '5s', '--warmup', '60s', '--concurrency', '2', '--json'],
      { env: { ...process.env, ...env() } });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    await new Promise((res) => setTimeout(res, 2500));
    const t0 = Date.now();
    child.kill('SIGINT');
    expect(await new Promise<number | null>((res) => child.on('close', res))).toBe(130);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const doc = JSON.parse(stdout);
    expect(doc.data).toMatchObject({ interrupted: true, transactions: 0, queries: 0, tps: 0, qps: 0, check: null });
    expect(doc.data.warmup.transactions).toBeGreaterThan(0);
  });

  it('a server paused for 1 s under --rate shows in p99 (latency from the intended start)', async () => {
    const [pid] = await pidsMentioning(`${home}/instances/shop/`, 'mariadbd');
    expect(pid).toBeGreaterThan(0);
    // No warm-up: the pause 1.5 s in must land in the measured window.
    const child = spawn(process.execPath, [BIN, 'loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '3s', '--concurrency', '4', '--rate', '200', '--warmup', '0', '--json'],
      { env: { ...process.env, ...env(), NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b));
    const done = new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
    await new Promise((res) => setTimeout(res, 1500)); // connected and running
    let paused = 0;
    const t = Date.now();
    try {
      process.kill(pid, 'SIGSTOP');
      await new Promise((res) => setTimeout(res, 1000));
    } finally {
      process.kill(pid, 'SIGCONT');
      paused = Date.now() - t;
    }
    expect(await done).toBe(0);
    const d = JSON.parse(out).data;
    expect(d.total.max).toBeGreaterThanOrEqual(paused * 0.95);
    expect(d.total.p99).toBeGreaterThanOrEqual(paused * 0.9);
  });

  it('against an instance on this host the generator runs SCHED_BATCH (every thread), and normal when told', async () => {
    // /proc/<pid>/task/<tid>/stat field 41 is the policy: 0 SCHED_OTHER, 3 SCHED_BATCH.
    const policies = async (pid: number) => {
      const { readdir } = await import('node:fs/promises');
      const tids = await readdir(`/proc/${pid}/task`);
      return [...new Set(await Promise.all(tids.map(async (t) => Number((await readFile(`/proc/${pid}/task/${t}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ')[41 - 3]))))];
    };
    for (const [flags, policy, why] of [[[], 3, 'the server runs on this host'], [['--scheduler', 'normal'], 0, '--scheduler normal']] as const) {
      const child = spawn(process.execPath, [BIN, 'loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '3s', '--concurrency', '2', ...flags, '--json'],
        { env: { ...process.env, ...env(), NO_COLOR: '1' } });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b));
      let exited = false;
      const done = new Promise<number>((res) => child.on('close', (c) => { exited = true; res(c ?? 1); }));
      // Sampled all through the run (a fixed moment raced the start under load): batch must be seen on
      // every thread at once, normal must never give way to anything else.
      const samples: string[] = [];
      while (!exited) {
        const seen = await policies(child.pid!).catch(() => undefined); // gone between two checks
        if (seen) samples.push(seen.sort().join(','));
        await new Promise((res) => setTimeout(res, 150));
      }
      expect(await done).toBe(0);
      if (policy === 3) expect(samples, flags.join(' ')).toContain('3');
      else expect(new Set(samples), flags.join(' ')).toEqual(new Set(['0']));
      expect(JSON.parse(out).data.scheduling).toEqual({ policy: policy === 3 ? 'batch' : 'normal', why });
    }
    const human = await cli(['loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '1s', '--concurrency', '1']);
    expect(human.stdout).toMatch(/^scheduling: +batch \(the server runs on this host\)$/m);
  });

  it('connections the server kills mid-run are counted as errors and replaced; the run goes on', async () => {
    // No warm-up: the kill 1.5 s in must land in the measured window.
    const child = spawn(process.execPath, [BIN, 'loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '4s', '--concurrency', '4', '--warmup', '0', '--json'],
      { env: { ...process.env, ...env(), NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b));
    const done = new Promise<number>((res) => child.on('close', (c) => res(c ?? 1)));
    await new Promise((res) => setTimeout(res, 1500)); // connected and running
    const [mine] = await conns.shop.query<any[]>('SELECT CONNECTION_ID() AS id');
    const [load] = await conns.shop.query<any[]>("SELECT id FROM information_schema.PROCESSLIST WHERE db = 'loadtest' AND id <> ?", [mine[0].id]);
    expect(load.length).toBe(4);
    for (const { id } of load) await conns.shop.query(`KILL ${Number(id)}`);
    const selectsAtKill = await status('shop', 'Com_select');
    expect(await done).toBe(0);
    const d = JSON.parse(out).data;
    const errors = Object.values(d.errors as Record<string, number>).reduce((a, b) => a + b, 0);
    // Each killed connection fails the statement under way (and at most the next), then is replaced.
    expect(errors).toBeGreaterThanOrEqual(1);
    expect(errors).toBeLessThanOrEqual(8);
    expect(Object.keys(d.errors).every((k) => /PROTOCOL_CONNECTION_LOST|1927/.test(k)), JSON.stringify(d.errors)).toBe(true);
    const [after] = await conns.shop.query<any[]>("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE db = 'loadtest' AND id <> ?", [mine[0].id]);
    expect(Number(after[0].n)).toBe(0); // the replacements were closed at the end too
    // The load went on after the kill, on new connections: most of the run's selects came after it.
    expect(await status('shop', 'Com_select') - selectsAtKill).toBeGreaterThan(d.transactions * 0.3);
  });

  it('--replica-dsn: reads only to the read server (its Com_select), writes only to the primary', async () => {
    expect((await cli(['loadtest', 'prepare', '--dsn', dsn('shop2'), '--scale', '1', '--json'])).code).toBe(0);
    const before = { pSel: await status('shop', 'Com_select'), rSel: await status('shop2', 'Com_select'),
      rWrites: await status('shop2', 'Com_insert') + await status('shop2', 'Com_update'), pIns: await status('shop', 'Com_insert') };
    const r = await cli(['loadtest', 'run', '--dsn', dsn('shop'), '--replica-dsn', dsn('shop2'), '--workload', 'point-select', '--duration', '2s', '--concurrency', '4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json.data;
    expect(d.endpoints.map((e: any) => e.role)).toEqual(['primary', 'replica']);
    expect(d.endpoints[0].transactions).toBe(0);
    expect(await status('shop2', 'Com_select') - before.rSel).toBeGreaterThanOrEqual(d.transactions);
    // The primary saw only the store probe and the correctness check, not the load.
    expect(await status('shop', 'Com_select') - before.pSel).toBeLessThan(10);
    expect(d.replicaLag).toEqual([expect.objectContaining({ maxSeconds: null })]); // shop2 is not replicating: lag unknown

    const mix = await cli(['loadtest', 'run', '--dsn', dsn('shop'), '--replica-dsn', dsn('shop2'), '--duration', '2s', '--concurrency', '4', '--json']);
    expect(mix.code, mix.stderr).toBe(0);
    expect(await status('shop2', 'Com_insert') + await status('shop2', 'Com_update') - before.rWrites).toBe(0);
    expect(await status('shop', 'Com_insert') - before.pIns).toBeGreaterThan(0);
  });

  it('--workload <file.sql>: one type per statement, ids bound from the prepared store; an unreadable file → exit 2', async () => {
    const file = `${home}/mine.sql`;
    await writeFile(file, '-- my store queries\nSELECT name, price FROM products WHERE id = :product_id;\nUPDATE customers SET name = name WHERE id = :customer_id;\n');
    const r = await cli(['loadtest', 'run', 'shop', '--workload', file, '--duration', '1s', '--concurrency', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.byType.map((t: any) => [t.type, t.access, t.ok > 0])).toEqual([['q1', 'read', true], ['q2', 'write', true]]);
    expect(r.json.data.check.ok).toBe(true);
    const missing = await cli(['loadtest', 'run', 'shop', '--workload', `${home}/nope.sql`, '--duration', '1s']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error: Cannot read --workload .*nope\.sql: ENOENT/);
  });

  it('bad input: clear one-line errors with documented exit codes, nothing run', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['--concurrency', '0'], 2, /--concurrency must be a whole number from 1 to 4096 \(got "0"\)/],
      [['--concurrency', '-3'], 2, /--concurrency must be a whole number/],
      [['--duration', '0s'], 2, /--duration must be longer than zero/],
      [['--workload', 'tpcc'], 2, /Unknown --workload "tpcc"/],
      [['--read-replicas'], 5, /DB instance shop has no read replicas/],
    ];
    const orders = await count('shop', 'orders');
    for (const [args, code, message] of cases) {
      const r = await cli(['loadtest', 'run', 'shop', '--duration', '1s', ...args]);
      expect([r.code, r.stderr.split('\n').find((l) => l.startsWith('error:'))]).toEqual([code, expect.stringMatching(message)]);
    }
    expect(await count('shop', 'orders')).toBe(orders);
    const missing = await cli(['loadtest', 'run', 'nope', '--duration', '1s', '--json']);
    expect([missing.code, missing.json.error.code]).toEqual([4, 'INSTANCE_NOT_FOUND']);
    const unprepared = await cli(['loadtest', 'run', 'shop', '--database', 'empty_db', '--duration', '1s', '--json']);
    expect([unprepared.code, unprepared.json.error.code]).toEqual([5, 'LOADTEST_NOT_PREPARED']);
    expect(unprepared.json.error.hint).toMatch(/rdsctl loadtest prepare/);
    const unreachable = await cli(['loadtest', 'run', '--dsn', 'mysql://u@127.0.0.1:9/', '--duration', '1s', '--json']);
    expect([unreachable.code, unreachable.json.error.code]).toEqual([7, 'DB_UNREACHABLE']);
  });

  it('a violated checkout invariant is reported and exits 6 (the data is left for inspection)', async () => {
    await conns.shop.query('UPDATE loadtest.inventory SET stock = stock - 1 WHERE product_id = 7');
    try {
      const r = await cli(['loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '1s', '--concurrency', '2', '--json']);
      expect(r.code).toBe(6);
      const doc = r.json;
      expect(doc.ok).toBe(true); // one document: the report, whose check failed
      expect(doc.data.check).toMatchObject({ ok: false, stockMismatches: 1, negativeStock: 0 });
      expect(doc.data.check.examples[0]).toMatch(/^product 7: stock \d+ \+ sold \d+ ≠ initial \d+$/);
      const human = await cli(['loadtest', 'run', 'shop', '--workload', 'point-select', '--duration', '1s', '--concurrency', '2']);
      expect(human.code).toBe(6);
      expect(human.stdout).toMatch(/correctness check: FAILED — 1 stock mismatches/);
      expect(human.stderr).toMatch(/error: Checkout correctness check failed: product 7/);
    } finally {
      await conns.shop.query('UPDATE loadtest.inventory SET stock = stock + 1 WHERE product_id = 7');
    }
  });

  it('prepare on a terminal draws a progress bar on stderr; --drop asks first', async () => {
    const envTty: Record<string, string> = { ...(process.env as Record<string, string>), ...env(), TERM: 'xterm' };
    delete envTty.CI;
    // script(1) runs the CLI on a pseudo-terminal; what we type reaches it through the terminal.
    const script = (cmd: string, typed?: string) => new Promise<string>((res) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: envTty });
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b;
        if (typed && /\[y\/N\]/.test(out)) { child.stdin.write(typed); typed = undefined; }
      });
      child.on('close', () => res(out));
    });
    const shown = await script(`${process.execPath} ${BIN} loadtest prepare shop2 --scale 2 --drop --yes`);
    expect(shown).toMatch(/loading +.*100% \| 25050\/25050 rows/);
    expect(shown).toMatch(/prepared loadtest at --scale 2/);
    // A terminal without --yes is asked; answering no drops nothing.
    const asked = await script(`${process.execPath} ${BIN} loadtest prepare shop2 --scale 1 --drop`, 'n\r');
    expect(asked).toMatch(/Drop and rebuild the load-test tables in loadtest on .*\? \[y\/N\]/);
    expect(asked).toMatch(/Aborted: nothing was changed/);
    expect(await count('shop2', 'products')).toBe(2000);
    const json = await script(`${process.execPath} ${BIN} loadtest prepare shop2 --scale 2 --json`);
    expect(json).not.toMatch(/loading/);
  });

  it('--replica-dsn to a real MariaDB replica: reads there, replica lag sampled, the replica converges', async () => {
    // shop2 replicates database `rep` from shop (binlog file/position; shop2's own GTIDs would trip strict mode).
    const [[pos]] = await conns.shop.query<any[]>('SHOW MASTER STATUS');
    // Replication is set up by the server's root over its socket, as the control plane would: the master
    // user, as on RDS, holds neither SUPER nor REPLICATION SLAVE ADMIN.
    const admin = await mysql.createConnection({ socketPath: instancePaths(home, 'shop2').socket, user: 'root' });
    await admin.query('SET GLOBAL gtid_strict_mode = OFF');
    await admin.query("SET GLOBAL replicate_do_db = 'rep'");
    await admin.query('CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_SSL = 1, MASTER_USE_GTID = no, MASTER_LOG_FILE = ?, MASTER_LOG_POS = ?',
      [creds.shop.host, creds.shop.port, creds.shop.username, PASSWORD, pos.File, pos.Position]);
    await admin.query('START SLAVE');
    try {
      expect((await cli(['loadtest', 'prepare', '--dsn', dsn('shop').replace('/loadtest?', '/rep?'), '--scale', '1', '--json'])).code).toBe(0);
      const caughtUp = async (table: string) => {
        for (let i = 0; i < 100; i++) {
          const [[a]] = await conns.shop.query<any[]>(`SELECT COUNT(*) AS n FROM rep.${table}`);
          const [r] = await conns.shop2.query<any[]>(`SELECT COUNT(*) AS n FROM rep.${table}`).catch(() => [[{ n: -1 }]]);
          if (Number(r[0].n) === Number(a.n)) return Number(a.n);
          await new Promise((res) => setTimeout(res, 100));
        }
        throw new Error(`replica did not catch up on ${table}`);
      };
      expect(await caughtUp('order_items')).toBe(5000);
      const rSel = await status('shop2', 'Com_select');
      const r = await cli(['loadtest', 'run', '--dsn', dsn('shop').replace('/loadtest?', '/rep?'), '--replica-dsn', dsn('shop2').replace('/loadtest?', '/rep?'),
        '--duration', '3s', '--concurrency', '4', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const d = r.json.data;
      const reads = d.byType.filter((t: any) => t.access === 'read').reduce((a: number, t: any) => a + t.ok, 0);
      expect(await status('shop2', 'Com_select') - rSel).toBeGreaterThanOrEqual(reads);
      expect(d.replicaLag).toEqual([expect.objectContaining({ maxSeconds: expect.any(Number) })]); // a replicating server: a number, not unknown
      expect(d.replicaLag[0].samples).toBeGreaterThanOrEqual(2);
      expect(d.check.ok).toBe(true);
      expect(await caughtUp('orders')).toBe(2000 + d.byType.find((t: any) => t.type === 'checkout').ok + d.warmup.byType.find((t: any) => t.type === 'checkout').ok);
    } finally {
      await admin.query('STOP SLAVE');
      await admin.query('RESET SLAVE ALL');
      await admin.query("SET GLOBAL replicate_do_db = ''");
      await admin.end();
    }
  });

  it('a stopped instance → exit 5, named, with the command that starts it', async () => {
    expect((await cli(['stop', 'shop2', '--json'])).code).toBe(0);
    const r = await cli(['loadtest', 'run', 'shop2', '--duration', '1s']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/error: DB instance shop2 is stopped: `rdsctl start shop2`/);
    expect(r.stderr).toMatch(/rdsctl start shop2/);
  });
});
