// analyze-queries throughput: time to analyze 1,000 distinct query classes (EXPLAIN, shapes, catalog,
// sampling, advice) against a real local mariadbd holding the e-commerce fixture, then the same with
// validation on a copy. Not a test; prints the numbers. Needs `npm run build` first.
// BENCH_ANALYZE_CLASSES=n overrides the class count.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaSql } from '../fixtures/ecommerce/schema.mjs';
import { insertStatements } from '../fixtures/ecommerce/generate.mjs';
import { report } from './result.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runner = path.join(repo, 'dist', 'services', 'analyze-run.js');
if (!existsSync(runner)) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
const N = Number(process.env.BENCH_ANALYZE_CLASSES ?? 1000);

const freePort = () => new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });

async function startServer(dir) {
  const cnf = path.join(dir, 'my.cnf');
  writeFileSync(cnf, ['[mysqld]', 'user=root', `datadir=${dir}/data`, `socket=${dir}/s.sock`, `pid-file=${dir}/m.pid`, `port=${await freePort()}`,
    'bind-address=127.0.0.1', 'skip-log-bin', `log-error=${dir}/err.log`, '[client]', `socket=${dir}/s.sock`, ''].join('\n'), { mode: 0o600 });
  execFileSync('mariadb-install-db', [`--defaults-file=${cnf}`, '--skip-test-db', '--skip-name-resolve'], { stdio: 'ignore' });
  const child = spawn('mariadbd', [`--defaults-file=${cnf}`], { detached: true, stdio: 'ignore' });
  child.unref();
  for (let i = 0; i < 100; i++) {
    try { execFileSync('mariadb-admin', [`--defaults-file=${cnf}`, 'ping'], { stdio: 'ignore' }); return { child, cnf }; } catch { await new Promise((r) => setTimeout(r, 200)); }
  }
  throw new Error('mariadbd did not start');
}

function load(cnf, db) {
  const sql = [`CREATE DATABASE \`${db}\`;`, `USE \`${db}\`;`, ...schemaSql({ foreignKeys: false }).map((s) => `${s};`), ...[...insertStatements(1)].map((s) => `${s};`)].join('\n');
  execFileSync('mariadb', [`--defaults-file=${cnf}`], { input: sql, maxBuffer: 1 << 28 });
}

/** N structurally different statements (distinct fingerprints): column subsets × predicates × sort. */
function workload(n) {
  const tables = { products: ['id', 'sku', 'category_id', 'name', 'price', 'status', 'created_at'], orders: ['id', 'customer_id', 'status', 'total', 'created_at'],
    customers: ['id', 'email', 'name', 'country', 'phone', 'created_at'], reviews: ['id', 'product_id', 'customer_id', 'rating', 'title', 'created_at'] };
  const out = [];
  for (let i = 0; out.length < n; i++) {
    const [t, cols] = Object.entries(tables)[i % 4];
    const k = Math.floor(i / 4);
    const subset = cols.filter((_c, j) => ((k % 63) + 1) & (1 << (j % 6)));
    const where = cols[1 + (k % (cols.length - 1))];
    const order = cols[(k >> 3) % cols.length];
    const limit = k % 2 ? ` LIMIT ${10 + (k % 5)}` : '';
    out.push(`SELECT ${subset.length ? subset.join(', ') : 'COUNT(*)'} FROM ${t} WHERE ${where} = '${k % 97}' AND id > ${k % 13} ORDER BY ${order}${k % 3 ? ' DESC' : ''}${limit};`);
  }
  return out;
}

/** SIGTERM to our mariadbd by pid, then wait until it is gone (at most 30 s). */
async function stop(pid) {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 300; i++) {
    try { process.kill(pid, 0); } catch { return; }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-analyze-'));
  let server;
  try {
    server = await startServer(dir);
    load(server.cnf, 'shop');
    load(server.cnf, 'shop_copy');
    const file = path.join(dir, 'workload.sql');
    writeFileSync(file, workload(N).join('\n'));
    const { runAnalyze } = await import(runner);
    const dsn = (db) => `mysql://root@localhost/${db}?socket=${encodeURIComponent(path.join(dir, 's.sock'))}`;
    const env = { target: 'local', home: dir, progress: () => {}, confirm: async () => {} };
    const timings = {};
    for (const [label, extra] of [['estimates only', { validate: false }], ['validated on a copy', { validateOn: dsn('shop_copy') }]]) {
      const t = performance.now();
      const r = await runAnalyze({ dsn: dsn('shop'), queries: file, ...extra }, env);
      const ms = performance.now() - t;
      const explained = r.queries.filter((q) => q.plan).length;
      const failed = r.queries.filter((q) => q.explainError);
      if (failed.length) console.log(`  ${failed.length} failed to EXPLAIN, e.g. ${failed[0].sample.slice(0, 80)}: ${failed[0].explainError.message}`);
      console.log(`${label}: ${r.workload.classes} classes (${explained} explained) in ${(ms / 1000).toFixed(2)} s = ${(ms / r.workload.classes).toFixed(2)} ms/class; ${r.recommendations.length} recommended, ${r.rejected.length} rejected`);
      timings[label] = { classes: r.workload.classes, ms, msPerClass: ms / r.workload.classes };
    }
    // No anchor tool to compare with: times, not ratios.
    report({ ratios: {}, timings });
  } finally {
    if (server?.child.pid) await stop(server.child.pid);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
