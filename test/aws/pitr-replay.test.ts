import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { requestActions as actions, requestParams as params, useReplayTarget } from '../helpers/cli-replay-server.js';

// Point-in-time restore on the aws target: what the real CLI sends, and how it answers AWS's documented
// responses and errors (fixtures/aws/README.md), replayed over HTTP.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const env = t.env;
const aws = () => t.awsArgs();
const source = { file: 'rds/describe-db-instances-mydatabase.xml' };
const window = { file: 'rds/describe-db-instance-automated-backups-mydatabase.xml' };
const targetFree = { file: 'rds/errors/db-instance-not-found.xml', status: 404 };

describe('restore --to-time / restore-window --target aws (replayed)', () => {
  it('restore-window reads DescribeDBInstanceAutomatedBackups RestoreWindow', async () => {
    t.server.routes({ DescribeDBInstances: source, DescribeDBInstanceAutomatedBackups: window });
    const r = await runRdsctl([...aws(), 'restore-window', 'mydatabase', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data).toMatchObject({ DBInstanceIdentifier: 'mydatabase', Status: 'active', EarliestTime: '2013-11-02T00:15:00.000Z', LatestTime: '2013-11-09T00:15:00.000Z' });
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'DescribeDBInstanceAutomatedBackups']);
    expect(params(t.server.requests[1]!)).toEqual({ DBInstanceIdentifier: 'mydatabase' });
  });

  it('restore --to-time with an offset sends RestoreTime in UTC, once, after checking window and target', async () => {
    t.server.routes({ DescribeDBInstances: [source, targetFree], DescribeDBInstanceAutomatedBackups: window, RestoreDBInstanceToPointInTime: { file: 'rds/restore-db-instance-to-point-in-time.xml' } });
    const r = await runRdsctl([...aws(), 'restore', 'mydatabase', '--to-time', '2013-11-05T13:00:00+01:00', '--target', 'mydatabase-restored', '--no-wait', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data.DBInstance).toMatchObject({ DBInstanceIdentifier: 'mydatabase-restored', DBInstanceStatus: 'creating' });
    expect(oneJsonDoc(r.stdout).data.plan.RestoreTime).toBe('2013-11-05T12:00:00.000Z'); // what it understood, in UTC
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'DescribeDBInstanceAutomatedBackups', 'DescribeDBInstances', 'RestoreDBInstanceToPointInTime']);
    expect(params(t.server.requests[3]!)).toEqual({ SourceDBInstanceIdentifier: 'mydatabase', TargetDBInstanceIdentifier: 'mydatabase-restored', RestoreTime: '2013-11-05T12:00:00Z' });
  });

  it('restore --latest --class --storage sends DBInstanceClass and AllocatedStorage with the restore', async () => {
    t.server.routes({ DescribeDBInstances: [source, targetFree], DescribeDBInstanceAutomatedBackups: window, RestoreDBInstanceToPointInTime: { file: 'rds/restore-db-instance-to-point-in-time.xml' } });
    const r = await runRdsctl([...aws(), 'restore', 'mydatabase', '--latest', '--target', 'mydatabase-restored', '--class', 'db.r6g.large', '--storage', '200', '--no-wait', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(params(t.server.requests.at(-1)!)).toEqual({ SourceDBInstanceIdentifier: 'mydatabase', TargetDBInstanceIdentifier: 'mydatabase-restored', UseLatestRestorableTime: 'true', DBInstanceClass: 'db.r6g.large', AllocatedStorage: '200' });
  });

  it('restore --to-time --storage that is not a whole number: exit 2 naming --storage, nothing sent', async () => {
    const r = await runRdsctl([...aws(), 'restore', 'mydatabase', '--to-time', '2013-11-05T12:00:00Z', '--target', 'mydatabase-restored', '--storage', '20.5', '--json'], env);
    expect(r.code).toBe(2);
    const err = oneJsonDoc(r.stdout).error;
    expect(err.code).toBe('INVALID_STORAGE');
    expect(err.message).toContain('--storage 20.5');
    expect(err.hint).toContain('rdsctl restore mydatabase --to-time 2013-11-05T12:00:00Z --target mydatabase-restored --storage 50');
    expect(t.server.requests).toEqual([]);
  });

  it('a time before the window is refused before anything is sent to restore (exit 2)', async () => {
    t.server.routes({ DescribeDBInstances: [source, targetFree], DescribeDBInstanceAutomatedBackups: window });
    const r = await runRdsctl([...aws(), 'restore', 'mydatabase', '--to-time', '2013-11-01T00:00:00Z', '--target', 'mydatabase-restored', '--json'], env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.code).toBe('RESTORE_TIME_OUTSIDE_WINDOW');
    expect(actions(t.server.requests)).not.toContain('RestoreDBInstanceToPointInTime');
  });

  it.each([
    ['rds/errors/invalid-restore.xml', 2, 'RESTORE_TIME_OUTSIDE_WINDOW', 'InvalidRestoreFault', 'rdsctl restore-window mydatabase'],
    ['rds/errors/point-in-time-restore-not-enabled.xml', 5, 'PITR_NOT_ENABLED', 'PointInTimeRestoreNotEnabledFault', 'rdsctl modify mydatabase --backup-retention 7'],
  ])('AWS answers %s: exit %i, code %s, the AWS name kept, a hint with the real id', async (file, code, rdsctlCode, awsName, hint) => {
    t.server.routes({ DescribeDBInstances: [source, targetFree], DescribeDBInstanceAutomatedBackups: window, RestoreDBInstanceToPointInTime: { file, status: 400 } });
    const r = await runRdsctl([...aws(), 'restore', 'mydatabase', '--latest', '--target', 'mydatabase-restored', '--json'], env);
    expect(r.code).toBe(code);
    const err = oneJsonDoc(r.stdout).error;
    expect(err).toMatchObject({ code: rdsctlCode, awsName });
    expect(err.hint).toContain(hint);
    expect(params(t.server.requests.at(-1)!)).toEqual({ SourceDBInstanceIdentifier: 'mydatabase', TargetDBInstanceIdentifier: 'mydatabase-restored', UseLatestRestorableTime: 'true' });
  });
});
