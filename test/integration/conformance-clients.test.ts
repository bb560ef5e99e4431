import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientEnv, run } from '../helpers/aws-clients.js';
import { REPO, runCli } from '../helpers/local-cli.js';
import { startHarness, type Harness } from './endpoint-harness.js';

/**
 * Clients nobody here wrote, against one local endpoint: boto3 (waiters with a 1 s delay, paginators,
 * the catalogue and subnet-group calls, refusals) and the AWS CLI v1 with --endpoint-url.
 * Both are on these machines' image (clients.md); a missing one fails the test with why.
 */
let h: Harness;
let env: Record<string, string>;
let version: string;

beforeAll(async () => {
  h = await startHarness('conformance');
  env = clientEnv(h.info);
  const v = await run('mariadbd', ['--version'], { env, timeoutMs: 10_000 });
  version = /Ver\s+(\d+\.\d+\.\d+)/.exec(v.stdout)![1];
});
afterAll(async () => {
  await h?.close();
});

it('boto3: catalogue, subnet groups, an instance with every metadata setting, waiters and paginators, refusals', async () => {
  const r = await run('python3', [path.join(REPO, 'test/conformance/boto3_conformance.py')], { env: { ...env, EXPECT_ENGINE_VERSION: version }, timeoutMs: 240_000 });
  expect(r.stderr, r.stdout).not.toMatch(/Traceback/);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toContain('boto3 conformance: ok');
  // The KMS call the script made (a service the endpoint does not serve) is in the control-plane log.
  const logs = await runCli(['local', 'logs', '-n', '400'], { env: { RDSCTL_HOME: h.home } });
  expect(logs.stdout).toMatch(/unserved request \(signed for kms\): Unknown x-amz-target "TrentService\.ListKeys"/);
}, 300_000);

it('AWS CLI v1 (--endpoint-url): engine versions, orderable options, subnet groups, refusals, an unserved service', async () => {
  const aws = (...args: string[]) => run('aws', [...args, '--endpoint-url', h.info.url, '--output', 'json'], { env, timeoutMs: 60_000 });
  const versions = await aws('rds', 'describe-db-engine-versions', '--engine', 'mariadb');
  expect(versions.code, versions.stderr).toBe(0);
  expect(JSON.parse(versions.stdout).DBEngineVersions.map((v: any) => [v.EngineVersion, v.DBParameterGroupFamily])).toEqual([[version, 'mariadb10.11']]);

  const orderable = await aws('rds', 'describe-orderable-db-instance-options', '--engine', 'mariadb', '--db-instance-class', 'db.r6g.large');
  expect(JSON.parse(orderable.stdout).OrderableDBInstanceOptions.map((o: any) => o.StorageType)).toEqual(['gp2', 'gp3', 'io1', 'io2', 'standard']);

  const created = await aws('rds', 'create-db-subnet-group', '--db-subnet-group-name', 'cli-subnets', '--db-subnet-group-description', 'cli',
    '--subnet-ids', 'subnet-0123456789abcdef0', 'subnet-0123456789abcdef1');
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout).DBSubnetGroup.Subnets.map((s: any) => s.SubnetAvailabilityZone.Name)).toEqual(['us-east-1a', 'us-east-1b']);

  const base = ['rds', 'create-db-instance', '--db-instance-identifier', 'cli-bad', '--db-instance-class', 'db.t4g.micro', '--engine', 'mariadb',
    '--allocated-storage', '20', '--master-username', 'admin', '--master-user-password', 'Cli-conformance1'];
  const awsTag = await aws(...base, '--tags', 'Key=aws:owner,Value=me');
  expect(awsTag.code).not.toBe(0);
  expect(awsTag.stderr).toContain('(InvalidParameterValue) when calling the CreateDBInstance operation: Invalid tag key: aws:owner');
  const az = await aws(...base, '--availability-zone', 'us-west-2a');
  expect(az.stderr).toContain('(InvalidParameterValue)');
  const pi = await aws(...base, '--enable-performance-insights');
  expect(pi.stderr).toContain('(InvalidParameterCombination) when calling the CreateDBInstance operation: Performance Insights is not supported');
  const none = await aws('rds', 'describe-db-instances');
  expect(JSON.parse(none.stdout).DBInstances).toEqual([]);

  const ec2 = await aws('ec2', 'describe-vpcs');
  expect(ec2.code).not.toBe(0);
  expect(ec2.stderr).toContain('the request was signed for service ec2');
  const deleted = await aws('rds', 'delete-db-subnet-group', '--db-subnet-group-name', 'cli-subnets');
  expect(deleted.code, deleted.stderr).toBe(0);
  const logs = await runCli(['local', 'logs', '-n', '400'], { env: { RDSCTL_HOME: h.home } });
  expect(logs.stdout).toMatch(/unserved request \(signed for ec2\): Unknown Version "2016-11-15" \(Action DescribeVpcs\)/);
}, 180_000);
