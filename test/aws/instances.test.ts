import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MASTER_USERNAME } from '../../src/core/identifiers.js';
import { FAKE_KEYS, oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// The real CLI (bin/rdsctl.js, a child process) and the real SDK client inside it, replaying the
// documented AWS responses in fixtures/aws/ from a local HTTP server that records what was sent.
const PASSWORD = 'Sup3r-secret-pw!42';
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const env = t.env;
const aws = () => t.awsArgs();
const actions = (reqs: RecordedRequest[]) => reqs.map((r) => r.params.Action);

function expectSignedRdsQuery(req: RecordedRequest, action: string): void {
  expect(req.method).toBe('POST');
  expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
  expect(req.params.Action).toBe(action);
  expect(req.params.Version).toBe('2014-10-31');
  // SigV4 with our fake key, for RDS in the region we asked for.
  expect(req.headers.authorization).toMatch(new RegExp(`Credential=${FAKE_KEYS.AWS_ACCESS_KEY_ID}/\\d{8}/us-east-1/rds/aws4_request`));
}

describe('provision --target aws', () => {
  const args = () => [...aws(), 'provision', 'myawsuser-dbi01', '--class', 'db.t4g.micro', '--storage', '100', '--no-wait'];

  it('sends CreateDBInstance with our settings and prints the documented response as one JSON doc', async () => {
    t.server.routes({ CreateDBInstance: { file: 'rds/create-db-instance.xml' } });
    const r = await runRdsctl([...args(), '--json'], { ...env, RDSCTL_MASTER_PASSWORD: PASSWORD });
    expect(r.code).toBe(0);
    expect(actions(t.server.requests)).toEqual(['CreateDBInstance']);
    const req = t.server.requests[0]!;
    expectSignedRdsQuery(req, 'CreateDBInstance');
    expect(req.params).toMatchObject({
      DBInstanceIdentifier: 'myawsuser-dbi01',
      DBInstanceClass: 'db.t4g.micro',
      Engine: 'mysql',
      AllocatedStorage: '100',
      StorageType: 'gp3',
      StorageEncrypted: 'true',
      BackupRetentionPeriod: '7',
      MasterUsername: DEFAULT_MASTER_USERNAME,
      MasterUserPassword: PASSWORD,
      PubliclyAccessible: 'false',
      DeletionProtection: 'false',
    });
    expect(req.params.ManageMasterUserPassword).toBeUndefined();
    const doc = oneJsonDoc(r.stdout);
    expect(doc).toMatchObject({ ok: true, command: 'provision', target: { kind: 'aws', region: 'us-east-1', endpoint: t.server.url } });
    expect(doc.data.DBInstance).toMatchObject({
      DBInstanceIdentifier: 'myawsuser-dbi01',
      DBInstanceStatus: 'creating',
      DBInstanceClass: 'db.m5.large',
      AllocatedStorage: 15,
      MultiAZ: false,
      Engine: 'mysql',
      EngineVersion: '5.6.13',
      PendingModifiedValues: { MasterUserPassword: '****' },
    });
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('never prints the password in human mode either (stdout or progress on stderr)', async () => {
    t.server.routes({ CreateDBInstance: { file: 'rds/create-db-instance.xml' } });
    const r = await runRdsctl(args(), { ...env, RDSCTL_MASTER_PASSWORD: PASSWORD });
    expect(r.code).toBe(0);
    expect(t.server.requests[0]!.params.MasterUserPassword).toBe(PASSWORD);
    expect(r.stdout).toContain('myawsuser-dbi01');
    expect(r.stdout).toMatch(/Status:\s+creating/);
    expect(r.stdout).toMatch(/^Database:\s+none created \(--db-name at provision\)$/m); // the documented response has no DBName
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('without a password source: exit 2, nothing sent', async () => {
    t.server.routes({ CreateDBInstance: { file: 'rds/create-db-instance.xml' } });
    const r = await runRdsctl([...args(), '--json'], env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.code).toBe('MISSING_PASSWORD_SOURCE');
    expect(t.server.requests).toHaveLength(0);
  });
});

describe('describe / list --target aws', () => {
  it('describe sends DescribeDBInstances for the id and prints the DBInstance with AWS field names', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl([...aws(), 'describe', 'MyAwsUser-DBI04', '--json'], env);
    expect(r.code).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances']);
    expectSignedRdsQuery(t.server.requests[0]!, 'DescribeDBInstances');
    // RDS identifiers are stored lowercase: we send the normalised form.
    expect(t.server.requests[0]!.params.DBInstanceIdentifier).toBe('myawsuser-dbi04');
    const doc = oneJsonDoc(r.stdout);
    expect(doc.command).toBe('describe');
    expect(doc.data.DBInstance).toMatchObject({
      DBInstanceIdentifier: 'myawsuser-dbi04',
      DBInstanceStatus: 'available',
      DBInstanceClass: 'db.m1.small',
      AllocatedStorage: 15,
      MultiAZ: true,
      Endpoint: { Address: 'myawsuser-dbi04.cg037hpkuyjt.us-east-1.rds.amazonaws.com', Port: 3306 },
      DBName: 'myawsuser_db04',
      InstanceCreateTime: '2014-04-25T18:07:51.508Z',
      DBParameterGroups: [{ DBParameterGroupName: 'default.mysql5.6', ParameterApplyStatus: 'in-sync' }],
    });
  });

  it('describe in human mode shows the endpoint and status on stdout', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl([...aws(), 'describe', 'myawsuser-dbi04'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('myawsuser-dbi04.cg037hpkuyjt.us-east-1.rds.amazonaws.com:3306');
    expect(r.stdout).toMatch(/Status:\s+available/);
    expect(r.stdout).toMatch(/^Database:\s+myawsuser_db04$/m); // DBName (QA: it was not shown)
    // The documented response has no StorageType: the rendering must not invent one.
    expect(r.stdout).toMatch(/Storage:\s+15 GiB\n/);
    expect(r.stderr).toContain('target: aws (us-east-1');
  });

  it('list sends DescribeDBInstances without an id and prints every instance', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-list.xml' } });
    const r = await runRdsctl([...aws(), 'list', '--json'], env);
    expect(r.code).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances']);
    expect(t.server.requests[0]!.params.DBInstanceIdentifier).toBeUndefined();
    expect(t.server.requests[0]!.params.MaxRecords).toBe('100');
    const doc = oneJsonDoc(r.stdout);
    expect(doc.data.DBInstances.map((d: any) => [d.DBInstanceIdentifier, d.DBInstanceStatus])).toEqual([
      ['myawsuser-dbi04', 'available'],
      ['mydatabase', 'available'],
    ]);
  });
});

describe('modify --target aws', () => {
  it('plans against the live description, then sends only the change', async () => {
    t.server.routes({
      DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' },
      ModifyDBInstance: { file: 'rds/modify-db-instance.xml' },
    });
    const r = await runRdsctl([...aws(), 'modify', 'myawsuser-dbi04', '--storage', '20', '--apply-immediately', '--no-wait', '--json'], env);
    expect(r.code).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'ModifyDBInstance']);
    const req = t.server.requests[1]!;
    expectSignedRdsQuery(req, 'ModifyDBInstance');
    const { Action, Version, ...rest } = req.params;
    expect(rest).toEqual({ DBInstanceIdentifier: 'myawsuser-dbi04', AllocatedStorage: '20', ApplyImmediately: 'true' });
    const doc = oneJsonDoc(r.stdout);
    expect(doc.data.applied).toBe(true);
    expect(doc.data.changes).toEqual([{ field: 'AllocatedStorage', from: 15, to: 20, note: 'cannot be undone' }]);
    expect(doc.data.DBInstance.PendingModifiedValues).toEqual({ AllocatedStorage: 20 });
  });

  it('a new password read from stdin is sent, never printed', async () => {
    t.server.routes({
      DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' },
      ModifyDBInstance: { file: 'rds/modify-db-instance.xml' },
    });
    const r = await runRdsctl([...aws(), 'modify', 'myawsuser-dbi04', '--new-password-stdin', '--apply-immediately', '--no-wait', '--json'], env, `${PASSWORD}\n`);
    expect(r.code).toBe(0);
    expect(t.server.requests[1]!.params.MasterUserPassword).toBe(PASSWORD);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(oneJsonDoc(r.stdout).data.changes).toContainEqual({ field: 'MasterUserPassword', from: '(hidden)', to: '(new, hidden)' });
  });

  it('a storage increase under 10% is refused before any ModifyDBInstance (exit 2)', async () => {
    // mydatabase has 100 GiB: 105 is a real increase, but under RDS's 10% minimum.
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-mydatabase.xml' }, ModifyDBInstance: { file: 'rds/modify-db-instance.xml' } });
    const r = await runRdsctl([...aws(), 'modify', 'mydatabase', '--storage', '105', '--apply-immediately', '--json'], env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'STORAGE_INCREASE_TOO_SMALL', exitCode: 2 });
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances']);
  });
});

describe('reboot / stop / start --target aws', () => {
  const cases = [
    { cmd: 'reboot', action: 'RebootDBInstance', file: 'rds/reboot-db-instance.xml', id: 'mysqldb', status: 'rebooting' },
    { cmd: 'stop', action: 'StopDBInstance', file: 'rds/stop-db-instance.xml', id: 'mydbinstance', status: 'stopping' },
    { cmd: 'start', action: 'StartDBInstance', file: 'rds/start-db-instance.xml', id: 'mydbinstance', status: 'starting' },
  ];
  it.each(cases)('$cmd sends $action once and prints status $status', async ({ cmd, action, file, id, status }) => {
    // reboot describes first, to say which pending changes it leaves waiting (RDS) or applies (local).
    const describe: Record<string, { file: string }> = cmd === 'reboot' ? { DescribeDBInstances: { file: 'rds/describe-db-instances-mysqldb.xml' } } : {};
    t.server.routes({ ...describe, [action]: { file } });
    const r = await runRdsctl([...aws(), cmd, id, '--no-wait', '--json'], env);
    expect(r.code).toBe(0);
    expect(actions(t.server.requests)).toEqual([...Object.keys(describe), action]);
    const sent = t.server.requests.at(-1)!;
    expectSignedRdsQuery(sent, action);
    expect(sent.params.DBInstanceIdentifier).toBe(id);
    const doc = oneJsonDoc(r.stdout);
    expect(doc.command).toBe(cmd);
    expect(doc.data.DBInstance).toMatchObject({ DBInstanceIdentifier: id, DBInstanceStatus: status });
  });
});

describe('delete --target aws', () => {
  it('describes, then sends DeleteDBInstance with SkipFinalSnapshot=true', async () => {
    t.server.routes({
      DescribeDBInstances: { file: 'rds/describe-db-instances-mydatabase.xml' },
      DescribeDBSnapshots: { file: 'rds/describe-db-snapshots-empty.xml' },
      DeleteDBInstance: { file: 'rds/delete-db-instance.xml' },
    });
    const r = await runRdsctl([...aws(), 'delete', 'mydatabase', '--yes', '--skip-final-snapshot', '--no-wait', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    // No snapshot, and the automated backups go with it: the warning needs the snapshot list first.
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'DescribeDBSnapshots', 'DeleteDBInstance']);
    const { Action, Version, ...rest } = t.server.requests[2]!.params;
    expect(rest).toEqual({ DBInstanceIdentifier: 'mydatabase', SkipFinalSnapshot: 'true' });
    const doc = oneJsonDoc(r.stdout);
    expect(doc.data).toMatchObject({ deleted: false, DBInstance: { DBInstanceIdentifier: 'mydatabase', DBInstanceStatus: 'deleting' } });
  });

  it('without --yes and without a terminal: exit 2 and no DeleteDBInstance', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-mydatabase.xml' }, DescribeDBSnapshots: { file: 'rds/describe-db-snapshots-empty.xml' }, DeleteDBInstance: { file: 'rds/delete-db-instance.xml' } });
    const r = await runRdsctl([...aws(), 'delete', 'mydatabase', '--skip-final-snapshot', '--no-wait', '--json'], env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.code).toBe('CONFIRMATION_REQUIRED');
    expect(actions(t.server.requests)).not.toContain('DeleteDBInstance');
  });
});
