import type { ColumnResolver, ShapeIssue, SqlShape, StatementKind, TableShape } from './types.js';
import { collectConjuncts, type Node } from './predicates.js';

interface Scope {
  /** Output aliases of the select list: `ORDER BY n` on `COUNT(*) n` sorts no table column. */
  outputAliases: Set<string>;
  byAlias: Map<string, TableShape>;
  shapes: TableShape[];
  resolve: ColumnResolver;
  issues: ShapeIssue[];
}

/** Lower case; node-sql-parser leaves a quoted identifier's doubled backtick (`we``ird`) as two: the name has one. */
/** A quoted qualifier (`w``x`.col) comes as { type: 'backticks_quote_string', value }. */
export const lc = (s: unknown) => {
  const v = s && typeof s === 'object' && 'value' in s ? (s as { value: unknown }).value : s;
  return String(v ?? '').toLowerCase().replace(/``/g, '`');
};

/** node-sql-parser spells a column either as a string or as { expr: { value } }. */
export function columnName(ref: Node): string {
  const c = ref.column as unknown;
  if (typeof c === 'string') return lc(c);
  const v = (c as { expr?: { value?: unknown } })?.expr?.value;
  return lc(v);
}

function addTable(scope: Scope, item: Node): void {
  if (!item || typeof item.table !== 'string') return;
  const name = lc(item.table);
  let shape = scope.shapes.find((s) => s.table === name && s.db === (item.db ? lc(item.db) : undefined));
  if (!shape) {
    shape = { table: name, db: item.db ? lc(item.db) : undefined, aliases: [], equality: [], range: [], join: [], joinWith: [],
      orderBy: [], orderDesc: false, groupBy: [], columns: [], star: false };
    scope.shapes.push(shape);
  }
  const alias = item.as ? lc(item.as) : name;
  if (!shape.aliases.includes(alias)) shape.aliases.push(alias);
  scope.byAlias.set(alias, shape);
  scope.byAlias.set(name, scope.byAlias.get(name) ?? shape);
}

/** The table a column reference belongs to, resolving aliases and unqualified names. */
export function ownerOf(scope: Scope, ref: Node): TableShape | undefined {
  if (ref.table) return scope.byAlias.get(lc(ref.table));
  if (scope.outputAliases.has(columnName(ref))) return undefined;
  if (scope.shapes.length === 1) return scope.shapes[0];
  const owner = scope.resolve(columnName(ref), scope.shapes.map((s) => s.table));
  return owner ? scope.shapes.find((s) => s.table === owner) : undefined;
}

const push = (list: string[], v: string) => { if (v && !list.includes(v)) list.push(v); };

/** Every column reference anywhere under a node (skipping nested SELECTs). */
function eachColumn(node: unknown, fn: (ref: Node) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) { node.forEach((n) => eachColumn(n, fn)); return; }
  const n = node as Node;
  if (n.type === 'column_ref') { fn(n); return; }
  if (n.type === 'select' || n.ast) return;
  for (const v of Object.values(n)) eachColumn(v, fn);
}

function noteColumns(scope: Scope, node: unknown): void {
  eachColumn(node, (ref) => {
    const col = columnName(ref);
    if (col === '*') {
      const owners = ref.table ? [scope.byAlias.get(lc(ref.table))] : scope.shapes;
      owners.forEach((s) => { if (s) s.star = true; });
      return;
    }
    const owner = ownerOf(scope, ref);
    if (owner) push(owner.columns, col);
  });
}

function applyOrder(scope: Scope, orderby: Node[] | null | undefined): void {
  if (!orderby?.length) return;
  const refs = orderby.map((o) => o.expr as Node);
  if (!refs.every((r) => r?.type === 'column_ref')) return;
  const owners = new Set(refs.map((r) => ownerOf(scope, r)));
  const dirs = new Set(orderby.map((o) => lc(o.type || 'asc')));
  const [owner] = [...owners];
  if (owners.size !== 1 || !owner || dirs.size !== 1) return;
  owner.orderBy = refs.map(columnName);
  owner.orderDesc = dirs.has('desc');
}

function applyGroup(scope: Scope, groupby: Node | Node[] | null | undefined): void {
  const cols = (Array.isArray(groupby) ? groupby : (groupby?.columns as Node[] | undefined)) ?? [];
  if (!cols.length || !cols.every((c) => c?.type === 'column_ref')) return;
  const owners = new Set(cols.map((c) => ownerOf(scope, c)));
  const [owner] = [...owners];
  if (owners.size === 1 && owner) owner.groupBy = cols.map(columnName);
}

function fromItems(ast: Node): Node[] {
  const list = (ast.type === 'update' ? ast.table : ast.from) as Node[] | null;
  return Array.isArray(list) ? list : [];
}

/** One statement's AST → per-table shape. Nested SELECTs (derived tables, IN-subqueries) are walked too. */
export function shapeFromAst(ast: Node, resolve: ColumnResolver = () => undefined): SqlShape {
  const outputAliases = new Set(((ast.columns as Node[] | null) ?? []).filter((c) => c?.as).map((c) => lc(c.as)));
  const scope: Scope = { outputAliases, byAlias: new Map(), shapes: [], resolve, issues: [] };
  const kind = (['select', 'update', 'delete', 'insert', 'replace'].includes(lc(ast.type)) ? lc(ast.type) : 'other') as StatementKind;
  const writes = kind === 'select' || kind === 'other' ? [] : ((ast.table as Node[] | null) ?? []).map((t) => lc(t.table));
  if (kind === 'insert' || kind === 'replace') return { kind, tables: [], writes, hasLimit: false, issues: [] };
  const nested: Node[] = [];
  for (const item of fromItems(ast)) {
    if (item.expr && (item.expr as Node).ast) nested.push((item.expr as Node).ast as Node);
    else addTable(scope, item);
  }
  for (const item of fromItems(ast)) {
    if (item.on) collectConjuncts(scope, item.on as Node, nested);
    if (Array.isArray(item.using)) usingJoin(scope, item, fromItems(ast));
  }
  if (ast.where) collectConjuncts(scope, ast.where as Node, nested);
  noteColumns(scope, [ast.columns, ast.where, ast.set, ast.groupby, ast.having, ast.orderby, fromItems(ast).map((f) => f.on)]);
  applyOrder(scope, ast.orderby as Node[] | null);
  applyGroup(scope, ast.groupby as Node | null);
  const shape: SqlShape = { kind, tables: scope.shapes, writes, hasLimit: Boolean((ast.limit as Node)?.value && ((ast.limit as Node).value as unknown[]).length), issues: scope.issues };
  for (const sub of nested) mergeShape(shape, shapeFromAst(sub, resolve));
  return shape;
}

/** JOIN t USING (c): t.c equals the same column of the table joined before it. */
function usingJoin(scope: Scope, item: Node, items: Node[]): void {
  const idx = items.indexOf(item);
  const right = scope.byAlias.get(lc(item.as ?? item.table));
  const left = idx > 0 ? scope.byAlias.get(lc(items[idx - 1].as ?? items[idx - 1].table)) : undefined;
  if (!right || !left) return;
  for (const u of item.using as Array<{ value?: unknown } | string>) {
    const col = lc(typeof u === 'string' ? u : u.value);
    for (const [a, b] of [[left, right], [right, left]]) {
      push(a.join, col);
      a.joinWith.push({ column: col, table: b.table });
    }
  }
}

function mergeShape(into: SqlShape, from: SqlShape): void {
  into.tables.push(...from.tables);
  into.issues.push(...from.issues);
}

export type { Scope };
