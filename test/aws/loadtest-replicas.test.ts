import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';

// loadtest run --read-replicas --target aws: the replicas come from the primary's
// ReadReplicaDBInstanceIdentifiers and each replica's DescribeDBInstances (documented responses replayed
// through the real SDK). No RDS server is reachable here, so these tests stop before any SQL.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const run = (extra: string[], env: Record<string, string> = {}) =>
  runRdsctl([...t.awsArgs(), 'loadtest', 'run', 'myawsuser-dbi04', '--read-replicas', '--duration', '1s', '--json', ...extra], { ...t.env, ...env });
const described = () => t.server.requests.map((q) => [q.params.Action, q.params.DBInstanceIdentifier]);

describe('loadtest --read-replicas --target aws', () => {
  it('an instance without read replicas → exit 5 NO_READ_REPLICAS, before any password is needed', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await run([]);
    expect(r.code).toBe(5);
    const e = oneJsonDoc(r.stdout).error;
    expect(e).toMatchObject({ code: 'NO_READ_REPLICAS', message: 'DB instance myawsuser-dbi04 has no read replicas, so --read-replicas has nowhere to send reads.' });
    expect(e.hint).toMatch(/without --read-replicas/);
    expect(described()).toEqual([['DescribeDBInstances', 'myawsuser-dbi04']]);
  });

  it('the replica listed by the primary is described; one still creating → exit 5 naming it', async () => {
    t.server.routes({ DescribeDBInstances: [{ file: 'rds/describe-db-instances-dbi04-with-replica.xml' }, { file: 'rds/describe-db-instances-dbi04-replica-creating.xml' }] });
    const r = await run([]);
    expect(r.code).toBe(5);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'INSTANCE_NOT_AVAILABLE', message: expect.stringContaining('Read replica myawsuser-dbi04-replica is creating and takes no connections yet') });
    expect(described()).toEqual([['DescribeDBInstances', 'myawsuser-dbi04'], ['DescribeDBInstances', 'myawsuser-dbi04-replica']]);
  });

  it('an available replica: the master password is asked for (aws keeps it), then the primary endpoint is dialled', async () => {
    const routes = { DescribeDBInstances: [{ file: 'rds/describe-db-instances-dbi04-with-replica.xml' }, { file: 'rds/describe-db-instances-dbi04-replica.xml' }, { file: 'rds/describe-db-instances-dbi04-with-replica.xml' }] };
    t.server.routes(routes);
    const noPassword = await run([]);
    expect([noPassword.code, oneJsonDoc(noPassword.stdout).error.code]).toEqual([2, 'PASSWORD_REQUIRED']);
    t.server.routes(routes);
    const r = await run([], { RDSCTL_DB_PASSWORD: 'replay-db-pass-1' });
    // Nothing answers on the documented endpoint from this sandbox: the run fails as unreachable (7).
    expect(r.code).toBe(7);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'DB_UNREACHABLE', message: expect.stringContaining('myawsuser-dbi04.cg037hpkuyjt.us-east-1.rds.amazonaws.com:3306') });
    expect(described()).toEqual([['DescribeDBInstances', 'myawsuser-dbi04'], ['DescribeDBInstances', 'myawsuser-dbi04-replica'], ['DescribeDBInstances', 'myawsuser-dbi04']]);
    expect(r.stdout + r.stderr).not.toContain('replay-db-pass-1');
  });
});
