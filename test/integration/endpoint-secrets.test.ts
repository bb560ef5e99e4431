import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDBInstanceCommand, DeleteDBInstanceCommand, ModifyDBInstanceCommand } from '@aws-sdk/client-rds';
import {
  DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import mysql from 'mysql2/promise';
import { clientEnv, run } from '../helpers/aws-clients.js';
import { runCli } from '../helpers/local-cli.js';
import { secretFile } from '../../src/local/state/secrets.js';
import { readEndpointFile } from '../../src/local/control/endpoint-file.js';
import { describe1, errorName, sleep, startHarness, waitAvailable, waitFor, type Harness } from './endpoint-harness.js';

// Secrets Manager on the local endpoint (JSON 1.1, X-Amz-Target secretsmanager.*): the secret RDS makes for
// ManageMasterUserPassword, read by the SDK, boto3 and the AWS CLI, rotated by RotateMasterUserPassword.
let h: Harness;
let sm: SecretsManagerClient;
let ca: string;
let caFile: string;

beforeAll(async () => {
  h = await startHarness('ep-secrets');
  sm = new SecretsManagerClient({ endpoint: h.info.url, region: h.info.region, credentials: { accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey }, maxAttempts: 1 });
  caFile = readEndpointFile(h.home)!.caFile;
  ca = fs.readFileSync(caFile, 'utf8');
  const base = { DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20, MasterUsername: 'admin' };
  await h.rds.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: 'vault', ManageMasterUserPassword: true, StorageEncrypted: true }));
  await h.rds.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: 'plain', MasterUserPassword: 'Plain-passw0rd' }));
  await waitAvailable(h, 'vault');
  await waitAvailable(h, 'plain');
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const secretOf = (s: string | undefined) => JSON.parse(s!) as { username: string; password: string };
const port = async (id: string) => (await describe1(h, id)).Endpoint!.Port!;

async function canConnect(id: string, user: string, password: string): Promise<true | string> {
  try {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: await port(id), user, password, ssl: { ca, rejectUnauthorized: true } });
    await c.query('SELECT 1');
    await c.end();
    return true;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('the managed master password secret', () => {
  it('has the name and ARN RDS gives it, the ARN MasterUserSecret shows, and SecretString {username, password} that connects', async () => {
    const db = await describe1(h, 'vault');
    const arn = db.MasterUserSecret!.SecretArn!;
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:rds!db-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[A-Za-z0-9]{6}$/);
    const byArn = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
    const name = arn.split(':secret:')[1].slice(0, -7);
    expect(byArn).toMatchObject({ ARN: arn, Name: name, VersionStages: ['AWSCURRENT'] });
    expect(byArn.CreatedDate).toBeInstanceOf(Date);
    const { username, password } = secretOf(byArn.SecretString);
    expect(username).toBe('admin');
    expect(await canConnect('vault', username, password)).toBe(true);
    // By name, and by the ARN without its six-character suffix, as AWS accepts.
    expect((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe(byArn.SecretString);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: arn.slice(0, -7) }))).VersionId).toBe(byArn.VersionId);

    const d = await sm.send(new DescribeSecretCommand({ SecretId: arn }));
    expect(d).toMatchObject({ ARN: arn, Name: name, OwningService: 'rds', VersionIdsToStages: { [byArn.VersionId!]: ['AWSCURRENT'] } });
    expect(d.Tags).toContainEqual({ Key: 'aws:rds:primaryDBInstanceArn', Value: 'arn:aws:rds:us-east-1:000000000000:db:vault' });
    const list = await sm.send(new ListSecretsCommand({}));
    expect(list.SecretList!.map((s) => s.ARN)).toEqual([arn]); // `plain` has no managed password: no secret
    expect((await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['rds!'] }] }))).SecretList).toHaveLength(1);
    expect((await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['app/'] }] }))).SecretList).toEqual([]);

    // At rest: the instance's secret file, 0600; never in the control plane's log.
    expect(fs.statSync(secretFile(h.home, 'vault')).mode & 0o777).toBe(0o600);
    const logs = await runCli(['local', 'logs', '-n', '2000'], { env: { RDSCTL_HOME: h.home } });
    expect(logs.stdout).toContain('secretsmanager GetSecretValue 200');
    expect(logs.stdout).not.toContain(password);
  });

  it("answers AWS's errors: ResourceNotFoundException for an unknown secret or stage, InvalidParameterException without SecretId", async () => {
    const arn = (await describe1(h, 'vault')).MasterUserSecret!.SecretArn!;
    expect(await errorName(sm.send(new GetSecretValueCommand({ SecretId: 'rds!db-nope' })))).toBe('ResourceNotFoundException');
    expect(await errorName(sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' })))).toBe('ResourceNotFoundException');
    expect(await errorName(sm.send(new GetSecretValueCommand({ SecretId: arn, VersionId: '00000000-0000-0000-0000-000000000000' })))).toBe('ResourceNotFoundException');
    expect(await errorName(sm.send(new DescribeSecretCommand({ SecretId: '' })))).toBe('InvalidParameterException');
    const e = await sm.send(new GetSecretValueCommand({ SecretId: 'nope' })).catch((x) => x);
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.message).toBe("Secrets Manager can't find the specified secret.");
  });

  it('boto3 and the AWS CLI read the same secret; boto3 connects with it (mariadb client, password through MYSQL_PWD)', async () => {
    const arn = (await describe1(h, 'vault')).MasterUserSecret!.SecretArn!;
    const env = { ...clientEnv(h.info), SECRET_ARN: arn, DB_PORT: String(await port('vault')), CA_FILE: caFile };
    const script = [
      'import boto3, json, os, subprocess, hashlib',
      'sm = boto3.client("secretsmanager")',
      'v = sm.get_secret_value(SecretId=os.environ["SECRET_ARN"])',
      's = json.loads(v["SecretString"])',
      'assert v["VersionStages"] == ["AWSCURRENT"], v',
      'assert sm.describe_secret(SecretId=v["Name"])["OwningService"] == "rds"',
      'assert [x["ARN"] for x in sm.list_secrets()["SecretList"]] == [v["ARN"]]',
      'try:\n    sm.get_secret_value(SecretId="nope")\nexcept sm.exceptions.ResourceNotFoundException as e:\n    print("not found:", e.response["Error"]["Code"])',
      'r = subprocess.run(["mariadb", "-h127.0.0.1", "-P" + os.environ["DB_PORT"], "-u" + s["username"], "--ssl-ca=" + os.environ["CA_FILE"], "-N", "-e", "SELECT CURRENT_USER()"],',
      '                   env={**os.environ, "MYSQL_PWD": s["password"]}, capture_output=True, text=True)',
      'print("connected as", r.stdout.strip(), r.stderr.strip())',
      'print("sha256", hashlib.sha256(s["password"].encode()).hexdigest())',
    ].join('\n');
    const py = await run('python3', ['-c', script], { env, timeoutMs: 60_000 });
    expect(py.code, py.stderr).toBe(0);
    expect(py.stdout).toContain('not found: ResourceNotFoundException');
    expect(py.stdout).toMatch(/^connected as admin@%?\S* $/m);
    const cli = await run('aws', ['secretsmanager', 'get-secret-value', '--secret-id', arn, '--endpoint-url', h.info.url, '--output', 'json'], { env, timeoutMs: 60_000 });
    expect(cli.code, cli.stderr).toBe(0);
    const viaCli = secretOf(JSON.parse(cli.stdout).SecretString);
    const { createHash } = await import('node:crypto');
    expect(py.stdout).toContain(`sha256 ${createHash('sha256').update(viaCli.password).digest('hex')}`);
    const missing = await run('aws', ['secretsmanager', 'describe-secret', '--secret-id', 'nope', '--endpoint-url', h.info.url], { env, timeoutMs: 60_000 });
    expect(missing.stderr).toContain('(ResourceNotFoundException) when calling the DescribeSecret operation');
  }, 120_000);
});

describe('RotateMasterUserPassword', () => {
  it('is refused without ApplyImmediately and on a password RDS does not manage (InvalidParameterCombination), changing nothing', async () => {
    expect(await errorName(h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'vault', RotateMasterUserPassword: true })))).toBe('InvalidParameterCombination');
    expect(await errorName(h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'plain', RotateMasterUserPassword: true, ApplyImmediately: true })))).toBe('InvalidParameterCombination');
    expect((await describe1(h, 'vault')).DBInstanceStatus).toBe('available');
    expect(await canConnect('plain', 'admin', 'Plain-passw0rd')).toBe(true);
  });

  it('rotates for real: the old password is refused, the new one (AWSCURRENT) works, the old one is AWSPREVIOUS', async () => {
    const arn = (await describe1(h, 'vault')).MasterUserSecret!.SecretArn!;
    const before = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
    const old = secretOf(before.SecretString).password;
    const res = await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'vault', RotateMasterUserPassword: true, ApplyImmediately: true }));
    expect(res.DBInstance!.DBInstanceStatus).toBe('resetting-master-credentials');
    await sleep(200);
    await waitFor(h, 'vault', (d) => d.DBInstanceStatus === 'available', 'available after the rotation');
    const after = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
    const next = secretOf(after.SecretString).password;
    expect(next).not.toBe(old);
    expect(after.VersionId).not.toBe(before.VersionId);
    expect(await canConnect('vault', 'admin', next)).toBe(true);
    expect(await canConnect('vault', 'admin', old)).toBe('ER_ACCESS_DENIED_ERROR');
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }));
    expect(previous).toMatchObject({ VersionId: before.VersionId, VersionStages: ['AWSPREVIOUS'] });
    expect(secretOf(previous.SecretString).password).toBe(old);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: arn }));
    expect(d.VersionIdsToStages).toEqual({ [after.VersionId!]: ['AWSCURRENT'], [before.VersionId!]: ['AWSPREVIOUS'] });
    expect(d.LastRotatedDate).toBeInstanceOf(Date);
    expect((await describe1(h, 'vault')).MasterUserSecret?.SecretArn).toBe(arn); // same secret, new version
  }, 120_000);
});

describe('ManageMasterUserPassword turned on and off by ModifyDBInstance', () => {
  it('on: a new secret whose password connects; off (with a password of the caller): the secret is deleted', async () => {
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'plain', ManageMasterUserPassword: true, ApplyImmediately: true }));
    await waitFor(h, 'plain', (d) => d.DBInstanceStatus === 'available' && d.MasterUserSecret !== undefined, 'managed');
    const arn = (await describe1(h, 'plain')).MasterUserSecret!.SecretArn!;
    const { password } = secretOf((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString);
    expect(await canConnect('plain', 'admin', password)).toBe(true);
    expect(await canConnect('plain', 'admin', 'Plain-passw0rd')).toBe('ER_ACCESS_DENIED_ERROR');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'plain', ManageMasterUserPassword: false, MasterUserPassword: 'Plain-passw0rd-2', ApplyImmediately: true }));
    await waitFor(h, 'plain', (d) => d.DBInstanceStatus === 'available' && d.MasterUserSecret === undefined, 'unmanaged');
    expect(await errorName(sm.send(new GetSecretValueCommand({ SecretId: arn })))).toBe('ResourceNotFoundException');
    expect(await canConnect('plain', 'admin', 'Plain-passw0rd-2')).toBe(true);
  }, 120_000);
});

describe('KmsKeyId of an encrypted instance', () => {
  it("is the account's aws/rds KMS key ARN, not the DbiResourceId", async () => {
    const db = await describe1(h, 'vault');
    expect(db.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(db.KmsKeyId).not.toContain(db.DbiResourceId!);
    // The secret's key too: the aws/secretsmanager key's ARN, not an alias.
    expect(db.MasterUserSecret!.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
    expect(db.MasterUserSecret!.KmsKeyId).not.toBe(db.KmsKeyId);
  });
});

describe('deleting the instance', () => {
  it('deletes its secret', async () => {
    const arn = (await describe1(h, 'vault')).MasterUserSecret!.SecretArn!;
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'vault', SkipFinalSnapshot: true }));
    for (let i = 0; i < 300 && (await errorName(describe1(h, 'vault'))) === 'no error'; i++) await sleep(200);
    expect(await errorName(sm.send(new GetSecretValueCommand({ SecretId: arn })))).toBe('ResourceNotFoundException');
    expect((await sm.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    expect(fs.existsSync(secretFile(h.home, 'vault'))).toBe(false);
  }, 120_000);
});
