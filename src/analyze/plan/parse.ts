import type { PlanFlavor, PlanTable, QueryPlan } from './types.js';

/**
 * Parses EXPLAIN FORMAT=JSON from MySQL 8 or MariaDB 10.x into one model. Both nest a query_block
 * that holds `table` or `nested_loop[]`, wrapped in sorting/grouping/temporary nodes that differ by server
 * (MySQL: ordering_operation/grouping_operation/duplicates_removal; MariaDB: filesort/temporary_table/
 * read_sorted_file). We walk every object generically and collect tables in document order, which is
 * the join order on both servers.
 */
export function parseExplainJson(text: string | object): QueryPlan {
  const doc = (typeof text === 'string' ? JSON.parse(text) : text) as Record<string, unknown>;
  const block = doc.query_block as Record<string, unknown> | undefined;
  if (!block || typeof block !== 'object') throw new Error('not an EXPLAIN FORMAT=JSON document (no query_block)');
  const flavor = detectFlavor(doc);
  const acc: Walk = { tables: [], filesort: false, temporary: false, message: undefined };
  walk(block, acc, num(block.select_id) || 1, flavor);
  const cost = flavor === 'mysql8' ? num((block.cost_info as Record<string, unknown> | undefined)?.query_cost) : undefined;
  return summarize(flavor, acc, cost);
}

interface Walk {
  tables: PlanTable[];
  filesort: boolean;
  temporary: boolean;
  message?: string;
}

/** MySQL 8 always reports rows_examined_per_scan / cost_info; MariaDB reports plain `rows`. */
export function detectFlavor(doc: unknown): PlanFlavor {
  const text = JSON.stringify(doc);
  return /"rows_examined_per_scan"|"cost_info"|"rows_produced_per_join"/.test(text) ? 'mysql8' : 'mariadb';
}

export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return 0;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

function walk(node: unknown, acc: Walk, selectId: number, flavor: PlanFlavor): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, acc, selectId, flavor);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const sid = obj.select_id !== undefined ? num(obj.select_id) : selectId;
  noteFlags(obj, acc);
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'table' && value && typeof value === 'object' && !Array.isArray(value)) {
      const t = value as Record<string, unknown>;
      if (t.table_name !== undefined || t.access_type !== undefined) acc.tables.push(toTable(t, sid, flavor));
      else if (typeof t.message === 'string') acc.message ??= t.message;
      walk(t, acc, sid, flavor); // derived tables / materialized subqueries nest their own blocks
    } else if (key === 'block-nl-join' || key === 'hash-join') {
      const before = acc.tables.length;
      walk(value, acc, sid, flavor);
      const v = value as Record<string, unknown>;
      const kind = typeof v.join_type === 'string' ? `${key} (${v.join_type})` : key;
      for (const t of acc.tables.slice(before)) t.joinBuffer ??= kind;
    } else if (typeof value === 'object') {
      walk(value, acc, sid, flavor);
    } else if (key === 'message' && typeof value === 'string') {
      acc.message ??= value;
    }
  }
}

/** Sorting/temporary markers of both servers. */
function noteFlags(obj: Record<string, unknown>, acc: Walk): void {
  if (obj.using_filesort === true || 'filesort' in obj) acc.filesort = true;
  if (obj.using_temporary_table === true || 'temporary_table' in obj) acc.temporary = true;
  // MariaDB GROUP BY without an index: "filesort" with a "temporary_table" inside; MySQL uses the flags.
}

function toTable(t: Record<string, unknown>, selectId: number, flavor: PlanFlavor): PlanTable {
  const mysql = flavor === 'mysql8';
  const buffer = t.using_join_buffer ?? (t.block_nl_join ? 'block-nl-join' : undefined);
  return {
    table: String(t.table_name ?? '?'),
    accessType: String(t.access_type ?? 'ALL'),
    possibleKeys: strings(t.possible_keys),
    key: typeof t.key === 'string' ? t.key : undefined,
    usedKeyParts: strings(t.used_key_parts),
    ref: strings(t.ref),
    rowsPerScan: num(mysql ? t.rows_examined_per_scan : t.rows),
    filtered: t.filtered === undefined ? 100 : num(t.filtered),
    loops: 1,
    attachedCondition: typeof t.attached_condition === 'string' ? t.attached_condition : undefined,
    indexCondition: typeof t.index_condition === 'string' ? t.index_condition : undefined,
    coveringIndex: t.using_index === true,
    rowsProduced: mysql && t.rows_produced_per_join !== undefined ? num(t.rows_produced_per_join) : undefined,
    joinBuffer: typeof buffer === 'string' ? buffer : undefined,
    selectId,
  };
}

/**
 * Loops: within one select, table i is scanned once per row the tables before it produce
 * (Π rows × filtered). A table joined through a join buffer is scanned once per buffer refill; we count it
 * as once per outer row anyway (upper bound), because that is the cost a missing index causes.
 */
function summarize(flavor: PlanFlavor, acc: Walk, cost: number | undefined): QueryPlan {
  const bySelect = new Map<number, number>();
  let examined = 0;
  let produced = 1;
  for (const t of acc.tables) {
    const loops = bySelect.get(t.selectId) ?? 1;
    t.loops = loops;
    examined += loops * t.rowsPerScan;
    const out = t.rowsProduced ?? loops * t.rowsPerScan * (t.filtered / 100);
    bySelect.set(t.selectId, Math.max(out, t.rowsPerScan === 0 ? 0 : 1e-9));
    if (t.selectId === (acc.tables[0]?.selectId ?? 1)) produced = out;
  }
  return {
    flavor,
    tables: acc.tables,
    filesort: acc.filesort,
    temporaryTable: acc.temporary,
    cost: cost || undefined,
    rowsExamined: Math.round(examined),
    rowsProduced: acc.tables.length ? Math.round(produced) : 0,
    message: acc.message,
  };
}

/**
 * ANALYZE FORMAT=JSON (MariaDB): row combinations the join buffers compared — per block-nl-join node, the
 * outer rows joined (`r_loops`) × the buffered table's rows that passed its own condition
 * (`r_effective_rows`). The engine hands each inner row over once per buffer refill, so the Handler_read_*
 * counters miss this work, which is exactly what an index on the join column removes.
 */
export function joinBufferComparisons(doc: unknown): number {
  if (Array.isArray(doc)) return doc.reduce((s: number, d) => s + joinBufferComparisons(d), 0);
  if (!doc || typeof doc !== 'object') return 0;
  let sum = 0;
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if ((key === 'block-nl-join' || key === 'hash-join') && value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      const inner = (v.table ?? {}) as Record<string, unknown>;
      const effective = v.r_effective_rows !== undefined ? num(v.r_effective_rows) : (num(inner.r_rows) * num(inner.r_filtered ?? 100)) / 100;
      sum += num(v.r_loops) * effective;
    }
    sum += joinBufferComparisons(value);
  }
  return Math.round(sum);
}
