import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';

// restore --preview / --before --target aws: DescribeDBInstances replayed (documented responses), then
// the binlogs are read from the instance itself as its master user (RDSCTL_DB_PASSWORD).
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const preview = ['restore', 'myawsuser-dbi04', '--to-time', '2026-11-26T10:15:06Z', '--preview', '--json'];

describe('restore --preview --target aws', () => {
  it('a stopped instance: exit 5, says how to start it, nothing but the describe sent', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-stopped.xml' } });
    const r = await runRdsctl([...t.awsArgs(), ...preview], { ...t.env, RDSCTL_DB_PASSWORD: 'x-pass-123' });
    expect(r.code).toBe(5);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'INSTANCE_NOT_AVAILABLE', message: expect.stringContaining('myawsuser-dbi04 is stopped') });
    expect(t.server.requests.map((q) => q.params.Action)).toEqual(['DescribeDBInstances']);
  });

  it('an instance that cannot be reached: exit 7, names the endpoint', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-unreachable.xml' } });
    const r = await runRdsctl([...t.awsArgs(), ...preview], { ...t.env, RDSCTL_DB_PASSWORD: 'x-pass-123' });
    expect(r.code).toBe(7);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'DB_UNREACHABLE', message: expect.stringContaining('127.0.0.1:1') });
  });

  it('without the master password: exit 2, asks for RDSCTL_DB_PASSWORD instead of guessing', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'restore', 'myawsuser-dbi04', '--before', 'DROP TABLE orders', '--target', 'dbi04-before', '--dry-run', '--json'], t.env);
    expect(r.code).toBe(2);
    const error = oneJsonDoc(r.stdout).error;
    expect(error).toMatchObject({ code: 'PASSWORD_REQUIRED' });
    expect(error.hint).toMatch(/RDSCTL_DB_PASSWORD/);
    expect(t.server.requests.map((q) => q.params.Action)).toEqual(['DescribeDBInstances']);
  });
});
