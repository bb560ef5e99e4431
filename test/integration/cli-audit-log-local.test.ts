import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { CreateOptionGroupCommand, DeleteOptionGroupCommand, DescribeDBLogFilesCommand, DescribeOptionGroupOptionsCommand, DescribeOptionGroupsCommand, ModifyOptionGroupCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalEndpoint } from '../../src/local/control/endpoint.js';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// The audit log end to end on the local target: rdsctl audit-log through the option-group API, real
// server_audit on a real mariadbd, read back through DownloadDBLogFilePortion (rdsctl logs --audit).
let home: string;
let rds: RDSClient;
const PASSWORD = 'Audit-CLI-Passw0rd-12';
const MARKER = `marker-pw-${randomBytes(4).toString('hex')}`;
const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD } });

async function connect(user = 'admin', password = PASSWORD): Promise<mysql.Connection> {
  const c = (await cli(['credentials', 'shop', '--json'])).json.data;
  return mysql.createConnection({ host: c.host, port: c.port, user, password, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
}

async function errno(conn: mysql.Connection, sql: string): Promise<number | 'ok'> {
  return conn.query(sql).then(() => 'ok' as const, (e: { errno: number }) => e.errno);
}

async function auditText(): Promise<string> {
  const r = await cli(['logs', 'shop', '--audit', '-n', '10000', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json.data.LogFileData as string;
}

async function uptime(conn: mysql.Connection): Promise<number> {
  const [rows] = await conn.query("SHOW GLOBAL STATUS LIKE 'Uptime'");
  return Number((rows as { Value: string }[])[0].Value);
}

beforeAll(async () => {
  home = await tempHome('rdsctl-cli-audit-');
  const r = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--db-name', 'shop', '--master-username', 'admin', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const info = await ensureLocalEndpoint(home);
  rds = new RDSClient({ endpoint: info.url, region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey }, maxAttempts: 1 });
});
afterAll(async () => {
  rds?.destroy();
  if (home) await cleanupHome(home);
});

describe('rdsctl audit-log on the local target', () => {
  it('plans (dry run changes nothing), then enables without a restart on a group of its own', async () => {
    const before = await cli(['logs', 'shop', '--audit']);
    expect(before.code).toBe(4);
    const dry = await cli(['audit-log', 'enable', 'shop', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json.data.plan).toMatchObject({ optionGroup: 'shop-audit', createsGroup: true, movesInstance: true, restarts: false, events: 'CONNECT,QUERY_DDL,QUERY_DCL' });
    await expect(rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: 'shop-audit' }))).rejects.toMatchObject({ name: 'OptionGroupNotFoundFault' });

    const bad = await cli(['audit-log', 'enable', 'shop', '--events', 'CONNECT,LOGINS']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown event LOGINS/);

    const conn = await connect();
    const up = await uptime(conn);
    const r = await cli(['audit-log', 'enable', 'shop']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('Nothing restarts');
    expect(await uptime(conn)).toBeGreaterThanOrEqual(up); // the same server process: no restart
    await conn.end();
    const described = await cli(['describe', 'shop', '--json']);
    expect(JSON.stringify(described.json.data)).toMatch(/"OptionGroupName":"shop-audit","Status":"in-sync"/);
    const files = await rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'shop' }));
    expect(files.DescribeDBLogFiles?.map((f) => f.LogFileName)).toContain('audit/server_audit.log');
  }, 120_000);

  it('records a DDL and a failed login, and holds no password (CREATE USER, ALTER USER, SET PASSWORD)', async () => {
    const conn = await connect();
    await conn.query('CREATE TABLE shop.audited (id INT)');
    await conn.query(`CREATE USER m1@'%' IDENTIFIED BY '${MARKER}-1'`);
    await conn.query(`ALTER USER m1@'%' IDENTIFIED BY '${MARKER}-2'`);
    expect(await errno(conn, `GRANT SELECT ON shop.* TO m1@'%' IDENTIFIED BY '${MARKER}-3'`)).toBe(1044); // master user: no writes to mysql.*
    await conn.end();
    const m1 = await connect('m1', `${MARKER}-2`);
    await m1.query(`SET PASSWORD = PASSWORD('${MARKER}-4')`);
    await m1.end();
    await expect(connect('admin', 'wrong-password')).rejects.toMatchObject({ errno: 1045 });

    const text = await auditText();
    expect(text).toMatch(/,admin,127\.0\.0\.1,\d+,\d+,QUERY,\w*,'CREATE TABLE shop\.audited \(id INT\)',0/);
    expect(text).toMatch(/,admin,127\.0\.0\.1,\d+,0,FAILED_CONNECT,,,1045/);
    expect(text).toMatch(/CREATE USER m1@\\'%\\' IDENTIFIED BY \*\*\*\*\*/);
    expect(text).not.toContain('marker-pw');
  });

  it('the master user cannot turn it off: SET GLOBAL and UNINSTALL are refused, and logging goes on', async () => {
    const conn = await connect();
    expect(await errno(conn, 'SET GLOBAL server_audit_logging = OFF')).toBe(1227);
    expect(await errno(conn, "SET GLOBAL server_audit_events = 'CONNECT'")).toBe(1227);
    expect(await errno(conn, "UNINSTALL SONAME 'server_audit'")).toBe(1142);
    expect(await errno(conn, 'UNINSTALL PLUGIN server_audit')).toBe(1142);
    const [rows] = await conn.query("SELECT PLUGIN_STATUS AS s FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'SERVER_AUDIT'");
    expect(rows).toEqual([{ s: 'ACTIVE' }]);
    await conn.query('CREATE TABLE shop.after_attempts (id INT)');
    await conn.end();
    expect(await auditText()).toContain("'CREATE TABLE shop.after_attempts (id INT)'");
  });

  it('the option-group API: defaults, DescribeOptionGroupOptions, a group in use cannot be deleted, bad settings change nothing', async () => {
    const opts = await rds.send(new DescribeOptionGroupOptionsCommand({ EngineName: 'mariadb', MajorEngineVersion: '10.11' }));
    expect(opts.OptionGroupOptions?.map((o) => o.Name)).toEqual(['MARIADB_AUDIT_PLUGIN']);
    expect(opts.OptionGroupOptions?.[0].OptionGroupOptionSettings?.map((s) => s.SettingName)).toContain('SERVER_AUDIT_EVENTS');
    const all = await rds.send(new DescribeOptionGroupsCommand({ EngineName: 'mariadb' }));
    expect(all.OptionGroupsList?.map((g) => g.OptionGroupName)).toEqual(['default:mariadb-10-11', 'shop-audit']);
    const mine = all.OptionGroupsList![1];
    expect(mine.Options?.[0].OptionSettings?.find((s) => s.Name === 'SERVER_AUDIT_EVENTS')?.Value).toBe('CONNECT,QUERY_DDL,QUERY_DCL');
    await expect(rds.send(new DeleteOptionGroupCommand({ OptionGroupName: 'shop-audit' }))).rejects.toMatchObject({ name: 'InvalidOptionGroupStateFault' });
    await expect(rds.send(new ModifyOptionGroupCommand({ OptionGroupName: 'default:mariadb-10-11', OptionsToRemove: ['MARIADB_AUDIT_PLUGIN'] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(rds.send(new ModifyOptionGroupCommand({
      OptionGroupName: 'shop-audit', OptionsToInclude: [{ OptionName: 'MARIADB_AUDIT_PLUGIN', OptionSettings: [{ Name: 'SERVER_AUDIT_FILE_ROTATIONS', Value: '500' }] }],
    }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(rds.send(new CreateOptionGroupCommand({ OptionGroupName: 'shop-audit', EngineName: 'mariadb', MajorEngineVersion: '10.11', OptionGroupDescription: 'x' })))
      .rejects.toMatchObject({ name: 'OptionGroupAlreadyExistsFault' });
    const again = await rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: 'shop-audit' }));
    expect(again.OptionGroupsList?.[0].Options?.[0].OptionSettings?.find((s) => s.Name === 'SERVER_AUDIT_FILE_ROTATIONS')?.Value).toBe('9');
  });

  it('keeps the audit log over a reboot; disable turns logging off (as root) and new DDL is no longer logged', async () => {
    const rebooted = await cli(['reboot', 'shop']);
    expect(rebooted.code, rebooted.stderr).toBe(0);
    let conn = await connect();
    await conn.query('CREATE TABLE shop.after_reboot (id INT)');
    await conn.end();
    expect(await auditText()).toContain("'CREATE TABLE shop.after_reboot (id INT)'");

    const off = await cli(['audit-log', 'disable', 'shop', '--json']);
    expect(off.code, off.stderr).toBe(0);
    expect(off.json.data).toMatchObject({ changed: true, optionGroup: 'shop-audit' });
    conn = await connect();
    const [rows] = await conn.query('SELECT @@GLOBAL.server_audit_logging AS v');
    expect(rows).toEqual([{ v: 0 }]);
    await conn.query('CREATE TABLE shop.unaudited (id INT)');
    await conn.end();
    expect(await auditText()).not.toContain('shop.unaudited');
    const twice = await cli(['audit-log', 'disable', 'shop']);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain('was not on');
  }, 120_000);
});
