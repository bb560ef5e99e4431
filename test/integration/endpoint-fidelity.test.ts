import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddTagsToResourceCommand, CreateDBParameterGroupCommand, CreateDBSubnetGroupCommand, DescribeDBInstancesCommand,
  CreateOptionGroupCommand, DescribeDBParameterGroupsCommand, ListTagsForResourceCommand, RDSClient, RemoveTagsFromResourceCommand,
} from '@aws-sdk/client-rds';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { runCli } from '../helpers/local-cli.js';
import { startHarness, type Harness } from './endpoint-harness.js';

// Smaller fidelity rules (issue 11 §3), through the real SDK clients: one region, `aws:` tag keys refused
// everywhere a tag is given, and calls to services the endpoint does not serve logged for `rdsctl local logs`.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('ep-fidelity');
});
afterAll(async () => {
  await h?.close();
});

const keys = () => ({ accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey });
const failure = (p: Promise<unknown>) => p.then(() => ({ name: 'no error', status: 0, message: '' }), (e) => ({ name: e.name as string, status: e.$metadata?.httpStatusCode as number, message: e.message as string }));

describe('a request signed for another region', () => {
  it("is refused with AWS's signature error by every service (RDS Query, Secrets Manager JSON), nothing created", async () => {
    const rds = new RDSClient({ endpoint: h.info.url, region: 'eu-west-1', credentials: keys(), maxAttempts: 1 });
    const r = await failure(rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'elsewhere', DBParameterGroupFamily: 'mariadb10.11', Description: 'x' })));
    expect(r).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(r.message).toContain("Credential should be scoped to a valid region, not 'eu-west-1'.");
    const sm = new SecretsManagerClient({ endpoint: h.info.url, region: 'eu-west-1', credentials: keys(), maxAttempts: 1 });
    expect(await failure(sm.send(new ListSecretsCommand({})))).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    const groups = (await h.rds.send(new DescribeDBParameterGroupsCommand({}))).DBParameterGroups!.map((g) => g.DBParameterGroupName);
    expect(groups).not.toContain('elsewhere');
    // Signed for this endpoint's region, every ARN it answers names that region.
    await h.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'here', DBParameterGroupFamily: 'mariadb10.11', Description: 'x' }));
    const arns = (await h.rds.send(new DescribeDBParameterGroupsCommand({}))).DBParameterGroups!.map((g) => g.DBParameterGroupArn);
    expect(arns.every((a) => a?.startsWith('arn:aws:rds:us-east-1:000000000000:pg:'))).toBe(true);
  });
});

describe('tag keys starting with aws:', () => {
  const awsTag = [{ Key: 'aws:owner', Value: 'me' }];
  const subnets = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];

  it('are refused (InvalidParameterValue) on AddTagsToResource and on Create*, and nothing changes', async () => {
    const created = await h.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'tagged', DBSubnetGroupDescription: 'x', SubnetIds: subnets, Tags: [{ Key: 'env', Value: 'test' }] }));
    const ResourceName = created.DBSubnetGroup!.DBSubnetGroupArn!;
    expect(await failure(h.rds.send(new AddTagsToResourceCommand({ ResourceName, Tags: [{ Key: 'team', Value: 'dba' }, ...awsTag] })))).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(await failure(h.rds.send(new AddTagsToResourceCommand({ ResourceName, Tags: [{ Key: 'AWS:Owner', Value: 'me' }] })))).toMatchObject({ name: 'InvalidParameterValue' });
    expect((await h.rds.send(new ListTagsForResourceCommand({ ResourceName }))).TagList).toEqual([{ Key: 'env', Value: 'test' }]);
    expect(await failure(h.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'nope', DBSubnetGroupDescription: 'x', SubnetIds: subnets, Tags: awsTag })))).toMatchObject({ name: 'InvalidParameterValue' });
    expect(await failure(h.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'nope', DBParameterGroupFamily: 'mariadb10.11', Description: 'x', Tags: awsTag })))).toMatchObject({ name: 'InvalidParameterValue' });
    const groups = (await h.rds.send(new DescribeDBParameterGroupsCommand({}))).DBParameterGroups!.map((g) => g.DBParameterGroupName);
    expect(groups).not.toContain('nope');
    expect((await h.rds.send(new DescribeDBInstancesCommand({}))).DBInstances).toEqual([]);
  });
});

describe('tags on parameter and option groups (what Terraform reads after creating one)', () => {
  it('are kept by Create*, listed, added and removed by ARN; the default groups cannot be tagged; an unknown group is not found', async () => {
    const pg = (await h.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'shop-params', DBParameterGroupFamily: 'mariadb10.11', Description: 'x', Tags: [{ Key: 'env', Value: 'prod' }] }))).DBParameterGroup!;
    const og = (await h.rds.send(new CreateOptionGroupCommand({ OptionGroupName: 'shop-options', EngineName: 'mariadb', MajorEngineVersion: '10.11', OptionGroupDescription: 'x', Tags: [{ Key: 'env', Value: 'prod' }] }))).OptionGroup!;
    for (const ResourceName of [pg.DBParameterGroupArn!, og.OptionGroupArn!]) {
      expect((await h.rds.send(new ListTagsForResourceCommand({ ResourceName }))).TagList).toEqual([{ Key: 'env', Value: 'prod' }]);
      await h.rds.send(new AddTagsToResourceCommand({ ResourceName, Tags: [{ Key: 'team', Value: 'dba' }] }));
      await h.rds.send(new RemoveTagsFromResourceCommand({ ResourceName, TagKeys: ['env'] }));
      expect((await h.rds.send(new ListTagsForResourceCommand({ ResourceName }))).TagList).toEqual([{ Key: 'team', Value: 'dba' }]);
    }
    const defaultPg = 'arn:aws:rds:us-east-1:000000000000:pg:default.mariadb10.11';
    expect(await failure(h.rds.send(new AddTagsToResourceCommand({ ResourceName: defaultPg, Tags: [{ Key: 'a', Value: 'b' }] })))).toMatchObject({ name: 'InvalidParameterValue' });
    expect(await failure(h.rds.send(new ListTagsForResourceCommand({ ResourceName: 'arn:aws:rds:us-east-1:000000000000:pg:nope' })))).toMatchObject({ name: 'DBParameterGroupNotFoundFault', status: 404 });
  });
});

describe('a service the endpoint does not serve', () => {
  async function signed(service: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    const url = new URL(h.info.url);
    const signer = new SignatureV4({ service, region: 'us-east-1', sha256: Sha256, applyChecksum: false, credentials: keys() });
    const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', body, headers: { host: url.host, ...headers } });
    const s = await signer.sign(req, { signingDate: new Date() });
    const res = await fetch(h.info.url, { method: 'POST', headers: s.headers, body });
    return { status: res.status, text: await res.text() };
  }

  it('answers 400 naming what it serves, and `rdsctl local logs` shows the call (Query and JSON)', async () => {
    const ec2 = await signed('ec2', 'Action=DescribeInstances&Version=2016-11-15', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(ec2.status).toBe(400);
    expect(ec2.text).toContain('This endpoint serves rds, monitoring (CloudWatch), iam, sts and secretsmanager; the request was signed for service ec2.');
    const ddb = await signed('dynamodb', '{}', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' });
    expect(ddb.status).toBe(400);
    const logs = await runCli(['local', 'logs', '-n', '200'], { env: { RDSCTL_HOME: h.home } });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/unserved request \(signed for ec2\): Unknown Version "2016-11-15" \(Action DescribeInstances\)/);
    expect(logs.stdout).toMatch(/unserved request \(signed for dynamodb\): Unknown x-amz-target "DynamoDB_20120810\.ListTables"/);
  });
});
