import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// Issue 6 §2 on the aws target: the real CLI and SDK against documented RDS responses replayed over HTTP
// (fixtures/aws/). mysqldb-pending has a class change waiting (db.m1.medium → db.m1.large) and
// autoscaling on (100 GiB, ceiling 1000).
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
// Had the flag lost to RDSCTL_TARGET=local (the bug), a local control plane would run in the isolated home: stop it.
afterAll(async () => {
  await runRdsctl(['local', 'stop'], t.env);
});
const aws = () => t.awsArgs();
const sentParams = (req: RecordedRequest) => {
  const { Action, Version, ...rest } = req.params;
  return rest;
};
const pendingRoutes = () =>
  t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-mysqldb-pending.xml' }, ModifyDBInstance: { file: 'rds/modify-db-instance.xml' } });

describe('modify --target aws with a change pending', () => {
  it('--apply-immediately --dry-run: the plan lists the pending class change and says the instance restarts', async () => {
    pendingRoutes();
    const r = await runRdsctl([...aws(), 'modify', 'mysqldb', '--max-storage', '2000', '--apply-immediately', '--dry-run'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe([
      'Plan for mysqldb (dry run, nothing changed):',
      '  MaxAllocatedStorage: 1000 → 2000',
      '* DBInstanceClass: db.m1.medium → db.m1.large  (restarts the database)',
      '  (* pending from an earlier modify, applied with this one)',
      'This restarts mysqldb to apply DBInstanceClass (brief outage).',
      '',
    ].join('\n'));
    expect(t.server.requests.map((q) => q.params.Action)).toEqual(['DescribeDBInstances']);
  });

  it('without --apply-immediately the plan says the pending change keeps waiting', async () => {
    pendingRoutes();
    const r = await runRdsctl([...aws(), 'modify', 'mysqldb', '--max-storage', '2000', '--dry-run', '--json'], t.env);
    expect(r.code).toBe(0);
    const data = oneJsonDoc(r.stdout).data;
    expect([data.alsoApplied, data.stillPending.map((c: { field: string }) => c.field), data.restart]).toEqual([[], ['DBInstanceClass'], null]);
  });

  it('sends only the new change (RDS applies the pending one itself) and reports both', async () => {
    pendingRoutes();
    const r = await runRdsctl([...aws(), 'modify', 'mysqldb', '--max-storage', '2000', '--apply-immediately', '--no-wait', '--json'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(sentParams(t.server.requests[1]!)).toEqual({ DBInstanceIdentifier: 'mysqldb', MaxAllocatedStorage: '2000', ApplyImmediately: 'true' });
    const data = oneJsonDoc(r.stdout).data;
    expect(data.outcome.map((c: { field: string }) => c.field)).toEqual(['MaxAllocatedStorage', 'DBInstanceClass']);
    expect(data.restart).toBe('now');
  });
});

describe('storage autoscaling off --target aws', () => {
  it.each([[['--no-max-storage']], [['--max-storage', '100']]])('%j sends MaxAllocatedStorage = AllocatedStorage (100)', async (flags) => {
    pendingRoutes();
    const r = await runRdsctl([...aws(), 'modify', 'mysqldb', ...flags, '--json'], t.env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(sentParams(t.server.requests[1]!)).toEqual({ DBInstanceIdentifier: 'mysqldb', MaxAllocatedStorage: '100', ApplyImmediately: 'false' });
    expect(oneJsonDoc(r.stdout).data.changes).toEqual([{ field: 'MaxAllocatedStorage', from: 1000, to: 100, note: 'turns storage autoscaling off' }]);
  });
});

describe('reboot --target aws', () => {
  it('says the pending changes keep waiting for the window (an RDS reboot does not apply them) and how to apply them', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-mysqldb-pending.xml' }, RebootDBInstance: { file: 'rds/reboot-db-instance.xml' } });
    const r = await runRdsctl([...aws(), 'reboot', 'mysqldb', '--no-wait'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain([
      "mysqldb's pending changes still wait for its maintenance window:",
      '  DBInstanceClass: db.m1.medium → db.m1.large  (restarts the database)',
      '  (a reboot does not apply them on RDS)',
      'To apply them now: rdsctl modify mysqldb --class db.m1.large --apply-immediately',
    ].join('\n'));
  });
});

describe('hints --target aws carry the real id', () => {
  it('InvalidDBInstanceState on start: the hint names `rdsctl describe mydbinstance`', async () => {
    t.server.routes({ StartDBInstance: { file: 'rds/errors/invalid-db-instance-state.xml', status: 400 } });
    const r = await runRdsctl([...aws(), 'start', 'mydbinstance', '--json'], t.env);
    expect(r.code).toBe(5);
    const { hint } = oneJsonDoc(r.stdout).error;
    expect(hint).toContain('`rdsctl describe mydbinstance`');
    expect(hint).not.toContain('<id>');
  });
});

describe('an explicit flag wins over RDSCTL_TARGET', () => {
  it('RDSCTL_TARGET=local with --region goes to aws (the replay server), as the README says', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-list.xml' } });
    const r = await runRdsctl(['--region', 'us-east-1', '--endpoint-url', t.server.url, 'list', '--json'], { ...t.env, RDSCTL_TARGET: 'local' });
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).target.kind).toBe('aws');
    expect(t.server.requests.map((q) => q.params.Action)).toEqual(['DescribeDBInstances']);
  });

  it('a malformed region from the environment is a usage error (exit 2), not "Unexpected error"', async () => {
    const r = await runRdsctl(['--target', 'aws', '--endpoint-url', t.server.url, 'list', '--json'], { ...t.env, AWS_REGION: 'not a region!' });
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.code).toBe('INVALID_REGION');
    expect(t.server.requests).toHaveLength(0);
  });
});
