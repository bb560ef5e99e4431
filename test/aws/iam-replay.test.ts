import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// `rdsctl iam` on the aws target: the IAM and RDS calls the real CLI sends, answered with documented
// responses (fixtures/aws/README.md) replayed over HTTP.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const env = t.env;
const aws = () => t.awsArgs();
const actions = (reqs: RecordedRequest[]) => reqs.map((r) => r.params.Action);
const RESOURCE = 'arn:aws:rds-db:us-east-1:123456789012:dbuser:db-EXAMPLEDBIRESOURCEID123456/app';

describe('iam --target aws (replayed)', () => {
  it('grant: GetRole, GetPolicy (none), CreatePolicy on the dbuser ARN, AttachRolePolicy; prints the AWSAuthenticationPlugin user to create', async () => {
    t.server.routes({
      DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-iam.xml' },
      GetRole: { file: 'iam/get-role.xml' },
      GetPolicy: { file: 'iam/errors/no-such-entity-policy.xml', status: 404 },
      CreatePolicy: { file: 'iam/create-policy.xml' },
      AttachRolePolicy: { file: 'iam/attach-role-policy.xml' },
    });
    const r = await runRdsctl([...aws(), 'iam', 'grant', 'myawsuser-dbi04', '--db-user', 'app', '--role', 'S3Access', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'GetRole', 'GetPolicy', 'CreatePolicy', 'AttachRolePolicy']);
    const create = t.server.requests[3]!.params;
    expect(create.PolicyName).toBe('rdsctl-myawsuser-dbi04-app-connect');
    expect(JSON.parse(create.PolicyDocument!)).toEqual({ Version: '2012-10-17', Statement: [{ Sid: 'RdsctlIamConnect', Effect: 'Allow', Action: ['rds-db:connect'], Resource: [RESOURCE] }] });
    expect(t.server.requests[4]!.params).toMatchObject({ RoleName: 'S3Access', PolicyArn: 'arn:aws:iam::123456789012:policy/rdsctl-myawsuser-dbi04-app-connect' });
    const data = oneJsonDoc(r.stdout).data;
    expect(data.changed).toBe(true);
    expect(data.sqlToRun).toEqual(["CREATE USER 'app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL"]);
  });

  it('grant --dry-run sends no mutating call and shows the policy document', async () => {
    t.server.routes({
      DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-iam.xml' },
      GetRole: { file: 'iam/get-role.xml' },
      GetPolicy: { file: 'iam/errors/no-such-entity-policy.xml', status: 404 },
    });
    const r = await runRdsctl([...aws(), 'iam', 'grant', 'myawsuser-dbi04', '--db-user', 'app', '--role', 'arn:aws:iam::123456789012:role/application_abc/component_xyz/S3Access', '--dry-run'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'GetRole', 'GetPolicy']);
    expect(r.stdout).toContain(RESOURCE);
    expect(r.stdout).toContain("IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL");
  });

  it('grant with an unknown role: exit 4 naming the flag; nothing created', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-iam.xml' }, GetRole: { file: 'iam/errors/no-such-entity-role.xml', status: 404 } });
    const r = await runRdsctl([...aws(), 'iam', 'grant', 'myawsuser-dbi04', '--db-user', 'app', '--role', 'no-such-role', '--json'], env);
    expect(r.code).toBe(4);
    const e = oneJsonDoc(r.stdout).error;
    expect(e.code).toBe('IAM_ROLE_NOT_FOUND');
    expect(e.hint).toContain('rdsctl iam grant myawsuser-dbi04 --db-user app --role');
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances', 'GetRole']);
  });

  it('grant on an instance without IAM authentication: exit 5 naming rdsctl iam enable', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl([...aws(), 'iam', 'grant', 'myawsuser-dbi04', '--db-user', 'app', '--role', 'S3Access', '--json'], env);
    expect(r.code).toBe(5);
    expect(oneJsonDoc(r.stdout).error.hint).toContain('rdsctl iam enable myawsuser-dbi04');
    expect(actions(t.server.requests)).toEqual(['DescribeDBInstances']);
  });

  it('enable sends ModifyDBInstance EnableIAMDatabaseAuthentication=true, ApplyImmediately=true', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' }, ModifyDBInstance: { file: 'rds/modify-db-instance.xml' } });
    const r = await runRdsctl([...aws(), 'iam', 'enable', 'myawsuser-dbi04', '--no-wait', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(t.server.requests[1]!.params).toMatchObject({ Action: 'ModifyDBInstance', DBInstanceIdentifier: 'myawsuser-dbi04', EnableIAMDatabaseAuthentication: 'true', ApplyImmediately: 'true' });
  });

  it('token: a presigned connect URL for the endpoint, signed for rds-db, 900 s', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-iam.xml' } });
    const r = await runRdsctl([...aws(), 'iam', 'token', 'myawsuser-dbi04', '--db-user', 'app'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^myawsuser-dbi04\.cg037hpkuyjt\.us-east-1\.rds\.amazonaws\.com:3306\/\?Action=connect&DBUser=app&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[A-Z0-9]+%2F\d{8}%2Fus-east-1%2Frds-db%2Faws4_request&.*X-Amz-Expires=900/);
  });
});
