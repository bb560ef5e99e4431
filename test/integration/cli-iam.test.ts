import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDBInstanceCommand, DescribeOrderableDBInstanceOptionsCommand } from '@aws-sdk/client-rds';
import { ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { connect, describe1, startHarness, waitAvailable, type Harness } from './endpoint-harness.js';
import { assumeRole, dbToken, iamClient, loginWith } from './iam-auth-helpers.js';
import { BIN, runCli } from '../helpers/local-cli.js';
import { startTmux } from '../helpers/tmux.js';
import { clientEnv, run } from '../helpers/aws-clients.js';
import { readEndpointFile } from '../../src/local/control/endpoint-file.js';

/**
 * `rdsctl iam enable | grant | revoke | token` and `connect --iam` on the local target, end to end: the
 * role is created with the AWS CLI (a client nobody here wrote), the application's login uses a role
 * assumed through STS and a token from @aws-sdk/rds-signer, against real mariadbd.
 */
let h: Harness;
let port: number;
let caFile: string;
let roleArn: string;
const cli = (...args: string[]) => runCli(args, { env: { RDSCTL_HOME: h.home }, input: '' });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });

beforeAll(async () => {
  h = await startHarness('cli-iam');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'iam2', Engine: 'mariadb', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'dbadmin', MasterUserPassword: 'Sup3r-secret-pw',
  }));
  await waitAvailable(h, 'iam2');
  port = (await describe1(h, 'iam2')).Endpoint!.Port!;
  caFile = readEndpointFile(h.home)!.caFile;
  const admin = await connect(h.home, 'iam2');
  await admin.query('CREATE DATABASE shop');
  await admin.query('CREATE TABLE shop.orders (id INT PRIMARY KEY)');
  await admin.end();
}, 240_000);

afterAll(async () => {
  await h?.close();
});

describe('rdsctl iam (local target)', () => {
  it('DescribeOrderableDBInstanceOptions says what this machine runs: SupportsIAMDatabaseAuthentication (the PAM route works here)', async () => {
    const out = await h.rds.send(new DescribeOrderableDBInstanceOptionsCommand({ Engine: 'mariadb', DBInstanceClass: 'db.t4g.micro' }));
    expect(out.OrderableDBInstanceOptions!.map((o) => o.SupportsIAMDatabaseAuthentication)).toEqual([true, true, true, true, true]);
  });

  it('grant before enable: exit 5 naming rdsctl iam enable iam2, nothing changed', async () => {
    const r = await cli('iam', 'grant', 'iam2', '--db-user', 'app', '--role', 'app-role');
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('rdsctl iam enable iam2');
  });

  it('iam enable turns it on (describe shows it); a second run changes nothing', async () => {
    const first = await cli('iam', 'enable', 'iam2');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('IAM database authentication enabled on iam2.');
    expect((await describe1(h, 'iam2')).IAMDatabaseAuthenticationEnabled).toBe(true);
    expect((await cli('describe', 'iam2')).stdout).toMatch(/IAM DB auth:\s+enabled/);
    const second = await cli('iam', 'enable', 'iam2', '--json');
    expect(second.json.data).toMatchObject({ changed: false });
  }, 120_000);

  it('unknown role: exit 4 naming rdsctl iam grant … --role', async () => {
    const r = await cli('iam', 'grant', 'iam2', '--db-user', 'app', '--role', 'no-such-role');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('IAM role no-such-role does not exist');
    expect(r.stderr).toContain('rdsctl iam grant iam2 --db-user app --role');
  });

  it('the AWS CLI creates the role against the endpoint\'s IAM', async () => {
    const r = await run('aws', ['iam', 'create-role', '--endpoint-url', h.info.url, '--role-name', 'app-role', '--assume-role-policy-document', trust, '--output', 'json'], { env: clientEnv(h.info), timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    roleArn = JSON.parse(r.stdout).Role.Arn;
    expect(roleArn).toBe('arn:aws:iam::000000000000:role/app-role');
  });

  it('--dry-run shows the policy document and changes nothing', async () => {
    const r = await cli('iam', 'grant', 'iam2', '--db-user', 'app', '--role', 'app-role', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"rds-db:connect"');
    expect(r.stdout).toMatch(/arn:aws:rds-db:us-east-1:000000000000:dbuser:db-[A-Z0-9]+\/app/);
    const iam = await iamClient(h.info);
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }))).AttachedPolicies).toEqual([]);
  });

  it('grant lets the role connect with the app privileges; a second grant changes nothing', async () => {
    const r = await cli('iam', 'grant', 'iam2', '--db-user', 'app', '--role', roleArn, '--database', 'shop', '--privileges', 'app');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Granted IAM access to iam2 as app:');
    const again = await cli('iam', 'grant', 'iam2', '--db-user', 'app', '--role', 'app-role', '--database', 'shop', '--privileges', 'app', '--json');
    expect(again.json.data).toMatchObject({ changed: false, actions: [] });
    const creds = await assumeRole(h.info, roleArn);
    const mysql = await import('mysql2/promise');
    const fs = await import('node:fs');
    const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'app', password: await dbToken(port, 'app', creds), enableCleartextPlugin: true, ssl: { ca: fs.readFileSync(caFile, 'utf8'), verifyIdentity: true } });
    await c.query('INSERT INTO shop.orders VALUES (1)');
    await expect(c.query('CREATE TABLE shop.t (x INT)')).rejects.toMatchObject({ errno: 1142 }); // app: DML, no DDL
    await c.end();
  }, 60_000);

  it('iam token prints a token that logs in; connect --iam --shell opens the client as the IAM user', async () => {
    const t = await cli('iam', 'token', 'iam2', '--db-user', 'app', '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(t.json.data.token).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port}/\\?Action=connect&DBUser=app&`));
    expect(await loginWith(caFile, port, 'app', t.json.data.token)).toBe('ok app@%');
    const shell = await runCli(['connect', 'iam2', '--iam', '--db-user', 'app', '--shell'], { env: { RDSCTL_HOME: h.home }, input: 'SELECT CURRENT_USER();\n' });
    expect(shell.code, shell.stderr).toBe(0);
    expect(shell.stdout).toContain('app@%');
  }, 60_000);

  it('connect --iam --shell in a real terminal: the mariadb client runs as app over TLS; the token is never shown', async () => {
    const tty = await startTmux('iam-shell', { env: { RDSCTL_HOME: h.home, NO_COLOR: '1', CI: undefined } });
    try {
      await tty.run(`node ${BIN} connect iam2 --iam --db-user app --shell`);
      await tty.waitFor(/MariaDB \[\(none\)\]>/);
      await tty.keys('-l', "SELECT CURRENT_USER(), VARIABLE_VALUE <> '' AS tls FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_cipher'\\g"); // \g: tmux reads a trailing ; as its own separator
      await tty.keys('Enter');
      await tty.waitFor(/\|\s*app@%\s*\|\s*1\s*\|/);
      await tty.keys('C-d');
      expect(await tty.exitCode()).toBe(0);
      expect(await tty.history()).not.toMatch(/X-Amz-Signature|Action=connect/);
    } finally {
      await tty.kill();
    }
  }, 60_000);

  it('revoke: the role is refused again; a second revoke changes nothing', async () => {
    const creds = await assumeRole(h.info, roleArn);
    const r = await cli('iam', 'revoke', 'iam2', '--db-user', 'app', '--role', 'app-role');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Revoked IAM access to iam2 as app:');
    expect(await loginWith(caFile, port, 'app', await dbToken(port, 'app', creds))).toBe('refused 1045');
    const again = await cli('iam', 'revoke', 'iam2', '--db-user', 'app', '--role', 'app-role', '--json');
    expect(again.json.data).toMatchObject({ changed: false });
  }, 60_000);
});
