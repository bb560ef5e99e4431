import { describe, expect, it } from 'vitest';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { DeleteSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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
