import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';

// analyze-queries <id> --target aws: the endpoint comes from DescribeDBInstances (documented responses
// replayed through the real SDK); the master password is never ours to read.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });

describe('analyze-queries --target aws', () => {
  it('describes the instance, then asks for the password instead of guessing (exit 2, nothing else sent)', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'analyze-queries', 'myawsuser-dbi04', '--queries', '-', '--json'], t.env, 'SELECT 1;');
    expect(r.code).toBe(2);
    const error = oneJsonDoc(r.stdout).error;
    expect(error).toMatchObject({ code: 'PASSWORD_REQUIRED', message: expect.stringContaining('myawsuser-dbi04') });
    expect(error.hint).toMatch(/RDSCTL_DB_PASSWORD/);
    expect(t.server.requests.map((q) => [q.params.Action, q.params.DBInstanceIdentifier])).toEqual([['DescribeDBInstances', 'myawsuser-dbi04']]);
  });

  it('an unknown instance → exit 4 INSTANCE_NOT_FOUND', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/errors/db-instance-not-found.xml', status: 404 } });
    const r = await runRdsctl([...t.awsArgs(), 'analyze-queries', 'nope-db', '--queries', '-', '--json'], { ...t.env, RDSCTL_DB_PASSWORD: 'x-pass-123' }, 'SELECT 1;');
    expect(r.code).toBe(4);
    expect(oneJsonDoc(r.stdout).error.code).toBe('INSTANCE_NOT_FOUND');
  });
});
