import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, DeleteDBInstanceCommand, DescribeEventsCommand, waitUntilDBInstanceDeleted,
} from '@aws-sdk/client-rds';
import { processesMentioning } from '../../src/local/ops/stragglers.js';
import { stopLocalEndpoint } from '../../src/local/control/endpoint.js';
import { connect, describe1, instancePid, pidAlive, sleep, startHarness, waitAvailable, type Harness } from './endpoint-harness.js';

const execFileP = promisify(execFile);

let h: Harness;
beforeAll(async () => {
  process.env.RDSCTL_SUPERVISE_MS = '300';
  h = await startHarness('ep-repl-rec');
  // Encrypted: the replica must read the source's files with the source's key material.
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'enc', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'First-pass-1', DBName: 'app', StorageEncrypted: true,
  }));
  await waitAvailable(h, 'enc');
  const c = await connect(h.home, 'enc', 'app');
  await c.query('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64))');
  await c.query("INSERT INTO t (v) SELECT 'x' FROM seq_1_to_2000");
  await c.end();
}, 120_000);
afterAll(async () => {
  delete process.env.RDSCTL_SUPERVISE_MS;
  await h?.close();
});

async function count(id: string): Promise<number> {
  const c = await connect(h.home, id, 'app');
  try {
    const [rows] = await c.query('SELECT COUNT(*) AS n FROM t');
    return Number((rows as { n: number }[])[0].n);
  } finally {
    await c.end();
  }
}

describe('read replicas: other clients, encryption, control-plane crash', () => {
  it('boto3 creates a replica of an encrypted source and its waiter sees it available', async () => {
    const env = {
      ...process.env, AWS_ENDPOINT_URL: h.info.url, AWS_ACCESS_KEY_ID: h.info.accessKeyId, AWS_SECRET_ACCESS_KEY: h.info.secretAccessKey,
      AWS_DEFAULT_REGION: h.info.region, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const script = [
      'import boto3, json',
      'rds = boto3.client("rds")',
      'out = rds.create_db_instance_read_replica(DBInstanceIdentifier="enc-r1", SourceDBInstanceIdentifier="enc")',
      'rds.get_waiter("db_instance_available").wait(DBInstanceIdentifier="enc-r1", WaiterConfig={"Delay": 1, "MaxAttempts": 180})',
      'db = rds.describe_db_instances(DBInstanceIdentifier="enc-r1")["DBInstances"][0]',
      'src = rds.describe_db_instances(DBInstanceIdentifier="enc")["DBInstances"][0]',
      'print(json.dumps({"sameKey": db["KmsKeyId"] == src["KmsKeyId"], "created": out["DBInstance"]["DBInstanceStatus"], "status": db["DBInstanceStatus"], "source": db.get("ReadReplicaSourceDBInstanceIdentifier"), "encrypted": db["StorageEncrypted"], "info": db.get("StatusInfos")}))',
    ].join('\n');
    const { stdout } = await execFileP('python3', ['-c', script], { env, timeout: 200_000 });
    expect(JSON.parse(stdout)).toEqual({
      sameKey: true, created: 'creating', status: 'available', source: 'enc', encrypted: true,
      info: [{ StatusType: 'read replication', Normal: true, Status: 'replicating' }],
    });
    h.seenPids.add(instancePid(h.home, 'enc-r1')!);
    expect(await count('enc-r1')).toBe(2000);
    // The AWS CLI (v1, botocore's own parser) reads the replica fields too.
    const aws = await execFileP('aws', ['rds', 'describe-db-instances', '--output', 'json', '--endpoint-url', h.info.url], { env });
    const dbs = JSON.parse(aws.stdout).DBInstances as { DBInstanceIdentifier: string; ReadReplicaDBInstanceIdentifiers: string[]; ReadReplicaSourceDBInstanceIdentifier?: string }[];
    expect(dbs.find((d) => d.DBInstanceIdentifier === 'enc')!.ReadReplicaDBInstanceIdentifiers).toEqual(['enc-r1']);
    expect(dbs.find((d) => d.DBInstanceIdentifier === 'enc-r1')!.ReadReplicaSourceDBInstanceIdentifier).toBe('enc');
  }, 240_000);

  it('after a clean control-plane stop and start, replication is started again on the replica', async () => {
    await stopLocalEndpoint(h.home); // stops every mariadbd; the replica comes back with skip_slave_start
    await h.restart();
    await waitAvailable(h, 'enc');
    await waitAvailable(h, 'enc-r1');
    h.seenPids.add(instancePid(h.home, 'enc')!);
    h.seenPids.add(instancePid(h.home, 'enc-r1')!);
    const c = await connect(h.home, 'enc', 'app');
    await c.query("INSERT INTO t (v) VALUES ('after-restart')");
    await c.end();
    for (let i = 0; i < 100 && (await count('enc-r1')) !== 2001; i++) await sleep(100);
    expect(await count('enc-r1')).toBe(2001);
    expect((await describe1(h, 'enc-r1')).StatusInfos?.[0]?.Status).toBe('replicating');
    const c2 = await connect(h.home, 'enc', 'app');
    await c2.query("DELETE FROM t WHERE v = 'after-restart'");
    await c2.end();
  }, 120_000);

  it('a control plane killed during a replica creation: after restart the replica is failed with a reason, no process is left, delete works', async () => {
    await h.rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: 'half', SourceDBInstanceIdentifier: 'enc' }));
    const dir = `${h.home}/instances/half/`;
    for (let i = 0; i < 600 && processesMentioning(dir).length === 0; i++) await sleep(10); // mariadb-backup / mariadbd of the copy
    expect(processesMentioning(dir).length).toBeGreaterThan(0);
    process.kill(h.info.pid, 'SIGKILL');
    while (pidAlive(h.info.pid)) await sleep(50);
    await h.restart();
    let status = '';
    for (let i = 0; i < 300; i++, await sleep(100)) {
      status = (await describe1(h, 'half')).DBInstanceStatus!;
      if (status === 'failed' || status === 'available') break;
    }
    expect(status).toBe('failed');
    expect(processesMentioning(dir)).toEqual([]);
    const events = await h.rds.send(new DescribeEventsCommand({ SourceIdentifier: 'half', SourceType: 'db-instance' }));
    expect(events.Events!.map((e) => e.Message).join('\n')).toContain('while the instance was being created');
    // The source and its other replica are unharmed and still replicate.
    expect((await describe1(h, 'enc')).DBInstanceStatus).toBe('available');
    const c = await connect(h.home, 'enc', 'app');
    await c.query("INSERT INTO t (v) VALUES ('after')");
    await c.end();
    for (let i = 0; i < 100 && (await count('enc-r1')) !== 2001; i++) await sleep(100);
    expect(await count('enc-r1')).toBe(2001);
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'half' }));
    await waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: 'half' });
    expect((await describe1(h, 'enc')).ReadReplicaDBInstanceIdentifiers).toEqual(['enc-r1']);
    h.seenPids.add(instancePid(h.home, 'enc')!);
  }, 240_000);
});
