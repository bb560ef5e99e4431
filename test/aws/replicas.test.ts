import { statSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listUserSecrets, userSecretsDir, writeUserSecret } from '../../src/local/state/user-secrets.js';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// scale-replicas, replicas, replicas verify and promote against documented AWS responses (fixtures/aws/rds),
// replayed at the HTTP level to the real CLI and SDK.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const rdsctl = (...args: string[]) => runRdsctl([...t.awsArgs(), ...args], t.env);
const actions = (reqs: RecordedRequest[]) => reqs.map((r) => r.params.Action);
const f = (name: string) => ({ file: `rds/${name}.xml` });
const NOT_FOUND = { file: 'rds/errors/db-instance-not-found.xml', status: 404 };
const BAD_STATE = { file: 'rds/errors/invalid-db-instance-state.xml', status: 400 };
const mutating = (reqs: RecordedRequest[]) => actions(reqs).filter((a) => !a.startsWith('Describe'));

describe('scale-replicas --target aws', () => {
  it('0 → 1: CreateDBInstanceReadReplica for <id>-replica-1, waits until available and replicating, prints it', async () => {
    t.server.routes({
      DescribeDBInstances: [f('describe-db-instances-dbi04'), f('describe-db-instances-dbi04-replica-1-replicating'),
        f('describe-db-instances-dbi04-with-replica-1'), f('describe-db-instances-dbi04-replica-1-replicating')],
      CreateDBInstanceReadReplica: f('create-db-instance-read-replica'),
    });
    const r = await rdsctl('scale-replicas', 'myawsuser-dbi04', '--count', '1', '--class', 'db.m1.small', '--json');
    expect(r.code, r.stderr).toBe(0);
    const create = t.server.requests.find((q) => q.params.Action === 'CreateDBInstanceReadReplica')!;
    expect(create.params).toMatchObject({ DBInstanceIdentifier: 'myawsuser-dbi04-replica-1', SourceDBInstanceIdentifier: 'myawsuser-dbi04', DBInstanceClass: 'db.m1.small' });
    const doc = oneJsonDoc(r.stdout);
    expect(doc.data.plan).toMatchObject({ create: ['myawsuser-dbi04-replica-1'], delete: [] });
    expect(doc.data.replicas).toEqual([expect.objectContaining({
      id: 'myawsuser-dbi04-replica-1', status: 'available', replication: 'replicating',
      endpoint: 'myawsuser-dbi04-replica-1.cg037hpkuyjt.us-east-1.rds.amazonaws.com:3306',
    })]);
  });

  it('--dry-run prints the plan and calls no mutating API', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica')] });
    const r = await rdsctl('scale-replicas', 'myawsuser-dbi04', '--count', '3', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('myawsuser-dbi04: 1 → 3 read replica(s) (dry run, nothing changed)\n  + create myawsuser-dbi04-replica-1\n  + create myawsuser-dbi04-replica-2\n');
    expect(mutating(t.server.requests)).toEqual([]);
  });

  it('scaling down without a terminal needs --yes: exit 2, nothing deleted', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica')] });
    const r = await rdsctl('scale-replicas', 'myawsuser-dbi04', '--count', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: Delete read replica\(s\) myawsuser-dbi04-replica of myawsuser-dbi04 \(no final snapshot\)\? needs confirmation/);
    expect(r.stderr).toMatch(/--yes/);
    expect(mutating(t.server.requests)).toEqual([]);
  });

  it('--count 0 --yes deletes the replica with SkipFinalSnapshot', async () => {
    t.server.routes({
      DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica'), f('describe-db-instances-dbi04')],
      DeleteDBInstance: f('delete-db-instance'),
    });
    const r = await rdsctl('scale-replicas', 'myawsuser-dbi04', '--count', '0', '--yes', '--no-wait', '--json');
    expect(r.code, r.stderr).toBe(0);
    const del = t.server.requests.filter((q) => q.params.Action === 'DeleteDBInstance');
    expect(del.map((q) => q.params)).toEqual([expect.objectContaining({ DBInstanceIdentifier: 'myawsuser-dbi04-replica', SkipFinalSnapshot: 'true' })]);
    expect(oneJsonDoc(r.stdout).data.plan.delete).toEqual(['myawsuser-dbi04-replica']);
  });

  it('on a replica: allowed (a chain), and the plan says the new ones replicate from it', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-replica'), f('describe-db-instances-dbi04')] });
    const r = await rdsctl('scale-replicas', 'myawsuser-dbi04-replica', '--count', '1', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\+ create myawsuser-dbi04-replica-replica-1/);
    expect(r.stdout).toMatch(/myawsuser-dbi04-replica is itself a replica of myawsuser-dbi04/);
  });

  it.each(['-1', '1.5', '16', 'abc'])('--count %s → exit 2 before any call', async (n) => {
    const r = await rdsctl('scale-replicas', 'myawsuser-dbi04', '--count', n);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: --count must be a whole number from 0 to 15/);
    expect(t.server.requests).toEqual([]);
  });

  it('an unknown instance → exit 4', async () => {
    t.server.routes({ DescribeDBInstances: NOT_FOUND });
    const r = await rdsctl('scale-replicas', 'myawsuser-dbi04', '--count', '1');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/rdsctl list/);
  });
});

describe('replicas --target aws', () => {
  it('a table within 80 columns; the long endpoints go below it; a replication error is spelled out', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica-error')] });
    const r = await rdsctl('replicas', 'myawsuser-dbi04');
    expect(r.code, r.stderr).toBe(0);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/^REPLICA\s+STATUS\s+REPLICATION\s+LAG S\s+GTID BEHIND\n/);
    expect(r.stdout).toMatch(/myawsuser-dbi04-replica\s+available\s+error\s+-\s+-/);
    expect(r.stdout).toMatch(/Endpoints:\n  myawsuser-dbi04-replica\n    myawsuser-dbi04-replica\.cg037hpkuyjt\.us-east-1\.rds\.amazonaws\.com:3306/);
    expect(r.stdout).toMatch(/myawsuser-dbi04-replica: Replication has stopped\./);
  });

  it('--json: one document with each replica', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica-replicating')] });
    const r = await rdsctl('replicas', 'myawsuser-dbi04', '--json');
    expect(oneJsonDoc(r.stdout).data).toEqual({ source: 'myawsuser-dbi04', replicas: [expect.objectContaining({ id: 'myawsuser-dbi04-replica', replication: 'replicating' })] });
  });

  it('verify without the master password → exit 2 naming RDSCTL_DB_PASSWORD, nothing connected', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica'), f('describe-db-instances-dbi04')] });
    const r = await rdsctl('replicas', 'verify', 'myawsuser-dbi04');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: rdsctl does not hold the password for myawsuser-dbi04\./);
    expect(r.stderr).toMatch(/RDSCTL_DB_PASSWORD/);
  });

  it('verify with a replica still being created → exit 5 naming it, before anything connects', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica-creating'), f('describe-db-instances-dbi04')] });
    const r = await runRdsctl([...t.awsArgs(), 'replicas', 'verify', 'myawsuser-dbi04'], { ...t.env, RDSCTL_DB_PASSWORD: 'Not-used-1234' });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/error: Read replica myawsuser-dbi04-replica is creating and takes no connections yet\./);
    expect(r.stderr).toMatch(/rdsctl describe myawsuser-dbi04-replica/);
  });

  it('replicas with a password: a replica being created is listed with its status, not connected to', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica-creating')] });
    const r = await runRdsctl([...t.awsArgs(), 'replicas', 'myawsuser-dbi04', '--json'], { ...t.env, RDSCTL_DB_PASSWORD: 'Not-used-1234' });
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data.replicas).toEqual([expect.objectContaining({ id: 'myawsuser-dbi04-replica', status: 'creating' })]);
    expect(oneJsonDoc(r.stdout).data.replicas[0].note).toBeUndefined();
  });

  it('verify of an instance without replicas → exit 5 with the command that adds one', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-dbi04') });
    const r = await rdsctl('replicas', 'verify', 'myawsuser-dbi04');
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/hint: Add one first: rdsctl scale-replicas myawsuser-dbi04 --count 1/);
  });
});

describe('promote --target aws', () => {
  it('PromoteReadReplica with the retention asked for; waits until available and detached', async () => {
    t.server.routes({
      DescribeDBInstances: [f('describe-db-instances-dbi04-replica'), f('describe-db-instances-dbi04-replica-promoted')],
      PromoteReadReplica: f('promote-read-replica'),
    });
    const r = await rdsctl('promote', 'myawsuser-dbi04-replica', '--backup-retention', '7', '--yes');
    expect(r.code, r.stderr).toBe(0);
    const req = t.server.requests.find((q) => q.params.Action === 'PromoteReadReplica')!;
    expect(req.params).toMatchObject({ DBInstanceIdentifier: 'myawsuser-dbi04-replica', BackupRetentionPeriod: '7' });
    expect(r.stdout).toBe('Promoted myawsuser-dbi04-replica: standalone and writable, no longer replicating from myawsuser-dbi04.\n');
  });

  it("the users kept for the source (rdsctl users) are kept for the promoted instance too, 0600", async () => {
    const home = t.env.RDSCTL_HOME!;
    writeUserSecret(home, 'aws-us-east-1', 'myawsuser-dbi04', { username: 'app_rw', password: 'Kept-Pw-0123456789', role: 'app', database: 'shop', host: '%' });
    t.server.routes({
      DescribeDBInstances: [f('describe-db-instances-dbi04-replica'), f('describe-db-instances-dbi04-replica-promoted')],
      PromoteReadReplica: f('promote-read-replica'),
    });
    const r = await rdsctl('promote', 'myawsuser-dbi04-replica', '--yes', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data.users).toEqual(['app_rw']);
    expect(r.stdout).not.toContain('Kept-Pw-0123456789');
    expect(listUserSecrets(home, 'aws-us-east-1', 'myawsuser-dbi04-replica')).toEqual([expect.objectContaining({ username: 'app_rw', password: 'Kept-Pw-0123456789' })]);
    expect(statSync(`${userSecretsDir(home, 'aws-us-east-1', 'myawsuser-dbi04-replica')}/app_rw.json`).mode & 0o777).toBe(0o600);
    expect(listUserSecrets(home, 'aws-us-east-1', 'myawsuser-dbi04').map((u) => u.username)).toEqual(['app_rw']); // the source keeps its own
    t.server.routes({
      DescribeDBInstances: [f('describe-db-instances-dbi04-replica'), f('describe-db-instances-dbi04-replica-promoted')],
      PromoteReadReplica: f('promote-read-replica'),
    });
    const human = await rdsctl('promote', 'myawsuser-dbi04-replica', '--yes');
    expect(human.stdout).toMatch(/The kept passwords of the database users app_rw \(rdsctl users\) serve it too: rdsctl credentials myawsuser-dbi04-replica --user NAME\./);
  });

  it('without a terminal it needs --yes: exit 2, nothing promoted', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-dbi04-replica') });
    const r = await rdsctl('promote', 'myawsuser-dbi04-replica');
    expect(r.code).toBe(2);
    expect(mutating(t.server.requests)).toEqual([]);
  });

  it('a standalone instance: AWS\'s InvalidDBInstanceState → exit 5 with a real command', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-dbi04'), PromoteReadReplica: BAD_STATE });
    const r = await rdsctl('promote', 'myawsuser-dbi04', '--json');
    expect(r.code).toBe(5);
    const doc = oneJsonDoc(r.stdout);
    expect(doc.error).toMatchObject({ code: 'NOT_A_READ_REPLICA', awsName: 'InvalidDBInstanceStateFault' });
    expect(doc.error.message).toBe("myawsuser-dbi04 is not a read replica, so there is nothing to promote (the target answered: The DB instance isn't in a valid state.).");
    expect(doc.error.hint).toMatch(/rdsctl scale-replicas myawsuser-dbi04 --count 1$/);
  });

  it('an unknown instance → exit 4', async () => {
    t.server.routes({ DescribeDBInstances: NOT_FOUND });
    expect((await rdsctl('promote', 'myawsuser-dbi04-replica', '--yes')).code).toBe(4);
    expect(mutating(t.server.requests)).toEqual([]);
  });
});

describe('modify of a source with replicas --target aws', () => {
  it('the plan of a class change says the replicas keep replicating across the restart', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-dbi04-with-replica') });
    const r = await rdsctl('modify', 'myawsuser-dbi04', '--class', 'db.m5.large', '--apply-immediately', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/This restarts myawsuser-dbi04 to apply DBInstanceClass \(brief outage\)\.\nIts read replicas keep replicating across the restart \(they reconnect\):\n  myawsuser-dbi04-replica\n/);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('no replicas: no such line', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-dbi04') });
    const r = await rdsctl('modify', 'myawsuser-dbi04', '--class', 'db.m5.large', '--apply-immediately', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/read replicas/);
  });
});
