import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';

// rdsctl users on the aws target up to the SQL (no MySQL answers here): what it asks RDS first, and its
// refusals before any statement, against documented responses replayed over HTTP.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const rdsctl = (args: string[], env: Record<string, string> = {}) => runRdsctl([...t.awsArgs(), ...args], { ...t.env, ...env });
const f = (name: string) => ({ file: `rds/${name}.xml` });

describe('users --target aws (replayed)', () => {
  it('an unknown role is refused before any call (exit 2)', async () => {
    t.server.routes({});
    const r = await rdsctl(['users', 'create', 'mydatabase', 'app_rw', '--role', 'dba', '--json']);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.code).toBe('UNKNOWN_USER_ROLE');
    expect(t.server.requests).toEqual([]);
  });

  it('without the master password (rdsctl does not hold it on AWS): exit 2 naming RDSCTL_DB_PASSWORD, after one DescribeDBInstances', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-mydatabase') });
    const r = await rdsctl(['users', 'create', 'mydatabase', 'app_rw', '--role', 'app', '--json'], { RDSCTL_DB_PASSWORD: '' });
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'PASSWORD_REQUIRED', hint: expect.stringContaining('RDSCTL_DB_PASSWORD') });
    expect(t.server.requests.every((q) => q.params.Action === 'DescribeDBInstances')).toBe(true);
  });

  it('the master user name is refused as a user name (exit 2)', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-mydatabase') });
    const master = /<MasterUsername>(\w+)<\/MasterUsername>/.exec((await import('node:fs')).readFileSync(new URL('../../fixtures/aws/rds/describe-db-instances-mydatabase.xml', import.meta.url), 'utf8'))![1];
    const r = await rdsctl(['users', 'create', 'mydatabase', master, '--role', 'app', '--json']);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error.message).toContain(`User name "${master}" is the master user`);
  });
});
