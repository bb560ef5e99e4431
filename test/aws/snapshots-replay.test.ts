import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// The snapshot commands on the aws target: what the real CLI sends, and how it answers AWS's documented
// errors (fixtures/aws/README.md), replayed over HTTP.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const env = t.env;
const aws = () => t.awsArgs();
const actions = (reqs: RecordedRequest[]) => reqs.map((r) => r.params.Action);
const params = (req: RecordedRequest) => {
  const { Action, Version, ...rest } = req.params;
  return rest;
};

describe('snapshots --target aws (replayed)', () => {
  it('snapshot describe of a missing snapshot: one DescribeDBSnapshots, exit 4 SNAPSHOT_NOT_FOUND', async () => {
    t.server.routes({ DescribeDBSnapshots: { file: 'rds/errors/db-snapshot-not-found.xml', status: 404 } });
    const r = await runRdsctl([...aws(), 'snapshot', 'describe', 'nosuchsnap', '--json'], env);
    expect(r.code).toBe(4);
    expect(oneJsonDoc(r.stdout).error.code).toBe('SNAPSHOT_NOT_FOUND');
    expect(actions(t.server.requests)).toEqual(['DescribeDBSnapshots']);
    expect(params(t.server.requests[0]!)).toEqual({ DBSnapshotIdentifier: 'nosuchsnap' });
  });

  it('snapshot create with a taken name: CreateDBSnapshot sent once, exit 5 SNAPSHOT_EXISTS', async () => {
    t.server.routes({ CreateDBSnapshot: { file: 'rds/errors/db-snapshot-already-exists.xml', status: 400 } });
    const r = await runRdsctl([...aws(), 'snapshot', 'create', 'mydatabase', 'mydatabase-s1', '--json'], env);
    expect(r.code).toBe(5);
    expect(oneJsonDoc(r.stdout).error.code).toBe('SNAPSHOT_EXISTS');
    expect(actions(t.server.requests)).toEqual(['CreateDBSnapshot']);
    expect(params(t.server.requests[0]!)).toEqual({ DBInstanceIdentifier: 'mydatabase', DBSnapshotIdentifier: 'mydatabase-s1' });
  });

  it('delete --final-snapshot sends DeleteDBInstance with FinalDBSnapshotIdentifier', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-mydatabase.xml' }, DeleteDBInstance: { file: 'rds/delete-db-instance.xml' } });
    const r = await runRdsctl([...aws(), 'delete', 'mydatabase', '--final-snapshot', 'mydatabase-final', '--yes', '--no-wait', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'DeleteDBInstance']);
    expect(params(t.server.requests[1]!)).toEqual({ DBInstanceIdentifier: 'mydatabase', SkipFinalSnapshot: 'false', FinalDBSnapshotIdentifier: 'mydatabase-final' });
  });
});
