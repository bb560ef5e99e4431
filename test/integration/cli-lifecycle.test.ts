import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { cleanupHome, pidsMentioning, runCli, tempHome } from '../helpers/local-cli.js';

// The whole life of one instance through the real CLI binary, the real SDK and the real local endpoint.
let home: string;
const env = () => ({ RDSCTL_HOME: home });
const cli = (args: string[], input?: string) => runCli([...args], { env: env(), input });

interface Creds { username: string; password: string; host: string; port: number; caFile: string }
let creds: Creds;

async function connect(): Promise<mysql.Connection> {
  const ca = await readFile(creds.caFile);
  return mysql.createConnection({
    host: creds.host, port: creds.port, user: creds.username, password: creds.password,
    ssl: { ca, verifyIdentity: true }, database: 'shop',
  });
}

beforeAll(async () => {
  home = await tempHome();
});

afterAll(async () => {
  const leftovers = await cleanupHome(home);
  expect(leftovers).toEqual([]);
});

describe('rdsctl on the local target', () => {
  it('provisions an encrypted instance and waits for available', async () => {
    const r = await cli(['provision', 'shop', '--manage-master-password', '--class', 'db.t4g.micro', '--db-name', 'shop', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const db = r.json.data.DBInstance;
    expect(db.DBInstanceIdentifier).toBe('shop');
    expect(db.DBInstanceStatus).toBe('available');
    expect(db.StorageEncrypted).toBe(true);
    expect(db.BackupRetentionPeriod).toBe(7);
    expect(db.AllocatedStorage).toBe(20);
    expect(db.Endpoint.Port).toBeGreaterThan(0);
    expect(r.json.target.kind).toBe('local');
  });

  it('prints the password only through `credentials`', async () => {
    const r = await cli(['credentials', 'shop', '--json']);
    expect(r.code, r.stderr).toBe(0);
    creds = r.json.data;
    expect(creds.password.length).toBeGreaterThanOrEqual(8);
    for (const args of [['describe', 'shop', '--json'], ['list'], ['connect', 'shop']]) {
      const other = await cli(args);
      expect(other.code).toBe(0);
      expect(other.stdout + other.stderr).not.toContain(creds.password);
    }
  });

  it('serves SQL over verified TLS and refuses plain TCP', async () => {
    const conn = await connect();
    await conn.query('CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(64))');
    await conn.query('INSERT INTO orders VALUES (1, ?)', ['first order']);
    const [rows] = await conn.query('SELECT note FROM orders WHERE id = 1');
    expect((rows as any[])[0].note).toBe('first order');
    const [cipher] = await conn.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    expect((cipher as any[])[0].Value).not.toBe('');
    await conn.end();
    await expect(
      mysql.createConnection({ host: creds.host, port: creds.port, user: creds.username, password: creds.password }),
    ).rejects.toThrow();
  });

  it('modify --class restarts with the bigger buffer pool', async () => {
    const before = await connect();
    const [[{ pool: poolBefore }]] = (await before.query('SELECT @@innodb_buffer_pool_size AS pool')) as any;
    await before.end();
    const r = await cli(['modify', 'shop', '--class', 'db.t4g.large', '--apply-immediately', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json.data.DBInstance.DBInstanceClass).toBe('db.t4g.large');
    const after = await connect();
    const [[{ pool }]] = (await after.query('SELECT @@innodb_buffer_pool_size AS pool')) as any;
    await after.end();
    expect(Number(pool)).toBeGreaterThan(Number(poolBefore));
  });

  it('reboots, stops and starts with the data intact', async () => {
    expect((await cli(['reboot', 'shop', '--json'])).json.data.DBInstance.DBInstanceStatus).toBe('available');
    const stopped = await cli(['stop', 'shop', '--json']);
    expect(stopped.json.data.DBInstance.DBInstanceStatus).toBe('stopped');
    await expect(connect()).rejects.toThrow();
    const started = await cli(['start', 'shop', '--json']);
    expect(started.json.data.DBInstance.DBInstanceStatus).toBe('available');
    const conn = await connect();
    const [rows] = await conn.query('SELECT note FROM orders WHERE id = 1');
    await conn.end();
    expect((rows as any[])[0].note).toBe('first order');
  });

  it('rejects bad input with documented exit codes and creates nothing', async () => {
    const cases: [string[], number, string][] = [
      [['provision', 'shop', '--manage-master-password'], 5, 'INSTANCE_EXISTS'],
      [['provision', '1shop', '--manage-master-password'], 2, 'INVALID_IDENTIFIER'],
      [['provision', 'other', '--manage-master-password', '--class', 'db.z9.huge'], 2, 'UNKNOWN_INSTANCE_CLASS'],
      [['provision', 'other', '--manage-master-password', '--storage', '10'], 2, 'INVALID_STORAGE'],
      [['provision', 'other', '--manage-master-password', '--backup-retention', '36'], 2, 'INVALID_RETENTION'],
      [['provision', 'other'], 2, 'MISSING_PASSWORD_SOURCE'],
      [['describe', 'nope'], 4, 'INSTANCE_NOT_FOUND'],
      [['delete', 'shop', '--skip-final-snapshot'], 2, 'CONFIRMATION_REQUIRED'],
    ];
    for (const [args, code, errorCode] of cases) {
      const r = await cli([...args, '--json']);
      expect({ args, code: r.code, errorCode: r.json?.error?.code }).toEqual({ args, code, errorCode });
      expect(r.json.error.message.split('\n')).toHaveLength(1);
    }
    const list = await cli(['list', '--json']);
    expect(list.json.data.DBInstances.map((d: any) => d.DBInstanceIdentifier)).toEqual(['shop']);
  });

  it('deletion protection refuses delete; an invalid final snapshot name deletes nothing', async () => {
    expect((await cli(['modify', 'shop', '--deletion-protection', '--apply-immediately', '--json'])).code).toBe(0);
    const refused = await cli(['delete', 'shop', '--yes', '--skip-final-snapshot', '--json']);
    expect(refused.code).toBe(5);
    expect(refused.json.error.message).toMatch(/deletion protection/i);
    expect((await cli(['modify', 'shop', '--no-deletion-protection', '--apply-immediately', '--json'])).code).toBe(0);
    const snap = await cli(['delete', 'shop', '--yes', '--final-snapshot', 'shop--final', '--json']);
    expect([snap.code, snap.json.error.code]).toEqual([2, 'INVALID_IDENTIFIER']);
    expect((await cli(['describe', 'shop', '--json'])).json.data.DBInstance.DBInstanceStatus).toBe('available');
  });

  it('delete removes the process and the files', async () => {
    const instanceDir = `${home}/instances/shop`;
    expect((await pidsMentioning(instanceDir, 'mariadbd')).length).toBe(1);
    const r = await cli(['delete', 'shop', '--yes', '--skip-final-snapshot', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await pidsMentioning(instanceDir, 'mariadbd')).toEqual([]);
    await expect(stat(instanceDir)).rejects.toThrow();
    expect((await cli(['describe', 'shop', '--json'])).code).toBe(4);
  });
});
