import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';

// Documented AWS error responses (fixtures/aws/rds/errors) through the real SDK: the exit code a
// script would check, one JSON envelope with --json, one line (plus a hint) for a human.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const env = t.env;
const aws = () => t.awsArgs();

/** Human mode: stdout empty, stderr = "error: <one line>" and optionally "hint: <one line>". */
function expectOneLineError(stdout: string, stderr: string, message: RegExp): void {
  expect(stdout).toBe('');
  const lines = stderr.split('\n').filter((l) => l && !l.startsWith('target:'));
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1]) expect(lines[1]).toMatch(/^hint: /);
}

describe('AWS error responses → exit codes', () => {
  it('DBInstanceNotFound (404) → exit 4, INSTANCE_NOT_FOUND with the AWS name kept', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/errors/db-instance-not-found.xml', status: 404 } });
    const r = await runRdsctl([...aws(), 'describe', 'nosuchdb', '--json'], env);
    expect(r.code).toBe(4);
    expect(t.server.requests).toHaveLength(1);
    const doc = oneJsonDoc(r.stdout);
    expect(doc).toMatchObject({
      ok: false,
      command: 'describe',
      error: { code: 'INSTANCE_NOT_FOUND', exitCode: 4, awsName: 'DBInstanceNotFoundFault', message: 'DBInstance nosuchdb not found.' },
    });
    expect(r.stderr).toBe('');
  });

  it('DBInstanceNotFound in human mode: one error line and a hint on stderr', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/errors/db-instance-not-found.xml', status: 404 } });
    const r = await runRdsctl([...aws(), 'describe', 'nosuchdb'], env);
    expect(r.code).toBe(4);
    expectOneLineError(r.stdout, r.stderr, /DBInstance nosuchdb not found\./);
  });

  it('InvalidDBInstanceState (400) on stop → exit 5', async () => {
    t.server.routes({ StopDBInstance: { file: 'rds/errors/invalid-db-instance-state.xml', status: 400 } });
    const r = await runRdsctl([...aws(), 'stop', 'mysqldb', '--no-wait', '--json'], env);
    expect(r.code).toBe(5);
    expect(t.server.requests.map((q) => q.params.Action)).toEqual(['StopDBInstance']);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'INVALID_INSTANCE_STATE', exitCode: 5, awsName: 'InvalidDBInstanceStateFault' });
  });

  it('ExpiredTokenException (403) → exit 3, not retried', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/errors/expired-token.xml', status: 403 } });
    const r = await runRdsctl([...aws(), 'list'], env);
    expect(r.code).toBe(3);
    expect(t.server.requests).toHaveLength(1);
    expectOneLineError(r.stdout, r.stderr, /security token included in the request is expired/);
    expect(r.stderr).toMatch(/hint: .*(session|credentials)/i);
  });

  it('ThrottlingException (400) → exit 7 after the SDK retried (3 attempts by default)', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/errors/throttling.xml', status: 400 } });
    const r = await runRdsctl([...aws(), 'describe', 'mysqldb', '--json'], env);
    expect(r.code).toBe(7);
    expect(t.server.requests).toHaveLength(3);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'THROTTLED', exitCode: 7, message: 'Rate exceeded' });
  });

  it('ThrottlingException with AWS_MAX_ATTEMPTS=1 → exit 7 after one request', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/errors/throttling.xml', status: 400 } });
    const r = await runRdsctl([...aws(), 'describe', 'mysqldb'], { ...env, AWS_MAX_ATTEMPTS: '1' });
    expect(r.code).toBe(7);
    expect(t.server.requests).toHaveLength(1);
    expectOneLineError(r.stdout, r.stderr, /Rate exceeded/);
  });
});

describe('unreachable endpoint', () => {
  it('connection refused → exit 7 ENDPOINT_UNREACHABLE with a hint (not a raw SDK "Error")', async () => {
    const net = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await runRdsctl(['--target', 'aws', '--region', 'us-east-1', '--endpoint-url', `http://127.0.0.1:${port}`, 'list', '--json'], { ...env, AWS_MAX_ATTEMPTS: '1' });
    expect(r.code).toBe(7);
    const { error } = oneJsonDoc(r.stdout);
    expect(error.code).toBe('ENDPOINT_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.hint).toMatch(/--endpoint-url/);
  });
});

describe('credentials and region', () => {
  it('no credentials anywhere → exit 3, message about credentials, no request reached the server', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const bare = { ...env };
    delete bare.AWS_ACCESS_KEY_ID;
    delete bare.AWS_SECRET_ACCESS_KEY;
    const r = await runRdsctl([...aws(), 'describe', 'myawsuser-dbi04', '--json'], bare);
    expect(r.code).toBe(3);
    const doc = oneJsonDoc(r.stdout);
    expect(doc.error.code).toBe('MISSING_CREDENTIALS');
    expect(doc.error.message).toMatch(/credentials/i);
    expect(t.server.requests).toHaveLength(0);
  });

  it('--target aws without a region → exit 2 MISSING_REGION, nothing sent', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl(['--target', 'aws', '--endpoint-url', t.server.url, 'list', '--json'], env);
    expect(r.code).toBe(2);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'MISSING_REGION', exitCode: 2 });
    expect(t.server.requests).toHaveLength(0);
  });

  it('AWS_REGION from the environment is enough (and is the region that gets signed)', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-list.xml' } });
    const r = await runRdsctl(['--target', 'aws', '--endpoint-url', t.server.url, 'list', '--json'], { ...env, AWS_REGION: 'eu-west-1' });
    expect(r.code).toBe(0);
    expect(t.server.requests[0]!.headers.authorization).toContain('/eu-west-1/rds/aws4_request');
    expect(oneJsonDoc(r.stdout).target).toMatchObject({ kind: 'aws', region: 'eu-west-1' });
  });
});
