import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// Options that change what goes on the wire (or that nothing does), replayed against the
// documented responses in fixtures/aws/.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const env = t.env;
const aws = () => t.awsArgs();
const actions = (reqs: RecordedRequest[]) => reqs.map((r) => r.params.Action);
const paramsOf = (req: RecordedRequest) => {
  const { Action, Version, ...rest } = req.params;
  return rest;
};

describe('list follows Marker pages', () => {
  it('asks for the next page with the Marker and lists both pages', async () => {
    t.server.routes({
      DescribeDBInstances: [{ file: 'rds/describe-db-instances-page1.xml' }, { file: 'rds/describe-db-instances-mydatabase.xml' }],
    });
    const r = await runRdsctl([...aws(), 'list', '--json'], env);
    expect(r.code).toBe(0);
    expect(t.server.requests.map(paramsOf)).toEqual([{ MaxRecords: '100' }, { MaxRecords: '100', Marker: 'bXlhd3N1c2VyLWRiaTA0' }]);
    expect(oneJsonDoc(r.stdout).data.DBInstances.map((d: any) => d.DBInstanceIdentifier)).toEqual(['myawsuser-dbi04', 'mydatabase']);
  });

  it('human list is a table with one row per instance', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-list.xml' } });
    const r = await runRdsctl([...aws(), 'list'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/IDENTIFIER\s+STATUS\s+CLASS/);
    expect(lines.filter((l) => /^(myawsuser-dbi04|mydatabase)\s+available\s+db\.m1\./.test(l))).toHaveLength(2);
  });
});

describe('provision options', () => {
  it('--manage-master-password sends ManageMasterUserPassword and no password', async () => {
    t.server.routes({ CreateDBInstance: { file: 'rds/create-db-instance.xml' } });
    const r = await runRdsctl([...aws(), 'provision', 'myawsuser-dbi01', '--manage-master-password', '--no-encrypted', '--backup-retention', '0', '--no-wait', '--json'], env);
    expect(r.code).toBe(0);
    const p = t.server.requests[0]!.params;
    expect(p).toMatchObject({ ManageMasterUserPassword: 'true', StorageEncrypted: 'false', BackupRetentionPeriod: '0' });
    expect(p.MasterUserPassword).toBeUndefined();
  });

  it('--dry-run sends nothing and shows the request with the password hidden', async () => {
    const pw = 'Dry-run-Passw0rd';
    const r = await runRdsctl([...aws(), 'provision', 'shop', '--dry-run', '--json'], { ...env, RDSCTL_MASTER_PASSWORD: pw });
    expect(r.code).toBe(0);
    expect(t.server.requests).toHaveLength(0);
    const { data } = oneJsonDoc(r.stdout);
    expect(data).toMatchObject({ dryRun: true, request: { DBInstanceIdentifier: 'shop', Engine: 'mysql', MasterUserPassword: '(hidden)' } });
    expect(r.stdout + r.stderr).not.toContain(pw);
  });
});

describe('modify options', () => {
  const routes = () =>
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' }, ModifyDBInstance: { file: 'rds/modify-db-instance.xml' } });

  it('without --apply-immediately: ApplyImmediately=false; a change the response does not list as pending is reported as made', async () => {
    routes();
    const r = await runRdsctl([...aws(), 'modify', 'myawsuser-dbi04', '--backup-retention', '14'], env);
    expect(r.code).toBe(0);
    expect(paramsOf(t.server.requests[1]!)).toEqual({ DBInstanceIdentifier: 'myawsuser-dbi04', BackupRetentionPeriod: '14', ApplyImmediately: 'false' });
    // RDS applies a retention change between two non-zero values at once; the response's
    // PendingModifiedValues (AllocatedStorage only, in this documented example) does not list it.
    expect(r.stdout).toBe('Changed myawsuser-dbi04:\n  BackupRetentionPeriod: 7 → 14\n');
  });

  it('--dry-run describes, plans, and sends no ModifyDBInstance', async () => {
    routes();
    const r = await runRdsctl([...aws(), 'modify', 'myawsuser-dbi04', '--class', 'db.r6g.large', '--dry-run', '--json'], env);
    expect(r.code).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances']);
    expect(oneJsonDoc(r.stdout).data).toMatchObject({ dryRun: true, applied: false, changes: [{ field: 'DBInstanceClass', from: 'db.m1.small', to: 'db.r6g.large' }] });
  });
});

describe('delete options', () => {
  const routes = () =>
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-mydatabase.xml' }, DescribeDBSnapshots: { file: 'rds/describe-db-snapshots-empty.xml' }, DeleteDBInstance: { file: 'rds/delete-db-instance.xml' } });

  it('--final-snapshot sends the (lowercased) snapshot name and SkipFinalSnapshot=false', async () => {
    routes();
    const r = await runRdsctl([...aws(), 'delete', 'mydatabase', '--yes', '--final-snapshot', 'MyDatabase-Final', '--no-wait', '--json'], env);
    expect(r.code).toBe(0);
    expect(paramsOf(t.server.requests[1]!)).toEqual({ DBInstanceIdentifier: 'mydatabase', SkipFinalSnapshot: 'false', FinalDBSnapshotIdentifier: 'mydatabase-final' });
  });

  it('--dry-run sends no DeleteDBInstance', async () => {
    routes();
    const r = await runRdsctl([...aws(), 'delete', 'mydatabase', '--skip-final-snapshot', '--dry-run'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'DescribeDBSnapshots']);
    expect(r.stdout).toMatch(/Delete mydatabase \(available, 100 GiB\) WITHOUT a final snapshot — it has no snapshots and its automated backups are deleted with it/);
    expect(r.stdout).toMatch(/dry run/);
  });

  it('neither --skip-final-snapshot nor --final-snapshot → exit 2 before any request', async () => {
    routes();
    const r = await runRdsctl([...aws(), 'delete', 'mydatabase', '--yes', '--json'], env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.code).toBe('FINAL_SNAPSHOT_CHOICE');
    expect(t.server.requests).toHaveLength(0);
  });
});

describe('where the aws target comes from', () => {
  it('AWS_ENDPOINT_URL_RDS is honoured without --endpoint-url', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-list.xml' } });
    const r = await runRdsctl(['--region', 'us-east-1', 'list', '--json'], { ...env, AWS_ENDPOINT_URL_RDS: t.server.url });
    expect(r.code).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances']);
    expect(oneJsonDoc(r.stdout).data.DBInstances).toHaveLength(2);
  });

  it('--profile alone implies aws and uses that profile’s keys and region from the AWS config files', async () => {
    const dir = path.join(env.HOME!, 'profile-test');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'config'), '[profile replay]\nregion = eu-west-2\n');
    await writeFile(path.join(dir, 'credentials'), '[replay]\naws_access_key_id = AKIDPROFILEREPLAY001\naws_secret_access_key = profile-secret\n');
    const profileEnv: Record<string, string> = { ...env, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') };
    delete profileEnv.AWS_ACCESS_KEY_ID;
    delete profileEnv.AWS_SECRET_ACCESS_KEY;
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-list.xml' } });
    const r = await runRdsctl(['--profile', 'replay', '--endpoint-url', t.server.url, 'list', '--json'], profileEnv);
    expect(r.code).toBe(0);
    expect(t.server.requests[0]!.headers.authorization).toContain('Credential=AKIDPROFILEREPLAY001/');
    expect(t.server.requests[0]!.headers.authorization).toContain('/eu-west-2/rds/aws4_request');
    expect(oneJsonDoc(r.stdout).target).toMatchObject({ kind: 'aws', region: 'eu-west-2' });
  });
});
