import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureHome } from '../../src/local/state/home.js';
import { fromLegacy, legacyRecordFile, migrateLegacyLayout, readInstanceRecords } from '../../src/local/state/migrate.js';
import { Registry, servingNode } from '../../src/local/state/registry.js';
import { Store, storeDir } from '../../src/local/state/store.js';

const dirs: string[] = [];
const tmpHome = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-store-'));
  dirs.push(d);
  ensureHome(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A record as the previous layout wrote it: in the node folder, serverId and pid on the instance. */
const legacy = (id: string, port: number) => ({
  id, dbiResourceId: 'db-X', engine: 'mariadb', engineVersion: '10.11.6', instanceClass: 'db.t4g.micro', masterUsername: 'admin',
  manageMasterUserPassword: false, port, serverId: 3, pid: 4242, allocatedStorage: 20, storageType: 'gp3', backupRetentionPeriod: 1,
  preferredBackupWindow: '03:00-03:30', preferredMaintenanceWindow: 'sun:05:00-sun:05:30', storageEncrypted: false, deletionProtection: false,
  createTime: '2026-01-01T00:00:00.000Z', status: 'available', desiredState: 'running', initCompleted: true, pending: {}, tags: [], availabilityZone: 'us-east-1a',
});

function writeLegacy(home: string, id: string, port: number): void {
  fs.mkdirSync(path.join(home, 'instances', id, 'data'), { recursive: true });
  fs.writeFileSync(path.join(home, 'instances', id, 'my.cnf'), '[mysqld]\n');
  fs.writeFileSync(legacyRecordFile(home, id), JSON.stringify(legacy(id, port)));
}

describe('the instance store', () => {
  it('keeps one 0600 file per instance in state/instances/, outside the node folders, listed in id order', () => {
    const home = tmpHome();
    const reg = new Registry(home);
    const rec = fromLegacy(legacy('b', 4001) as never);
    reg.save(rec);
    reg.save({ ...rec, id: 'a', nodes: [{ ...rec.nodes[0], id: 'a' }] });
    reg.save({ ...rec, id: 'a-b', nodes: [{ ...rec.nodes[0], id: 'a-b' }] });
    expect(fs.readdirSync(path.join(home, 'state', 'instances')).sort()).toEqual(['a-b.json', 'a.json', 'b.json']);
    expect(fs.statSync(path.join(home, 'state', 'instances', 'a.json')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(home, 'instances', 'a'))).toBe(false);
    expect(reg.list().map((r) => r.id)).toEqual(['a', 'a-b', 'b']); // identifier order (DescribeDBInstances pages by it)
    reg.remove('a');
    expect(reg.list().map((r) => r.id)).toEqual(['a-b', 'b']);
  });

  it('is generic: any kind gets its own folder and skips a writer\'s temp files', () => {
    const home = tmpHome();
    const snapshots = new Store<{ id: string; instance: string }>(storeDir(home, 'snapshots'));
    snapshots.save({ id: 's1', instance: 'shop' });
    fs.writeFileSync(path.join(storeDir(home, 'snapshots'), '.s2.json.123.tmp'), '{');
    expect(snapshots.list()).toEqual([{ id: 's1', instance: 'shop' }]);
    expect(new Registry(home).list()).toEqual([]);
  });
});

describe('a home laid out the old way (instances/<id>/instance.json)', () => {
  it('is migrated: the record moves to the store with one primary node on the endpoint port; the node folder stays', () => {
    const home = tmpHome();
    writeLegacy(home, 'shop', 4100);
    fs.mkdirSync(path.join(home, '.deleting-gone', 'data'), { recursive: true }); // an old delete killed mid-way
    expect(readInstanceRecords(home).map((r) => r.id)).toEqual(['shop']); // readers see it before the migration
    expect(migrateLegacyLayout(home)).toEqual(['shop']);
    const rec = new Registry(home).get('shop')!;
    expect(rec.port).toBe(4100);
    expect(rec.nodes).toEqual([{ id: 'shop', role: 'primary', port: 4100, serverId: 3, pid: 4242 }]);
    expect(servingNode(rec)?.id).toBe('shop');
    expect(rec).not.toHaveProperty('serverId');
    expect(rec).not.toHaveProperty('pid');
    expect(fs.existsSync(legacyRecordFile(home, 'shop'))).toBe(false);
    expect(fs.readdirSync(path.join(home, 'instances', 'shop')).sort()).toEqual(['data', 'my.cnf']);
    expect(fs.existsSync(path.join(home, '.deleting-gone'))).toBe(false);
    expect(migrateLegacyLayout(home)).toEqual([]); // idempotent
  });

  it('a migration killed after writing the store and before removing the old file: the store wins', () => {
    const home = tmpHome();
    writeLegacy(home, 'shop', 4100);
    const reg = new Registry(home);
    reg.save({ ...fromLegacy(legacy('shop', 4100) as never), status: 'stopped' }); // newer than the old file
    expect(readInstanceRecords(home).map((r) => r.status)).toEqual(['stopped']);
    expect(migrateLegacyLayout(home)).toEqual([]);
    expect(reg.get('shop')!.status).toBe('stopped');
    expect(fs.existsSync(legacyRecordFile(home, 'shop'))).toBe(false);
  });
});
