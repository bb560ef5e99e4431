import { describe, expect, it } from 'vitest';
import { parseDecimal, SlowLogParser, type SlowLogEntry } from '../../src/analyze/workload/slow-log-parser.js';

function parse(text: string): { entries: SlowLogEntry[]; malformed: number } {
  const entries: SlowLogEntry[] = [];
  const p = new SlowLogParser((e) => entries.push(e));
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const l of lines) p.push(l);
  p.end();
  return { entries, malformed: p.counters.malformed };
}

const mysqlEntry = (id: number, sql: string, extra = '') =>
  `# Time: 2026-11-20T10:00:01.123456Z\n# User@Host: app[app] @  [10.0.0.5]  Id:    ${id}\n# Query_time: 0.5  Lock_time: 0.1 Rows_sent: 2  Rows_examined: 30\n${extra}SET timestamp=1795687201;\n${sql}\n`;
const mariaEntry = (thread: number, schema: string, sql: string, extra = '') =>
  `# User@Host: app[app] @  [127.0.0.1]\n# Thread_id: ${thread}  Schema: ${schema}  QC_hit: No\n# Query_time: 0.000173  Lock_time: 0.000115  Rows_sent: 5  Rows_examined: 45\n# Rows_affected: 0  Bytes_sent: 317\n# Full_scan: Yes  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No\n#\n# explain: id\tselect_type\ttable\n# explain: 1\tSIMPLE\tproducts\n#\n${extra}SET timestamp=1795600801;\n${sql}\n`;

describe('SlowLogParser', () => {
  it('reads the MySQL 8 header fields and strips the statement terminator', () => {
    const { entries, malformed } = parse(mysqlEntry(12, 'SELECT 1;', 'use shop;\n'));
    expect(malformed).toBe(0);
    expect(entries).toEqual([
      { sql: 'SELECT 1', db: 'shop', threadId: '12', queryTime: 0.5, lockTime: 0.1, rowsSent: 2, rowsExamined: 30, time: '2026-11-20T10:00:01.123456Z', user: 'app', host: '10.0.0.5' },
    ]);
  });

  it('reads MariaDB entries (Thread_id/Schema line, Rows_affected, Full_scan and explain lines)', () => {
    const { entries } = parse(`# Time: 261120 10:00:01\n${mariaEntry(31, 'shop', 'SELECT id FROM products WHERE category_id = 3;')}`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ sql: 'SELECT id FROM products WHERE category_id = 3', db: 'shop', threadId: '31', queryTime: 0.000173, rowsSent: 5, rowsExamined: 45, time: '261120 10:00:01' });
  });

  it('keeps multi-line statements whole, including lines that start with # inside them', () => {
    const sql = 'SELECT id\n  FROM products\n# not a header: the previous line has no ;\n WHERE id = 1;';
    const { entries } = parse(mysqlEntry(1, sql) + mysqlEntry(1, 'SELECT 2;'));
    expect(entries.map((e) => e.sql)).toEqual(['SELECT id\n  FROM products\n# not a header: the previous line has no ;\n WHERE id = 1', 'SELECT 2']);
  });

  it('carries use db forward per connection, and an empty MariaDB Schema does not reset it', () => {
    const log = mariaEntry(1, 'shop', 'SELECT 1;', 'use `shop`;\n') + mariaEntry(2, '', 'SELECT 2;') + mariaEntry(1, '', 'SELECT 3;') + mariaEntry(2, '', 'SELECT 4;', 'use analytics;\n') + mariaEntry(2, '', 'SELECT 5;');
    expect(parse(log).entries.map((e) => [e.sql, e.db])).toEqual([['SELECT 1', 'shop'], ['SELECT 2', undefined], ['SELECT 3', 'shop'], ['SELECT 4', 'analytics'], ['SELECT 5', 'analytics']]);
  });

  it('drops MySQL and MariaDB restart banners wherever they appear', () => {
    const mysqlBanner = '/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\nTcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\nTime                 Id Command    Argument\n';
    const mariaBanner = 'mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:\nTcp port: 0  Unix socket: /tmp/s.sock\nTime\t\t    Id Command\tArgument\n';
    const { entries, malformed } = parse(mysqlBanner + mysqlEntry(1, 'SELECT 1;') + mariaBanner + mysqlEntry(2, 'SELECT 2;') + mysqlBanner);
    expect(malformed).toBe(0);
    expect(entries.map((e) => e.sql)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('reads administrator commands (after SET timestamp, as MySQL writes them)', () => {
    const admin = '# Time: 2026-11-20T10:00:05.000001Z\n# User@Host: app[app] @  [10.0.0.5]  Id:    12\n# Query_time: 0.000020  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 0\nSET timestamp=1795687205;\n# administrator command: Quit;\n';
    const { entries } = parse(admin + mysqlEntry(12, 'SELECT 1;'));
    expect(entries.map((e) => e.sql)).toEqual(['administrator command: Quit', 'SELECT 1']);
  });

  it.each([
    ['a header block with no statement', mysqlEntry(1, '').replace(/\n\n$/, '\n')],
    ['a statement cut off before its ;', mysqlEntry(1, 'UPDATE orders SET status = 1 WHERE id =')],
    ['a Query_time that is not a number', mysqlEntry(1, 'SELECT 9;').replace('Query_time: 0.5', 'Query_time: abc')],
  ])('skips and counts %s, and keeps the entries around it', (_name, bad) => {
    const { entries, malformed } = parse(mysqlEntry(1, 'SELECT 1;') + bad + mysqlEntry(1, 'SELECT 2;'));
    expect(malformed).toBe(1);
    expect(entries.map((e) => e.sql)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('counts stray text before the first entry as one malformed entry', () => {
    const { entries, malformed } = parse('copied from a terminal\nSELECT 9;\n' + mysqlEntry(1, 'SELECT 1;'));
    expect([entries.map((e) => e.sql), malformed]).toEqual([['SELECT 1'], 1]);
  });

  it('keeps text after a complete statement with that statement, as pt does (procedure bodies contain ;)', () => {
    const { entries } = parse(mysqlEntry(1, 'CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND;') + mysqlEntry(1, 'SELECT 3;'));
    expect(entries.map((e) => e.sql)).toEqual(['CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND', 'SELECT 3']);
  });

  it('counts a statement truncated at end of file', () => {
    const { entries, malformed } = parse(mysqlEntry(1, 'SELECT 1;') + mysqlEntry(1, 'SELECT id FROM t WHERE a IN (1, 2'));
    expect([entries.length, malformed]).toEqual([1, 1]);
  });

  it('tolerates CRLF line endings', () => {
    const { entries, malformed } = parse((mysqlEntry(1, 'SELECT 1;') + mysqlEntry(2, 'SELECT 2;')).replace(/\n/g, '\r\n'));
    expect([entries.map((e) => e.sql), malformed]).toEqual([['SELECT 1', 'SELECT 2'], 0]);
  });
});

describe('parseDecimal', () => {
  it.each(['0', '12', '0.000173', '1.204411', '30.670000', '00.000100', '1.', '.5', '.', '', '1e5', 'abc', '-1', '123456789012345678901.5'])(
    '%j gives exactly what Number() gives (sums must equal pt-query-digest\'s)',
    (s) => {
      expect(Object.is(parseDecimal(` ${s} `, 1, s.length + 1), Number(s))).toBe(true);
    },
  );
});
