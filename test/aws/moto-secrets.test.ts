import { describe, expect, it } from 'vitest';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { DeleteSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useMotoCli } from '../helpers/moto.js';

// `rdsctl credentials --target aws` against moto_server, which keeps RDS's managed master password in
// its own Secrets Manager: the CLI must read the secret moto made, and say so clearly when it is gone.
const moto = useMotoCli('Moto-secrets-Passw0rd', 'AKIDMOTOTEST00000004');
const config = () => ({ endpoint: moto.url(), region: 'us-east-1', credentials: { accessKeyId: 'AKIDMOTOTEST00000004', secretAccessKey: 'moto-secret' } });

describe('rdsctl credentials --target aws against moto_server', () => {
  it('reads the password RDS (moto) keeps in Secrets Manager; a deleted secret → exit 4 SECRET_NOT_FOUND', async () => {
    const rds = new RDSClient(config());
    const created = await rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'vault', Engine: 'mysql', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'admin', ManageMasterUserPassword: true,
    }));
    const arn = created.DBInstance!.MasterUserSecret!.SecretArn!;
    const sm = new SecretsManagerClient(config());
    const stored = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString!);

    const r = await moto.rdsctl('credentials', 'vault');
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.data).toMatchObject({ username: stored.username, secretArn: arn });
    expect(r.doc.data.password).toBe(stored.password);
    expect(r.doc.data.password.length).toBeGreaterThan(8);

    await sm.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }));
    const gone = await moto.rdsctl('credentials', 'vault');
    expect(gone.code).toBe(4);
    expect(gone.doc.error).toMatchObject({ code: 'SECRET_NOT_FOUND', awsName: 'ResourceNotFoundException' });
    expect(gone.doc.error.message).toBe(`The master password secret of vault does not exist: ${arn}.`);
  });
});

// moto with IAM checks on (after the first 3 calls, which create the user): a DBA allowed rds:* only.
const strict = useMotoCli('Moto-secrets-Passw0rd', 'AKIDMOTOTEST00000005', { INITIAL_NO_AUTH_ACTION_COUNT: '3' });

describe('rdsctl credentials --target aws, the identity may not read the secret (moto with IAM checks)', () => {
  it('→ exit 3 SECRET_ACCESS_DENIED, one line naming the secret', async () => {
    const admin = { endpoint: strict.url(), region: 'us-east-1', credentials: { accessKeyId: 'AKIDMOTOTEST00000005', secretAccessKey: 'moto-secret' } };
    const iam = new IAMClient(admin);
    await iam.send(new CreateUserCommand({ UserName: 'dba' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'dba', PolicyName: 'rds-only', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rds:*', Resource: '*' }] }) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'dba' }))).AccessKey!;
    const dba = { AWS_ACCESS_KEY_ID: key.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.SecretAccessKey! };
    const rds = new RDSClient({ ...admin, credentials: { accessKeyId: dba.AWS_ACCESS_KEY_ID, secretAccessKey: dba.AWS_SECRET_ACCESS_KEY } });
    const arn = (await rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'vault', Engine: 'mysql', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'admin', ManageMasterUserPassword: true,
    }))).DBInstance!.MasterUserSecret!.SecretArn!;
    const args = ['--target', 'aws', '--region', 'us-east-1', '--endpoint-url', strict.url(), 'credentials', 'vault'];
    const r = await runRdsctl(args, { ...strict.env(), ...dba });
    expect(r.code, r.stderr).toBe(3);
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('target:'));
    expect(lines[0]).toBe(`error: Access denied reading the master password secret of vault (${arn}).`);
    expect(lines[1]).toMatch(/^hint: Your AWS identity needs secretsmanager:GetSecretValue/);
    expect(lines).toHaveLength(2);
    const j = await runRdsctl([...args, '--json'], { ...strict.env(), ...dba });
    expect(oneJsonDoc(j.stdout).error).toMatchObject({ code: 'SECRET_ACCESS_DENIED', exitCode: 3 });
  });
});
