import { columnName, lc as ident, ownerOf, type Scope } from './extract.js';
import type { TableShape } from './types.js';

/** node-sql-parser AST nodes are loosely typed objects. */
export type Node = Record<string, unknown> & { type?: string };

const lc = (s: unknown) => String(s ?? '').toLowerCase();
const isCol = (n: unknown): boolean => (n as Node)?.type === 'column_ref';
const isLiteral = (n: unknown) => {
  const t = (n as Node)?.type ?? '';
  return ['number', 'single_quote_string', 'double_quote_string', 'string', 'bool', 'null', 'param', 'var', 'date', 'datetime', 'timestamp', 'time'].includes(t) ||
    ((n as Node)?.type === 'expr_list' && ((n as Node).value as unknown[]).every(isLiteral));
};
const push = (list: string[], v: string) => { if (v && !list.includes(v)) list.push(v); };

/** A number, or a list (IN, BETWEEN) holding one: compared to a string column, it converts every row. */
const hasNumber = (n: unknown): boolean => (n as Node)?.type === 'number' ||
  ((n as Node)?.type === 'expr_list' && Array.isArray((n as Node).value) && ((n as Node).value as Node[]).some((v) => v?.type === 'number'));

/** Short text of an expression for messages (column names and literals only). */
export function describe(n: unknown): string {
  const node = n as Node;
  if (!node || typeof node !== 'object') return String(n);
  if (node.type === 'column_ref') return `${node.table ? `${ident(node.table)}.` : ''}${columnName(node)}`;
  if (node.type === 'function') {
    const name = ((node.name as Node)?.name as Node[] | undefined)?.map((p) => p.value).join('.') ?? String(node.name);
    const args = ((node.args as Node)?.value as unknown[] | undefined) ?? [];
    return `${name}(${args.map(describe).join(', ')})`;
  }
  if (node.type === 'expr_list') return (node.value as unknown[]).map(describe).join(', ');
  if (node.type === 'number') return String(node.value);
  if (typeof node.value === 'string') return `'${node.value}'`;
  return String(node.type ?? '?');
}

function hasColumn(n: unknown): Node | undefined {
  if (!n || typeof n !== 'object') return undefined;
  if (isCol(n)) return n as Node;
  for (const v of Object.values(n as Node)) {
    const found = hasColumn(v);
    if (found) return found;
  }
  return undefined;
}

/** Splits on AND, treats each conjunct; ORs become one issue (no single index serves them). */
export function collectConjuncts(scope: Scope, node: Node, nested: Node[]): void {
  if (!node || typeof node !== 'object') return;
  const op = lc(node.operator);
  if (node.type === 'binary_expr' && op === 'and') {
    collectConjuncts(scope, node.left as Node, nested);
    collectConjuncts(scope, node.right as Node, nested);
    return;
  }
  if (node.parentheses && node.type === 'binary_expr' && op !== 'or') { predicate(scope, node, nested); return; }
  if (node.type === 'binary_expr' && op === 'or') { orIssue(scope, node, nested); return; }
  predicate(scope, node, nested);
}

function orIssue(scope: Scope, node: Node, nested: Node[]): void {
  const cols = new Set<string>();
  const visit = (n: Node) => {
    if (n?.type === 'binary_expr' && lc(n.operator) === 'or') { visit(n.left as Node); visit(n.right as Node); return; }
    const col = hasColumn(n);
    if (col) cols.add(`${ownerOf(scope, col)?.table ?? (col.table ? ident(col.table) : '?')}.${columnName(col)}`);
    predicate(scope, n, nested, false); // problems inside an OR still count; its columns do not feed indexes
  };
  visit(node);
  if (cols.size > 1) scope.issues.push({ kind: 'or-across-columns', columns: [...cols], detail: `OR across ${[...cols].join(', ')}` });
}

function findSubqueries(n: unknown, nested: Node[]): void {
  if (!n || typeof n !== 'object') return;
  const node = n as Node;
  if (node.ast && typeof node.ast === 'object') { nested.push(node.ast as Node); return; }
  if (node.type === 'select') { nested.push(node); return; }
  for (const v of Object.values(node)) findSubqueries(v, nested);
}

function predicate(scope: Scope, node: Node, nested: Node[], indexable = true): void {
  findSubqueries(node, nested);
  if (node.type !== 'binary_expr') return;
  const op = lc(node.operator);
  const [left, right] = [node.left as Node, node.right as Node];
  if (isCol(left) && isCol(right) && op === '=') return indexable ? joinPair(scope, left, right) : undefined;
  const [col, other] = isCol(left) ? [left, right] : isCol(right) && op === '=' ? [right, left] : [undefined, undefined];
  if (!col) return nonSargable(scope, node, op);
  const owner = ownerOf(scope, col);
  const name = columnName(col);
  if (hasNumber(other) && ['=', '<', '>', '<=', '>=', '<>', '!=', 'in', 'not in', 'between'].includes(op)) {
    scope.issues.push({ kind: 'compared-to-number', table: owner?.table, column: name, detail: `${describe(col)} ${op} ${describe(other)}` });
  }
  if (!owner) return;
  if (indexable) classify(owner, name, op, other, scope);
  else if (op === 'like' && typeof other?.value === 'string' && /^[%_]/.test(other.value)) {
    scope.issues.push({ kind: 'leading-wildcard', table: owner.table, column: name, detail: `${name} LIKE '${other.value}'` });
  }
}

function classify(owner: TableShape, name: string, op: string, other: Node, scope: Scope): void {
  if ((op === '=' || op === '<=>' || op === 'is') && isLiteral(other)) push(owner.equality, name);
  else if (op === 'in' && isLiteral(other)) {
    push(owner.equality, name);
    const n = Array.isArray(other.value) ? other.value.length : 1;
    owner.inValues = { ...owner.inValues, [name]: Math.max(n, owner.inValues?.[name] ?? 0) };
  }
  else if (['<', '>', '<=', '>=', 'between'].includes(op) && isLiteral(other)) push(owner.range, name);
  else if (op === 'like' && typeof other?.value === 'string') {
    if (/^[%_]/.test(other.value)) {
      scope.issues.push({ kind: 'leading-wildcard', table: owner.table, column: name, detail: `${name} LIKE '${other.value}'` });
    } else push(owner.range, name);
  }
}

function joinPair(scope: Scope, a: Node, b: Node): void {
  const [oa, ob] = [ownerOf(scope, a), ownerOf(scope, b)];
  if (!oa || !ob || oa === ob) return;
  push(oa.join, columnName(a));
  push(ob.join, columnName(b));
  oa.joinWith.push({ column: columnName(a), table: ob.table });
  ob.joinWith.push({ column: columnName(b), table: oa.table });
}

/** A comparison whose column side is wrapped in a function or expression cannot use an index on it. */
function nonSargable(scope: Scope, node: Node, op: string): void {
  if (!['=', '<', '>', '<=', '>=', 'in', 'between', 'like', '<>', '!='].includes(op)) return;
  const side = [node.left as Node, node.right as Node].find((s) => s && !isCol(s) && hasColumn(s) && (s.type === 'function' || s.type === 'binary_expr' || s.type === 'cast'));
  const col = side && hasColumn(side);
  if (!side || !col) return;
  scope.issues.push({ kind: 'function-on-column', table: ownerOf(scope, col)?.table, column: columnName(col), detail: `${describe(side)} ${op.toUpperCase()} …` });
}
