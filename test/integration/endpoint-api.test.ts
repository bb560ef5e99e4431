import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateDBInstanceCommand, DeleteDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand, waitUntilDBInstanceDeleted,
  StartDBInstanceCommand,
  type CreateDBInstanceCommandInput,
} from '@aws-sdk/client-rds';
import { CloudWatchClient, DescribeAnomalyDetectorsCommand } from '@aws-sdk/client-cloudwatch';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import fs from 'node:fs';
import { connect, describe1, rdsClient, startHarness, waitAvailable, type Harness } from './endpoint-harness.js';

const run = promisify(execFile);
let h: Harness;
const base: CreateDBInstanceCommandInput = {
  DBInstanceIdentifier: 'x', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
  MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!',
};

beforeAll(async () => {
  h = await startHarness('ep-api');
  await h.rds.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: 'alpha', DeletionProtection: true, StorageEncrypted: true }));
  await h.rds.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: 'beta', ManageMasterUserPassword: true, MasterUserPassword: undefined }));
  await waitAvailable(h, 'alpha');
  await waitAvailable(h, 'beta');
});
afterAll(async () => {
  if (!h) return;
  await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'alpha', DeletionProtection: false })).catch(() => undefined);
  await h.close();
});

async function ids(): Promise<string[]> {
  const out = await h.rds.send(new DescribeDBInstancesCommand({}));
  return out.DBInstances!.map((d) => d.DBInstanceIdentifier!);
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

/** A correctly signed raw Query request (for actions the SDK has no command for). */
async function signedPost(body: string, date = new Date()): Promise<Response> {
  const url = new URL(h.info.url);
  const signer = new SignatureV4({ service: 'rds', region: 'us-east-1', sha256: Sha256, applyChecksum: false, credentials: { accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey } });
  const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', body,
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' } });
  const signed = await signer.sign(req, { signingDate: date });
  return fetch(h.info.url, { method: 'POST', headers: signed.headers, body });
}

describe('authentication (SigV4)', () => {
  it('rejects an unsigned request with 403 and creates nothing', async () => {
    const res = await fetch(h.info.url, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=CreateDBInstance&Version=2014-10-31&DBInstanceIdentifier=unsigned&DBInstanceClass=db.t4g.micro&Engine=mariadb&AllocatedStorage=20&MasterUsername=admin&MasterUserPassword=Sup3r-secret!',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(await ids()).toEqual(['alpha', 'beta']);
  });

  it('rejects a wrong secret and an unknown key with 403 and creates nothing', async () => {
    const wrong = await rdsClient(h.info, 'not-the-secret-not-the-secret-not-the-s');
    const e1 = await errorOf(wrong.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: 'wrongsig' })));
    expect(e1).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    const stranger = await rdsClient(h.info, h.info.secretAccessKey, 'AKIAIOSFODNN7EXAMPLE');
    const e2 = await errorOf(stranger.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: 'stranger' })));
    expect(e2).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    expect(await ids()).toEqual(['alpha', 'beta']);
  });

  it('rejects a request signed 20 minutes ago, accepts a fresh one', async () => {
    const old = await signedPost('Action=DescribeDBInstances&Version=2014-10-31', new Date(Date.now() - 20 * 60_000));
    expect(old.status).toBe(403);
    expect(await old.text()).toContain('Signature expired');
    const fresh = await signedPost('Action=DescribeDBInstances&Version=2014-10-31');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown action with InvalidAction', async () => {
    const res = await signedPost('Action=LaunchRockets&Version=2014-10-31');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('tells CloudWatch JSON 1.0 apart from RDS on the same port', async () => {
    const cw = new CloudWatchClient({ endpoint: h.info.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey } });
    // An operation the endpoint does not serve: answered as CloudWatch (JSON, the SDK parses it), not as RDS.
    const e = await errorOf(cw.send(new DescribeAnomalyDetectorsCommand({ Namespace: 'AWS/RDS' })));
    expect(e).toMatchObject({ name: 'InvalidAction', status: 400 });
    expect(e.message).toContain('DescribeAnomalyDetectors');
  });
});

describe('errors as RDS gives them', () => {
  const invalid: [string, Partial<CreateDBInstanceCommandInput>, string][] = [
    ['identifier', { DBInstanceIdentifier: '1bad--id-' }, 'InvalidParameterValue'],
    ['class (malformed)', { DBInstanceClass: 'huge' }, 'InvalidParameterValue'],
    ['class (unknown)', { DBInstanceClass: 'db.z9.mega' }, 'InvalidParameterCombination'],
    ['storage', { AllocatedStorage: 5 }, 'InvalidParameterValue'],
    ['retention', { BackupRetentionPeriod: 36 }, 'InvalidParameterValue'],
    ['both passwords', { ManageMasterUserPassword: true }, 'InvalidParameterCombination'],
    ['password', { MasterUserPassword: 'has space' }, 'InvalidParameterValue'],
    ['engine', { Engine: 'postgres' }, 'InvalidParameterValue'],
  ];
  it.each(invalid)('invalid %s → %s, nothing created', async (_what, change, name) => {
    const e = await errorOf(h.rds.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: 'gamma', ...change })));
    expect(e).toMatchObject({ name, status: 400 });
    expect(await ids()).toEqual(['alpha', 'beta']);
  });

  it('DBInstanceNotFoundFault (404) and DBInstanceAlreadyExistsFault', async () => {
    expect(await errorOf(describe1(h, 'nope'))).toMatchObject({ name: 'DBInstanceNotFoundFault', status: 404 });
    const e = await errorOf(h.rds.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: 'ALPHA' })));
    expect(e).toMatchObject({ name: 'DBInstanceAlreadyExistsFault', status: 400 });
  });

  it('refuses to delete a protected instance, and a final snapshot with an invalid name', async () => {
    const e = await errorOf(h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'alpha', SkipFinalSnapshot: true })));
    expect(e).toMatchObject({ name: 'InvalidParameterCombination', status: 400 });
    expect(e.message).toContain('deletion protection');
    const snap = await errorOf(h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'beta', FinalDBSnapshotIdentifier: 'beta--final' })));
    expect(snap).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(snap.message).toContain('FinalDBSnapshotIdentifier is not a valid identifier');
    const none = await errorOf(h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'beta' })));
    expect(none.message).toContain('FinalDBSnapshotIdentifier is required');
    expect((await describe1(h, 'alpha')).DBInstanceStatus).toBe('available');
    expect((await describe1(h, 'beta')).DBInstanceStatus).toBe('available');
  });

  it('InvalidDBInstanceState for a start of a running instance', async () => {
    const e = await errorOf(h.rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: 'beta' })));
    expect(e).toMatchObject({ name: 'InvalidDBInstanceStateFault', status: 400 });
  });

  it('storage only grows, by at least 10%', async () => {
    const grown = await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'alpha', AllocatedStorage: 22, ApplyImmediately: true }));
    expect(grown.DBInstance?.DBInstanceStatus).toBe('modifying');
    await waitAvailable(h, 'alpha');
    expect((await describe1(h, 'alpha')).AllocatedStorage).toBe(22);
    const shrink = await errorOf(h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'alpha', AllocatedStorage: 21 })));
    expect(shrink).toMatchObject({ name: 'InvalidParameterCombination', status: 400 });
    const tiny = await errorOf(h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'alpha', AllocatedStorage: 23 })));
    expect(tiny.message).toContain('at least 10%');
    expect((await describe1(h, 'alpha')).AllocatedStorage).toBe(22);
  });
});

describe('DescribeDBInstances', () => {
  it('filters by db-instance-id and engine, pages with MaxRecords/Marker', async () => {
    const byId = await h.rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-instance-id', Values: ['beta', 'arn:aws:rds:us-east-1:000000000000:db:alpha'] }] }));
    expect(byId.DBInstances!.map((d) => d.DBInstanceIdentifier)).toEqual(['alpha', 'beta']);
    const engine = await h.rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'engine', Values: ['mysql'] }] }));
    expect(engine.DBInstances).toEqual([]);
    const page = await h.rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20, Marker: 'b' }));
    expect(page.DBInstances!.map((d) => d.DBInstanceIdentifier)).toEqual(['beta']);
    expect(page.Marker).toBeUndefined();
    expect((await errorOf(h.rds.send(new DescribeDBInstancesCommand({ MaxRecords: 5 })))).name).toBe('InvalidParameterValue');
    expect((await errorOf(h.rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'color', Values: ['x'] }] })))).name).toBe('InvalidParameterValue');
  });

  it('pages 21 instances with MaxRecords 20 and the Marker', async () => {
    const extra = Array.from({ length: 19 }, (_, i) => `page-${String(i + 1).padStart(2, '0')}`);
    await Promise.all(extra.map((id) => h.rds.send(new CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: id }))));
    try {
      const first = await h.rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20 }));
      expect(first.DBInstances).toHaveLength(20);
      expect(first.Marker).toBeDefined();
      const second = await h.rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20, Marker: first.Marker }));
      expect(second.Marker).toBeUndefined();
      const all = [...first.DBInstances!, ...second.DBInstances!].map((d) => d.DBInstanceIdentifier);
      expect(all).toEqual(['alpha', 'beta', ...extra]);
    } finally {
      await Promise.all(extra.map((id) => h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }))));
      await Promise.all(extra.map((id) => waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 180, minDelay: 1, maxDelay: 2 }, { DBInstanceIdentifier: id })));
    }
  });

  it('shows the managed master secret only for managed passwords', async () => {
    expect((await describe1(h, 'beta')).MasterUserSecret?.SecretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:rds!db-/);
    expect((await describe1(h, 'alpha')).MasterUserSecret).toBeUndefined();
  });
});

describe('master password and files', () => {
  it('keeps secrets 0600 in a home only the service account may pass through, and resets the master password in the running server', async () => {
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(h.home)).toBe(0o710); // as root: root:rdsctl-mysql, pass-through only (docs/SECURITY.md)
    expect(mode(`${h.home}/secrets`)).toBe(0o700);
    expect(mode(`${h.home}/credentials.json`)).toBe(0o600);
    expect(mode(`${h.home}/secrets/beta.json`)).toBe(0o600);
    const before = await connect(h.home, 'beta'); // the generated password works
    await before.end();
    const mod = await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'alpha', MasterUserPassword: 'N3w-secret-pw' }));
    expect(mod.DBInstance?.DBInstanceStatus).toBe('resetting-master-credentials');
    await waitAvailable(h, 'alpha');
    const conn = await connect(h.home, 'alpha'); // reads the new password from the home
    const [rows] = await conn.query('SELECT CURRENT_USER() AS u');
    expect((rows as { u: string }[])[0].u).toBe('admin@%');
    await conn.end();
    const log = fs.readFileSync(`${h.home}/control-plane.log`, 'utf8');
    expect(log).not.toContain('N3w-secret-pw');
    expect(log).not.toContain(JSON.parse(fs.readFileSync(`${h.home}/secrets/beta.json`, 'utf8')).password);
  });

  it('an encrypted instance reports StorageEncrypted and a KMS key', async () => {
    const db = await describe1(h, 'alpha');
    expect(db.StorageEncrypted).toBe(true);
    expect(db.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
    expect((await describe1(h, 'beta')).KmsKeyId).toBeUndefined();
  });
});

describe('tags', () => {
  it('adds, overwrites, lists and removes tags by ARN', async () => {
    const { AddTagsToResourceCommand, ListTagsForResourceCommand, RemoveTagsFromResourceCommand } = await import('@aws-sdk/client-rds');
    const ResourceName = 'arn:aws:rds:us-east-1:000000000000:db:beta';
    await h.rds.send(new AddTagsToResourceCommand({ ResourceName, Tags: [{ Key: 'team', Value: 'dba' }, { Key: 'env', Value: 'dev' }] }));
    await h.rds.send(new AddTagsToResourceCommand({ ResourceName, Tags: [{ Key: 'env', Value: 'prod' }] }));
    expect((await h.rds.send(new ListTagsForResourceCommand({ ResourceName }))).TagList).toEqual([{ Key: 'team', Value: 'dba' }, { Key: 'env', Value: 'prod' }]);
    await h.rds.send(new RemoveTagsFromResourceCommand({ ResourceName, TagKeys: ['team'] }));
    expect((await describe1(h, 'beta')).TagList).toEqual([{ Key: 'env', Value: 'prod' }]);
    const e = await errorOf(h.rds.send(new ListTagsForResourceCommand({ ResourceName: 'arn:aws:rds:us-east-1:000000000000:db:nope' })));
    expect(e.name).toBe('DBInstanceNotFoundFault');
  });
});

describe('other AWS clients', () => {
  const env = () => ({ ...process.env, AWS_ACCESS_KEY_ID: h.info.accessKeyId, AWS_SECRET_ACCESS_KEY: h.info.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });

  it('the AWS CLI (botocore) lists the instances', async () => {
    const { stdout } = await run('aws', ['rds', 'describe-db-instances', '--endpoint-url', h.info.url, '--output', 'json'], { env: env() });
    const out = JSON.parse(stdout) as { DBInstances: { DBInstanceIdentifier: string; Endpoint: { Port: number } }[] };
    expect(out.DBInstances.map((d) => d.DBInstanceIdentifier)).toEqual(['alpha', 'beta']);
  });

  it('boto3 describes one instance and gets DBInstanceNotFound for another', async () => {
    const script = [
      'import boto3, sys',
      'c = boto3.client("rds", endpoint_url=sys.argv[1])',
      'print(c.describe_db_instances(DBInstanceIdentifier="alpha")["DBInstances"][0]["DBInstanceStatus"])',
      'try:\n  c.describe_db_instances(DBInstanceIdentifier="nope")\nexcept c.exceptions.DBInstanceNotFoundFault:\n  print("notfound")',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script, h.info.url], { env: env() });
    expect(stdout.trim().split('\n')).toEqual(['available', 'notfound']);
  });
});
