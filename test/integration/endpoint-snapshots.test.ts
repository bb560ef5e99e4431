import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateDBInstanceCommand, CreateDBSnapshotCommand, DeleteDBInstanceCommand, DeleteDBSnapshotCommand, DescribeDBSnapshotsCommand,
  RestoreDBInstanceFromDBSnapshotCommand, waitUntilDBInstanceDeleted, type DescribeDBSnapshotsCommandInput, waitUntilDBSnapshotAvailable,
} from '@aws-sdk/client-rds';
import fs from 'node:fs';
import path from 'node:path';
import { snapshotFiles } from '../../src/local/ops/snapshots-store.js';
import { connect, describe1, errorName, startHarness, waitAvailable, type Harness } from './endpoint-harness.js';

const MARKER = 'snapshot-plaintext-marker-7f3a';
let h: Harness;
let atSnapshot: unknown;

async function sql<T = Record<string, unknown>[]>(id: string, text: string): Promise<T> {
  const c = await connect(h.home, id, 'app');
  try {
    return (await c.query(text))[0] as T;
  } finally {
    await c.end();
  }
}

const checksums = (id: string) => sql(id, 'CHECKSUM TABLE orders, items');

async function waitSnapshot(id: string): Promise<void> {
  await waitUntilDBSnapshotAvailable({ client: h.rds, maxWaitTime: 180, minDelay: 1, maxDelay: 1 }, { DBSnapshotIdentifier: id });
}

const snapshots = async (input: DescribeDBSnapshotsCommandInput) =>
  (await h.rds.send(new DescribeDBSnapshotsCommand(input))).DBSnapshots ?? [];

beforeAll(async () => {
  h = await startHarness('ep-snap');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'src', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20, StorageEncrypted: true,
    MasterUsername: 'admin', MasterUserPassword: 'First-pass-1', DBName: 'app', CopyTagsToSnapshot: true, Tags: [{ Key: 'team', Value: 'db' }],
  }));
  await waitAvailable(h, 'src');
  await sql('src', 'CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(64))');
  await sql('src', 'CREATE TABLE items (id INT PRIMARY KEY, qty INT)');
  await sql('src', `INSERT INTO orders (note) VALUES ('${MARKER}'), ('b'), ('c')`);
  await sql('src', 'INSERT INTO items VALUES (1, 10), (2, 20)');
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe('DB snapshots on the local endpoint (real mariadb-backup)', () => {
  it('CreateDBSnapshot answers creating, then the copy is available, prepared, encrypted and owner-only', async () => {
    atSnapshot = await checksums('src');
    const out = await h.rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'S1', DBInstanceIdentifier: 'src' }));
    expect(out.DBSnapshot).toMatchObject({ DBSnapshotIdentifier: 's1', Status: 'creating', PercentProgress: 0, SnapshotType: 'manual', Encrypted: true });
    // While it is being taken: it cannot be deleted, and its name is taken.
    expect(await errorName(h.rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 's1' })))).toBe('InvalidDBSnapshotStateFault');
    expect(await errorName(h.rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: 'src' })))).toBe('DBSnapshotAlreadyExistsFault');
    await waitSnapshot('s1');
    const [snap] = await snapshots({ DBSnapshotIdentifier: 's1' });
    const db = await describe1(h, 'src');
    expect(snap).toMatchObject({
      Status: 'available', PercentProgress: 100, DBInstanceIdentifier: 'src', AllocatedStorage: 20, Encrypted: true,
      KmsKeyId: db.KmsKeyId, Engine: 'mariadb', MasterUsername: 'admin', TagList: [{ Key: 'team', Value: 'db' }],
    });
    expect(snap.SnapshotCreateTime!.getTime()).toBeGreaterThan(Date.now() - 120_000);
    const files = snapshotFiles(h.home, 's1');
    expect(fs.statSync(files.root).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.dirname(files.root)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(path.join(files.backup, 'xtrabackup_checkpoints'), 'utf8')).toMatch(/backup_type = log-applied/) // 10.11's name for a prepared full backup;
    expect(fs.existsSync(files.keys)).toBe(true);
    expect(fs.statSync(files.master).mode & 0o777).toBe(0o600);
    // Encrypted at rest in the snapshot too: the marker row is nowhere in the copied table file.
    const ibd = fs.readFileSync(path.join(files.backup, 'app', 'orders.ibd'));
    expect(ibd.includes(Buffer.from(MARKER))).toBe(false);
  }, 180_000);

  it('RestoreDBInstanceFromDBSnapshot makes a new encrypted instance holding exactly the data at snapshot time', async () => {
    await sql('src', "INSERT INTO orders (note) VALUES ('after the snapshot')");
    const out = await h.rds.send(new RestoreDBInstanceFromDBSnapshotCommand({
      DBInstanceIdentifier: 'restored', DBSnapshotIdentifier: 's1', DBInstanceClass: 'db.t4g.small', AllocatedStorage: 30,
    }));
    expect(out.DBInstance).toMatchObject({ DBInstanceIdentifier: 'restored', DBInstanceStatus: 'creating' });
    await waitAvailable(h, 'restored');
    const db = await describe1(h, 'restored');
    expect(db).toMatchObject({ DBInstanceClass: 'db.t4g.small', AllocatedStorage: 30, StorageEncrypted: true, MasterUsername: 'admin' });
    expect(db.KmsKeyId).toBe((await describe1(h, 'src')).KmsKeyId);
    expect(await checksums('restored')).toEqual(atSnapshot);
    expect(await sql('restored', "SELECT COUNT(*) AS n FROM orders WHERE note = 'after the snapshot'")).toEqual([{ n: 0 }]);
    expect(await sql('restored', 'SELECT @@innodb_encrypt_tables AS e')).toEqual([{ e: 'FORCE' }]);
  }, 180_000);

  it('refuses bad requests with AWS errors and creates nothing', async () => {
    expect(await errorName(snapshots({ DBSnapshotIdentifier: 'nope' }))).toBe('DBSnapshotNotFoundFault');
    expect(await errorName(h.rds.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'x1', DBSnapshotIdentifier: 'nope' })))).toBe('DBSnapshotNotFoundFault');
    expect(await errorName(h.rds.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'src', DBSnapshotIdentifier: 's1' })))).toBe('DBInstanceAlreadyExistsFault');
    expect(await errorName(h.rds.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'x2', DBSnapshotIdentifier: 's1', AllocatedStorage: 10 })))).toBe('InvalidParameterValue');
    expect(await errorName(h.rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 'bad--id', DBInstanceIdentifier: 'src' })))).toBe('InvalidParameterValue');
    expect(await errorName(h.rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: 's9', DBInstanceIdentifier: 'ghost' })))).toBe('DBInstanceNotFoundFault');
    expect(await errorName(h.rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'nope' })))).toBe('DBSnapshotNotFoundFault');
    expect((await snapshots({})).map((s) => s.DBSnapshotIdentifier)).toEqual(['s1']);
    expect(await errorName(describe1(h, 'x1'))).toBe('DBInstanceNotFoundFault');
    expect(await errorName(describe1(h, 'x2'))).toBe('DBInstanceNotFoundFault');
  }, 60_000);

  it('DeleteDBInstance with FinalDBSnapshotIdentifier takes a real final snapshot that outlives the instance; filters and DeleteDBSnapshot', async () => {
    const final = await checksums('src');
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'src', FinalDBSnapshotIdentifier: 'src-final' }));
    await waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 180, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: 'src' });
    const [snap] = await snapshots({ DBSnapshotIdentifier: 'src-final' });
    expect(snap).toMatchObject({ Status: 'available', DBInstanceIdentifier: 'src', SnapshotType: 'manual', Encrypted: true });
    expect((await snapshots({ DBInstanceIdentifier: 'src' })).map((s) => s.DBSnapshotIdentifier)).toEqual(['s1', 'src-final']);
    expect(await snapshots({ Filters: [{ Name: 'db-instance-id', Values: ['restored'] }] })).toEqual([]);
    expect((await snapshots({ SnapshotType: 'manual', MaxRecords: 20 })).length).toBe(2);
    // The final snapshot restores after its source is gone: its keys and master user came with it.
    await h.rds.send(new RestoreDBInstanceFromDBSnapshotCommand({ DBInstanceIdentifier: 'back', DBSnapshotIdentifier: 'src-final' }));
    await waitAvailable(h, 'back');
    expect(await checksums('back')).toEqual(final);

    const del = await h.rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 's1' }));
    expect(del.DBSnapshot?.Status).toBe('deleted');
    for (let i = 0; i < 100 && (await errorName(snapshots({ DBSnapshotIdentifier: 's1' }))) !== 'DBSnapshotNotFoundFault'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await errorName(snapshots({ DBSnapshotIdentifier: 's1' }))).toBe('DBSnapshotNotFoundFault');
    expect(fs.existsSync(snapshotFiles(h.home, 's1').root)).toBe(false);
  }, 300_000);
});
