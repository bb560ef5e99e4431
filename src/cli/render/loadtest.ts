import type { LiveLine } from '../../loadtest/runner.js';
import type { LoadRunReport } from '../../services/loadtest-run.js';
import type { PrepareResult } from '../../services/loadtest-prepare.js';
import { fitTable, renderFields, renderTable } from './table.js';

const f = (x: number, d = 1) => x.toFixed(d);

/** The live line on stderr, once a second (sysbench --report-interval's shape). */
export function renderLiveLine(l: LiveLine): string {
  return `[${f(l.elapsedS, 0).padStart(4)}s${l.warmup ? ' warm-up' : ''}] tps ${f(l.tps)}  qps ${f(l.qps)}  p95 ${f(l.p95Ms, 2)} ms  errors ${l.errors}`;
}

export function renderPrepare(r: PrepareResult, label: string): string {
  const head = r.loaded
    ? `prepared ${r.database} at --scale ${r.scale} on ${label} in ${f(r.seconds)}s${r.dropped ? ' (old tables dropped)' : ''}`
    : `${r.database} on ${label} is already prepared at --scale ${r.scale}: nothing to do (--drop rebuilds it)`;
  return [head, '', renderTable(['table', 'rows'], Object.entries(r.rows).map(([t, n]) => [t, n]))].join('\n');
}

/** `width`: the per-type table leaves out access, then sold out, then p99.9 when it would not fit (and says so). */
export function renderRun(r: LoadRunReport, width = Infinity): string {
  const mode = r.mode === 'open' ? `open loop at ${r.rate}/s (latency from each transaction's intended start)` : 'closed loop (latency from actual start)';
  const out = [
    renderFields([
      ['workload', r.workload], ['mode', mode], ['concurrency', r.concurrency],
      ['scheduling', `${r.scheduling.policy} (${r.scheduling.why})`],
      ['warm-up', r.warmup.seconds > 0 ? `${f(r.warmup.seconds)}s before, not measured (${r.warmup.transactions} transactions)` : 'none'],
      ['elapsed', `${f(r.elapsedS)}s${r.interrupted ? ' (interrupted: the transactions completed so far)' : ''}`],
      ['transactions', `${r.transactions} (${f(r.tps)}/s)`], ['queries', `${r.queries} (${f(r.qps)}/s)`],
      ['backlog', r.mode === 'open' ? `${r.backlog} arrivals not started when time was up` : undefined],
    ]),
    '',
    byTypeTable(['type', 'access', 'ok', 'sold out', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'p99.9 ms', 'max ms'],
      [...r.byType, { type: 'all', access: '', ok: r.byType.reduce((a, t) => a + t.ok, 0), soldOut: r.byType.reduce((a, t) => a + t.soldOut, 0),
        errors: r.byType.reduce((a, t) => a + t.errors, 0), latencyMs: r.total }]
        .map((t) => [t.type, t.access, t.ok, t.soldOut, t.errors, f(t.latencyMs.p50, 2), f(t.latencyMs.p95, 2), f(t.latencyMs.p99, 2), f(t.latencyMs.p999, 2), f(t.latencyMs.max, 2)]), width),
  ];
  const errors = Object.entries(r.errors);
  out.push('', errors.length ? renderTable(['error', 'count'], errors) : 'errors: none');
  out.push('', renderTable(['endpoint', 'role', 'transactions', 'queries'], r.endpoints.map((e) => [e.endpoint, e.role, e.transactions, e.queries])));
  if (r.replicaLag.length) {
    out.push('', renderTable(['replica', 'max lag seen', 'samples'], r.replicaLag.map((l) => [l.endpoint, l.maxSeconds === null ? 'unknown' : `${l.maxSeconds}s`, l.samples])));
  }
  out.push('', renderCheck(r));
  return out.join('\n');
}

function byTypeTable(headers: string[], rows: (string | number)[][], width: number): string {
  const { text, dropped } = fitTable(headers, rows, width, ['p99.9 ms', 'sold out', 'access']);
  return dropped.length ? `${text}\n(${dropped.join(', ')} not shown at ${width} columns: --json has every column)` : text;
}

function renderCheck(r: LoadRunReport): string {
  const c = r.check;
  if (!c && r.interrupted) return 'correctness check: not run (interrupted; run the load again to check)';
  if (!c) return 'correctness check: not run (no load-test store in this database)';
  if (c.ok) return `correctness check: ok — ${c.products} products: stock + sold = initial, none negative; ${c.orders} orders: totals = their items`;
  return [`correctness check: FAILED — ${c.stockMismatches} stock mismatches, ${c.negativeStock} negative stock, ${c.orderTotalMismatches} order totals wrong`,
    ...c.examples.map((e) => `  ${e}`)].join('\n');
}
