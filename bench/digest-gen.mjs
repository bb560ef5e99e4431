// Deterministic slow-log generator for the digest benchmark: MySQL 8 style entries mixed with MariaDB
// style headers (Thread_id/Schema, Rows_affected, Full_scan, explain lines), multi-line statements,
// `use` switches, administrator commands, IN lists and multi-row VALUES of varying length, comments,
// quoted strings with escapes, numbers inside table names (so classes depend on --preserve-embedded-numbers).
// No MariaDB restart banner: pt-query-digest cannot read those (see fixtures/slowlogs/README.md).
import { createWriteStream } from 'node:fs';

function rng(seed) {
  let s = seed | 0;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const list = (r, n, f) => Array.from({ length: n }, (_, i) => f(i)).join(', ');

/** Statement templates; `t` is a table number, so every template yields many classes. */
const TEMPLATES = [
  (r, t) => `SELECT * FROM orders_${t} WHERE id = ${r(1e6)}`,
  (r, t) => `SELECT id, email, name FROM customers_${t} WHERE email = 'user${r(1e5)}@example.com' AND deleted_at IS NULL`,
  (r, t) => `SELECT * FROM products_${t} WHERE id IN (${list(r, 1 + r(40), () => r(1e5))})`,
  (r, t) => `INSERT INTO order_items_${t} (order_id, product_id, qty, price) VALUES ${list(r, 1 + r(8), () => `(${r(1e6)}, ${r(1e4)}, ${1 + r(5)}, ${r(1e4) / 100})`)}`,
  (r, t) => `UPDATE stock_${t} SET qty = qty - ${1 + r(3)} WHERE product_id = ${r(1e4)} AND qty > 0`,
  (r, t) => `SELECT o.id, o.total, c.name\n  FROM orders_${t} o\n  JOIN customers_${t} c ON c.id = o.customer_id\n WHERE o.status = '${['new', 'paid', 'shipped'][r(3)]}'\n   AND o.created_at > '2026-11-${String(1 + r(28)).padStart(2, '0')} 00:00:00'\n ORDER BY o.created_at DESC\n LIMIT ${r(100)}, 20`,
  (r, t) => `/* app:report-${r(3)} */ SELECT country, COUNT(*) AS n FROM customers_${t} GROUP BY country ORDER BY n ASC`,
  (r, t) => `INSERT INTO sessions_${t} (token, user_id) VALUES ('${r(1e9).toString(16)}', ${r(1e5)}) ON DUPLICATE KEY UPDATE user_id = VALUES(user_id)`,
  (r, t) => `DELETE FROM carts_${t} WHERE updated_at < '2026-11-${String(1 + r(28)).padStart(2, '0')}' -- housekeeping\n`,
  (r, t) => `SELECT name FROM users_${t} WHERE note = 'it\\'s ${r(100)}' OR flag = TRUE LIMIT ${1 + r(50)}`,
];

function header(r, i, mariadb) {
  const qt = (r(1000) === 0 ? 1 + r(5) : r(20000) / 1e6).toFixed(6);
  const sec = String(i % 60).padStart(2, '0');
  const thread = 10 + r(50);
  if (mariadb) {
    return `# Time: 261120 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${sec}\n# User@Host: app[app] @  [10.0.0.${r(9)}]\n# Thread_id: ${thread}  Schema: shop  QC_hit: No\n` +
      `# Query_time: ${qt}  Lock_time: 0.000010  Rows_sent: ${r(50)}  Rows_examined: ${r(5000)}\n# Rows_affected: 0  Bytes_sent: ${r(900)}\n` +
      `# Full_scan: No  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No\n#\n# explain: id\tselect_type\ttable\ttype\n# explain: 1\tSIMPLE\tt\tref\n#\n`;
  }
  return `# Time: 2026-11-20T10:00:${sec}.${String(i % 1e6).padStart(6, '0')}Z\n# User@Host: app[app] @  [10.0.0.${r(9)}]  Id:    ${thread}\n` +
    `# Query_time: ${qt}  Lock_time: 0.000010 Rows_sent: ${r(50)}  Rows_examined: ${r(5000)}\n`;
}

/** Writes `entries` entries to `file`; resolves when flushed. Same seed → same bytes. */
export async function writeSlowLog(file, { entries = 500_000, seed = 20261120, tables = 250 } = {}) {
  const r = rng(seed);
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < entries; i++) {
    const mariadb = r(3) === 0;
    let e = header(r, i, mariadb);
    if (r(50) === 0) e += `use shop_${r(4)};\n`;
    e += `SET timestamp=${1795687200 + Math.floor(i / 100)};\n`;
    if (!mariadb && r(200) === 0) e += `# administrator command: ${['Quit', 'Ping', 'Init DB'][r(3)]};\n`;
    else e += `${TEMPLATES[r(TEMPLATES.length)](r, r(tables))};\n`;
    buf += e;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((ok) => out.once('drain', ok));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise((ok, fail) => out.on('finish', ok).on('error', fail));
}
