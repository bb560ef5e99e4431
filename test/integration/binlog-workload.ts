import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { runCli } from '../helpers/local-cli.js';

/**
 * The workload of the restore --preview / --before tests, on a real local instance: labelled
 * transactions in four separate seconds, a FLUSH BINARY LOGS between the 2nd and 3rd, a DELETE FROM
 * orders and a DROP TABLE orders. Each entry records the GTID the server gave it (@@last_gtid) and the
 * second it committed in (the group checks it stayed within one second).
 */
export interface LedgerEntry { label: string; gtid: string; second: number }

export const PASSWORD = 'Binlog-Preview-Passw0rd-8';

export async function connectAs(home: string, id: string) {
  const c = (await runCli(['credentials', id, '--json'], { env: { RDSCTL_HOME: home } })).json.data;
  return mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: PASSWORD, database: 'shop', ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
}

const GROUPS: Array<Array<[string, string[]]>> = [
  [
    ['create orders', ['CREATE TABLE orders (id INT PRIMARY KEY, v INT)']],
    ['create customers', ['CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20))']],
    ['insert 10 orders', ['INSERT INTO orders SELECT seq, seq FROM seq_1_to_10']],
    ['insert 3 customers', ["INSERT INTO customers VALUES (1,'a'),(2,'b'),(3,'c')"]],
  ],
  [
    ['update 4 orders', ['UPDATE orders SET v = v + 100 WHERE id <= 4']],
    ['customer + orders', ['BEGIN', "INSERT INTO customers VALUES (4,'d')", 'UPDATE orders SET v = 0 WHERE id = 10', 'COMMIT']],
  ],
  [
    ['delete 2 orders', ['DELETE FROM orders WHERE id <= 2']],
    ['insert customer 5', ["INSERT INTO customers VALUES (5,'e')"]],
  ],
  [
    ['insert order 11', ['INSERT INTO orders VALUES (11, 11)']],
    ['drop orders', ['DROP TABLE `shop`.`orders`']],
    ['insert customer 6', ["INSERT INTO customers VALUES (6,'f')"]],
  ],
];

export async function writeWorkload(home: string, id: string): Promise<LedgerEntry[]> {
  const conn = await connectAs(home, id);
  const ledger: LedgerEntry[] = [];
  try {
    const now = async () => Number(((await conn.query('SELECT UNIX_TIMESTAMP(NOW(3)) AS t')) as [Array<{ t: string }>, unknown])[0][0].t);
    for (const [i, group] of GROUPS.entries()) {
      if (i === 2) await conn.query('FLUSH BINARY LOGS');
      // Start right after a second begins, so the group commits within that second.
      const t = await now();
      await new Promise((r) => setTimeout(r, (Math.ceil(t + 0.001) - t) * 1000 + 30));
      const second = Math.floor(await now());
      for (const [label, statements] of group) {
        for (const s of statements) await conn.query(s);
        const [[row]] = (await conn.query('SELECT @@last_gtid AS g')) as [Array<{ g: string }>, unknown];
        ledger.push({ label, gtid: row!.g, second });
      }
      if (Math.floor(await now()) !== second) throw new Error(`workload group ${i} crossed a second boundary (machine too busy): rerun`);
    }
  } finally {
    await conn.end();
  }
  return ledger;
}
