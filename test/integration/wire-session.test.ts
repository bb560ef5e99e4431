import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWire, type WireSession } from '../../src/db/wire/session.js';
import { startMariadb, type TestMariadb } from '../helpers/mariadb.js';

// The load generator's wire session against a real mariadbd: what it returns must be what mysql2 returns
// (the rest of rdsctl reads results through mysql2), for every column type, NULLs, errors, several
// result sets, payloads over the protocol's 16 MiB packet limit and a connection the server drops.
describe('wire session (load generator) against a real mariadbd', () => {
  let db: TestMariadb;
  let ref: mysql.Connection;
  let wire: WireSession;
  const open = () => openWire({ socketPath: db.socketPath, user: 'root', database: 'w' });

  beforeAll(async () => {
    db = await startMariadb(['max_allowed_packet=64M', 'local_infile=ON']);
    ref = await mysql.createConnection({ ...db.connectOptions(), dateStrings: true, supportBigNumbers: true });
    await ref.query('CREATE DATABASE w CHARACTER SET utf8mb4');
    await ref.query('USE w');
    await ref.query(`CREATE TABLE t (
      id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,
      de DECIMAL(12,3), fl FLOAT, do DOUBLE, da DATE, dt DATETIME(6), ts TIMESTAMP NULL, tm TIME(3), yr YEAR,
      ch CHAR(4), vc VARCHAR(40), tx TEXT, bl BLOB, vb VARBINARY(8), en ENUM('a','b'), st SET('x','y'), bt BIT(8))`);
    await ref.query(`INSERT INTO t VALUES
      (1, -128, 255, -32768, -8388608, 4294967295, 9007199254740993, 18446744073709551615, -123456789.125, 1.5, -2.25e-10,
       '2026-12-01', '2026-12-01 13:14:15.123456', '2026-12-01 01:02:03', '-838:59:58.5', 2026, 'ab', 'héllo ✓ 😀', REPEAT('t', 300),
       X'00FF10', X'0102', 'b', 'x,y', b'10100101'),
      (2, 1, 0, 2, 3, 4, -5, 6, 0.5, 0, 0, '0000-00-00', '2026-01-01 00:00:00', NULL, '00:00:00', 1999, '', '', '', '', '', 'a', '', b'0'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
    await ref.query('CREATE PROCEDURE two() BEGIN SELECT id FROM t ORDER BY id; SELECT vc FROM t WHERE id = 1; END');
    wire = await open();
  });
  afterAll(async () => {
    await wire?.close();
    await ref?.end().catch(() => undefined);
    await db?.stop();
  });

  it('every column type, in binary (prepared) and text form, decodes as mysql2 decodes it', async () => {
    for (const id of [1, 2, 3]) {
      const [binary] = await ref.execute<any[]>('SELECT * FROM t WHERE id = ?', [id]);
      const [text] = await ref.query<any[]>(`SELECT * FROM t WHERE id = ${id}`);
      // Temporal values with fractional digits are written as the server writes them in text form
      // (DATETIME(6) '…00:00:00.000000', TIME(3) '-838:59:58.500'), where mysql2's binary parser drops
      // or trims the digits; every other column is what mysql2 gives in either protocol.
      const temporal = (r: Record<string, unknown>) => ({ dt: r.dt, tm: r.tm });
      expect(binary.map((r) => ({ ...r, ...temporal(text[0]) }))).toEqual(text);
      expect(await wire.exec('SELECT * FROM t WHERE id = ?', [id]), `row ${id}, prepared`).toEqual(text);
      expect(await wire.exec(`SELECT * FROM t WHERE id = ${id}`), `row ${id}, text`).toEqual(text);
    }
    const [row] = await wire.exec('SELECT bi, bu, vc, bl FROM t WHERE id = ?', [1]);
    expect(row).toEqual({ bi: '9007199254740993', bu: '18446744073709551615', vc: 'héllo ✓ 😀', bl: Buffer.from([0, 0xff, 0x10]) });
  });

  it('parameters of every kind reach the server as themselves', async () => {
    const big = 2 ** 40 + 7;
    const [row] = await wire.exec('SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e, ? AS f, ? AS g, ? AS h, ? AS i, HEX(?) AS j',
      [1, -1, big, -big, 'héllo', null, true, 1.5, 18446744073709551615n, Buffer.from([1, 2, 255])]);
    expect(row).toEqual({ a: 1, b: -1, c: big, d: -big, e: 'héllo', f: null, g: 1, h: 1.5, i: '18446744073709551615', j: '0102FF' });
    await expect(wire.exec('SELECT ? AS a', [{ not: 'a value' } as never])).rejects.toThrow(/parameter must be a number, bigint, string/);
    expect(await wire.exec('SELECT ? AS a', [2])).toEqual([{ a: 2 }]);
  });

  it('writes answer with affected rows and the insert id; errors carry errno, code and SQL state and leave the session usable', async () => {
    await wire.drain('CREATE TABLE c (id INT AUTO_INCREMENT PRIMARY KEY, v INT UNIQUE)');
    expect(await wire.exec('INSERT INTO c (v) VALUES (?), (?)', [10, 20])).toEqual([{ affectedRows: 2, insertId: 1 }]);
    await expect(wire.exec('INSERT INTO c (v) VALUES (?)', [10])).rejects.toMatchObject({ errno: 1062, code: 'ER_DUP_ENTRY', sqlState: '23000', fatal: false });
    await expect(wire.drain('SELECT * FROM no_such_table')).rejects.toMatchObject({ errno: 1146, code: 'ER_NO_SUCH_TABLE', message: expect.stringMatching(/no_such_table/) });
    await expect(wire.exec('SELECT ? AS a', [1, 2])).rejects.toThrow(/takes 1 parameter\(s\), 2 given/);
    expect(await wire.exec('SELECT v FROM c ORDER BY v', [])).toEqual([{ v: 10 }, { v: 20 }]);
  });

  it('one statement executed with changing parameter types, and again after a failed execute, binds each time right', async () => {
    const sql = 'SELECT ? AS v, ? IS NULL AS n';
    const answers = [];
    for (const p of [[1, 2], [3, 4], ['x', null], ['y', 5], [2.5, null], [7n, 1], [-7n, 1]] as const) answers.push((await wire.exec(sql, [...p]))[0]);
    expect(answers).toEqual([{ v: 1, n: 0 }, { v: 3, n: 0 }, { v: 'x', n: 1 }, { v: 'y', n: 0 }, { v: 2.5, n: 1 }, { v: 7, n: 0 }, { v: -7, n: 0 }]);
    await wire.drain('CREATE TABLE u (v INT UNIQUE)');
    const insert = 'INSERT INTO u (v) VALUES (?)';
    await wire.exec(insert, [1]);
    await expect(wire.exec(insert, [1])).rejects.toMatchObject({ errno: 1062 });
    await wire.exec(insert, [2]);
    await expect(wire.exec(insert, ['not a number'])).rejects.toMatchObject({ errno: 1366 });
    await wire.exec(insert, [3]);
    expect(await wire.exec('SELECT v FROM u ORDER BY v')).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
  });

  it('the server leaves out column definitions it already sent (MARIADB_CLIENT_CACHE_METADATA, as libmariadb asks); after DDL they come again', async () => {
    expect(wire.cachesMetadata).toBe(true);
    const sql = 'SELECT vc AS a_column_alias_long_enough_to_see_in_the_byte_count FROM t WHERE id = ?';
    const perExecute = async (run: () => Promise<unknown>, bytesSent: () => Promise<number>) => {
      await run();
      const before = await bytesSent();
      for (let i = 0; i < 20; i++) await run();
      return ((await bytesSent()) - before) / 20;
    };
    const wireBytes = await perExecute(() => wire.exec(sql, [1]), async () => Number((await wire.exec("SHOW SESSION STATUS LIKE 'Bytes_sent'"))[0].Value));
    const refBytes = await perExecute(() => ref.execute(sql, [1]), async () => Number((await ref.query<any[]>("SHOW SESSION STATUS LIKE 'Bytes_sent'"))[0][0].Value));
    // mysql2 gets the definition with every execute (90 bytes or so with that alias); the session does not.
    expect(refBytes - wireBytes).toBeGreaterThan(60);
    expect(await wire.exec(sql, [1])).toEqual([{ a_column_alias_long_enough_to_see_in_the_byte_count: 'héllo ✓ 😀' }]);

    await ref.query('CREATE TABLE m (id INT PRIMARY KEY, a INT)');
    await ref.query('INSERT INTO m VALUES (1, 10)');
    try {
      const select = 'SELECT * FROM m WHERE id = ?';
      expect(await wire.drain(select, [1])).toBe(1); // prepared, columns kept from the prepare
      expect(await wire.exec(select, [1])).toEqual([{ id: 1, a: 10 }]);
      await ref.query('ALTER TABLE m ADD COLUMN b VARCHAR(8) DEFAULT \'new\'');
      expect(await wire.exec(select, [1])).toEqual([{ id: 1, a: 10, b: 'new' }]);
      await ref.query('ALTER TABLE m DROP COLUMN a');
      expect(await wire.drain(select, [1])).toBe(1); // the changed definitions come with a drain: kept for the next exec
      expect(await wire.exec(select, [1])).toEqual([{ id: 1, b: 'new' }]);
      // Without CLIENT_DEPRECATE_EOF the definitions' EOF still comes when they are left out.
      const eof = await openWire({ socketPath: db.socketPath, user: 'root', database: 'w', flags: ['-DEPRECATE_EOF'] });
      try {
        expect(eof.cachesMetadata).toBe(true);
        for (let i = 0; i < 3; i++) expect(await eof.exec(select, [1])).toEqual([{ id: 1, b: 'new' }]);
        expect(await eof.exec('SELECT id FROM m WHERE id > ?', [0])).toEqual([{ id: 1 }]);
        expect(await eof.exec('SELECT id FROM m')).toEqual([{ id: 1 }]);
      } finally {
        await eof.close();
      }
    } finally {
      await ref.query('DROP TABLE m');
    }
  });

  it('drain reads every row of every result set without decoding; exec returns the first result set', async () => {
    expect(await wire.drain('SELECT seq FROM seq_1_to_5000')).toBe(5000);
    expect(await wire.drain('SELECT seq FROM seq_1_to_5000 WHERE seq > ?', [4000])).toBe(1000);
    expect(await wire.exec('CALL two()')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(await wire.drain('CALL two()')).toBe(4);
    expect(await wire.exec('SELECT 7 AS after_call')).toEqual([{ after_call: 7 }]);
  });

  it('payloads of 16 MiB and more, both ways, are split and joined as the protocol says', async () => {
    const n = 17 * 1024 * 1024;
    const [sent] = await wire.exec('SELECT LENGTH(?) AS n, RIGHT(?, 3) AS tail', ['x'.repeat(n) + 'end', 'abcdef']);
    expect(sent).toEqual({ n: n + 3, tail: 'def' });
    const [got] = await wire.exec('SELECT REPEAT(?, ?) AS s, 42 AS k', ['y', n]);
    expect((got.s as string).length).toBe(n);
    expect(got.k).toBe(42);
    // Exactly 2^24 - 1 bytes in one packet is followed by an empty one: the boundary case.
    expect(await wire.drain('SELECT REPEAT(?, ?) AS s', ['z', 0xffffff - 5])).toBe(1);
    expect(await wire.exec('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('commands from callers that do not wait are answered one at a time, each with its own result', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_v, i) => (i % 2 ? wire.exec('SELECT ? AS v', [i]) : wire.exec(`SELECT ${i} AS v`))));
    expect(answers.map((r) => r[0].v)).toEqual(Array.from({ length: 50 }, (_v, i) => i));
  });

  const prepared = async () => Number((await ref.query<any[]>("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'"))[0][0].Value);

  it('callers that do not wait share one prepare of a statement', async () => {
    const before = await prepared();
    const s = await open();
    const answers = await Promise.all(Array.from({ length: 20 }, (_v, i) => s.exec('SELECT ? + 100 AS v', [i])));
    expect(answers.map((r) => r[0].v)).toEqual(Array.from({ length: 20 }, (_v, i) => i + 100));
    expect(await prepared()).toBe(before + 1);
    await s.close();
  });

  it('keeps at most 256 statements prepared per connection, closing the oldest', async () => {
    const before = await prepared();
    const s = await open();
    for (let i = 0; i < 300; i++) expect(await s.exec(`SELECT ? + ${i} AS v`, [1])).toEqual([{ v: i + 1 }]);
    expect(await prepared()).toBe(before + 256);
    // The newest are the ones kept: running them again prepares nothing.
    for (let i = 299; i >= 44; i--) await s.exec(`SELECT ? + ${i} AS v`, [1]);
    expect(await prepared()).toBe(before + 256);
    await s.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(await prepared()).toBe(before);
  });

  it('LOAD DATA LOCAL is refused without loading anything, and the session goes on', async () => {
    const file = path.join(db.dir, 'rows.csv');
    await writeFile(file, '1\n2\n');
    await wire.drain('CREATE TABLE l (v INT)');
    await expect(wire.drain(`LOAD DATA LOCAL INFILE '${file}' INTO TABLE l`)).rejects.toMatchObject({ code: 'LOCAL_INFILE_UNSUPPORTED' });
    expect(await wire.exec('SELECT COUNT(*) AS n FROM l')).toEqual([{ n: 0 }]);
  });

  it('a connection the server kills fails the command under way, and every later one as fatal', async () => {
    const s = await open();
    const [{ id }] = await s.exec('SELECT CONNECTION_ID() AS id');
    // The outcome is caught at once: the rejection may come while the KILL below is still awaited.
    const sleeping = s.drain('SELECT SLEEP(30)').then(() => 'no error', (e: { fatal?: boolean; errno?: number }) => e);
    await new Promise((r) => setTimeout(r, 300));
    await ref.query(`KILL ${Number(id)}`);
    // MariaDB may answer the killed statement with ER_CONNECTION_KILLED (1927) before it closes the socket.
    const outcome = await sleeping;
    expect(outcome, String(outcome)).toSatisfy((e: { fatal?: boolean; errno?: number }) => e.fatal === true || e.errno === 1927);
    await expect(s.drain('SELECT 1')).rejects.toMatchObject({ fatal: true, code: 'PROTOCOL_CONNECTION_LOST' });
    await s.close();
  });
});
