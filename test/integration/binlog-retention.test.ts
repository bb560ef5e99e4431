import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../src/db/session.js';
import { binlogRetentionProblem } from '../../src/services/binlog-source.js';
import { startMariadb, type TestMariadb } from '../helpers/mariadb.js';

// The aws preview's first question to the instance, `CALL mysql.rds_show_configuration`, asked of a
// real mariadbd through the session rdsctl uses. The procedure answers as RDS documents it (name, value,
// description); only this procedure stands in for RDS: the CALL's result shape is mysql2's own.
let m: TestMariadb;
beforeAll(async () => {
  m = await startMariadb();
  const c = await mysql.createConnection(m.connectOptions());
  await c.query("CREATE TABLE mysql.rds_configuration (name VARCHAR(100) PRIMARY KEY, value VARCHAR(100), description VARCHAR(300))");
  await c.query("INSERT INTO mysql.rds_configuration VALUES ('binlog retention hours', NULL, 'binlog retention hours specifies the duration in hours before binary logs are automatically deleted.'), ('source delay', '0', 'source delay specifies replication delay in seconds.')");
  await c.query('CREATE PROCEDURE mysql.rds_show_configuration() SELECT name, value, description FROM mysql.rds_configuration');
  await c.end();
}, 60_000);
afterAll(async () => {
  await m?.stop();
});

describe('binlog retention (aws preview path, real server)', () => {
  const session = () => openSession({ socketPath: m.socketPath, user: 'root', label: 'test' });
  it('NULL retention: the one-line answer naming the CALL that fixes it', async () => {
    const s = await session();
    try {
      expect(await binlogRetentionProblem(s, 'shop')).toBe("shop keeps no binlogs (binlog retention hours is not set): run CALL mysql.rds_set_configuration('binlog retention hours', 24) on it, then retry.");
    } finally {
      await s.close();
    }
  });
  it('24 hours: no objection', async () => {
    const c = await mysql.createConnection(m.connectOptions());
    await c.query("UPDATE mysql.rds_configuration SET value = '24' WHERE name = 'binlog retention hours'");
    await c.end();
    const s = await session();
    try {
      expect(await binlogRetentionProblem(s, 'shop')).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
