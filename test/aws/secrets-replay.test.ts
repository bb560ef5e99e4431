import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';

// `rdsctl credentials <id> --target aws` for a password RDS manages: the secret named by
// MasterUserSecret.SecretArn read with GetSecretValue (Secrets Manager JSON 1.1), replayed from assembled
// documented responses (fixtures/aws/secretsmanager/, see fixtures/aws/README.md), requests recorded.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0b5e8e4a-3c5d-4f6a-9b1c-2d3e4f5a6b7c-AbCdEf';
const managed = { DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-managed.xml' } };

/** Human mode: stdout empty, stderr = "error: <one line>" and optionally "hint: <one line>". */
function oneLineError(stdout: string, stderr: string): string[] {
  expect(stdout).toBe('');
  const lines = stderr.split('\n').filter((l) => l && !l.startsWith('target:'));
  expect(lines[0]).toMatch(/^error: /);
  expect(lines.length).toBeLessThanOrEqual(2);
  return lines;
}

describe('rdsctl credentials --target aws', () => {
  it('reads the managed password from the instance\'s secret with GetSecretValue (SecretId = the SecretArn, JSON 1.1, signed for secretsmanager)', async () => {
    t.server.routes({ ...managed, GetSecretValue: { file: 'secretsmanager/get-secret-value-dbi04.json' } });
    const r = await runRdsctl([...t.awsArgs(), 'credentials', 'myawsuser-dbi04', '--json'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data).toMatchObject({ username: 'myawsuser', password: 'EXAMPLE-PASSWORD', secretArn: ARN, port: 3306 });
    const req = t.server.requests.find((x) => x.params.Action === 'GetSecretValue')!;
    expect(req.headers['content-type']).toContain('application/x-amz-json-1.1');
    expect(req.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(req.headers.authorization).toMatch(/\/us-east-1\/secretsmanager\/aws4_request/);
    expect(JSON.parse(req.body)).toEqual({ SecretId: ARN });
    const human = await runRdsctl([...t.awsArgs(), 'credentials', 'myawsuser-dbi04'], t.env);
    expect(human.stdout).toMatch(/^password: EXAMPLE-PASSWORD$/m);
  });

  it('an instance without a managed password asks Secrets Manager nothing and says rdsctl does not keep it', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'credentials', 'myawsuser-dbi04'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^password: \(not kept by rdsctl\)$/m);
    expect(t.server.requests.map((x) => x.params.Action)).toEqual(['DescribeDBInstances']);
  });

  it.each([
    ['AccessDeniedException', 'secretsmanager/errors/access-denied.json', 3, 'SECRET_ACCESS_DENIED', /^error: Access denied reading the master password secret of myawsuser-dbi04 \(arn:aws:secretsmanager:/],
    ['ResourceNotFoundException', 'secretsmanager/errors/resource-not-found.json', 4, 'SECRET_NOT_FOUND', /^error: The master password secret of myawsuser-dbi04 does not exist: arn:aws:secretsmanager:/],
  ])('%s (%s) → exit %i, one line naming the secret, awsName kept for --json', async (name, file, exit, code, line) => {
    t.server.routes({ ...managed, GetSecretValue: { file, status: 400 } });
    const r = await runRdsctl([...t.awsArgs(), 'credentials', 'myawsuser-dbi04'], t.env);
    expect(r.code).toBe(exit);
    const lines = oneLineError(r.stdout, r.stderr);
    expect(lines[0]).toMatch(line);
    expect(lines[1]).toMatch(/^hint: /);
    const j = await runRdsctl([...t.awsArgs(), 'credentials', 'myawsuser-dbi04', '--json'], t.env);
    expect(oneJsonDoc(j.stdout).error).toMatchObject({ code, exitCode: exit, awsName: name });
  });

  it('--rotate sends ModifyDBInstance RotateMasterUserPassword=true with ApplyImmediately and prints no password', async () => {
    t.server.routes({ ...managed, ModifyDBInstance: { file: 'rds/modify-db-instance.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'credentials', 'myawsuser-dbi04', '--rotate', '--yes', '--no-wait'], t.env);
    expect(r.code, r.stderr).toBe(0);
    const mod = t.server.requests.find((x) => x.params.Action === 'ModifyDBInstance')!;
    expect(mod.params).toMatchObject({ DBInstanceIdentifier: 'myawsuser-dbi04', RotateMasterUserPassword: 'true', ApplyImmediately: 'true' });
    expect(r.stdout).toContain('Rotating the master password of myawsuser-dbi04; `rdsctl credentials myawsuser-dbi04` prints the new one.');
    expect(t.server.requests.map((x) => x.params.Action)).not.toContain('GetSecretValue');
  });

  it('--rotate of a password RDS does not manage → exit 5, nothing sent', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'credentials', 'myawsuser-dbi04', '--rotate', '--yes'], t.env);
    expect(r.code).toBe(5);
    expect(oneLineError(r.stdout, r.stderr)[0]).toContain('The master password of myawsuser-dbi04 is not managed by the target');
    expect(t.server.requests.map((x) => x.params.Action)).toEqual(['DescribeDBInstances']);
  });
});
