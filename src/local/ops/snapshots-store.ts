import type { DBSnapshot } from '@aws-sdk/client-rds';
import fs from 'node:fs';
import path from 'node:path';
import { homeLayout } from '../state/home.js';
import type { InstanceRecord, Tag } from '../state/registry.js';
import { Store, storeDir } from '../state/store.js';
import { AwsFault } from '../server/types.js';
import { localRdsArn, storageKeyArn } from './arns.js';

/**
 * A DB snapshot: its record in state/snapshots/<sid>.json, its files in <home>/snapshots/<sid>/ — a
 * prepared mariadb-backup (`backup/`) and, for an encrypted instance, a copy of the instance's key
 * material (`keys/`): the files stay encrypted, and a restore needs those keys after the source is gone.
 * Outside every node folder, root/owner-only 0700 (docs/SECURITY.md): mariadbd never reads a snapshot,
 * the control plane copies it back into a new node's datadir.
 */
export interface SnapshotRecord {
  /** DBSnapshotIdentifier, lowercase. */
  id: string;
  instanceId: string;
  dbiResourceId: string;
  status: 'creating' | 'available' | 'failed' | 'deleting';
  statusReason?: string;
  snapshotType: 'manual';
  /** When the copy started (RDS: SnapshotCreateTime), and the source's creation time. */
  createTime: string;
  instanceCreateTime: string;
  engine: string;
  engineVersion: string;
  instanceClass: string;
  allocatedStorage: number;
  storageType: string;
  iops?: number;
  port: number;
  masterUsername: string;
  dbName?: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  availabilityZone: string;
  /** The GTID position the copy is consistent at (empty when nothing was binlogged yet). */
  gtid?: string;
  tags: Tag[];
  /** The instance's settings when the snapshot was taken: what a restore starts from (the instance may be gone). */
  instance: InstanceRecord;
}

/** RDS's default quota of manual snapshots per region. */
export const SNAPSHOT_QUOTA = 100;

export function snapshotStore(home: string): Store<SnapshotRecord> {
  return new Store<SnapshotRecord>(storeDir(home, 'snapshots'));
}

export function snapshotDir(home: string, id: string): string {
  return path.join(homeLayout(home).home, 'snapshots', id);
}

/** backup/: the prepared copy; keys/: the encrypted instance's key files; master.json (0600): the master user the copy holds. */
export function snapshotFiles(home: string, id: string): { root: string; backup: string; keys: string; master: string } {
  const root = snapshotDir(home, id);
  return { root, backup: path.join(root, 'backup'), keys: path.join(root, 'keys'), master: path.join(root, 'master.json') };
}

/** Creates <home>/snapshots/<sid>/ owner-only (0700 all the way), replacing leftovers of an earlier try. */
export function freshSnapshotDir(home: string, id: string): void {
  const top = path.dirname(snapshotDir(home, id));
  fs.mkdirSync(top, { recursive: true, mode: 0o700 });
  fs.chmodSync(top, 0o700);
  fs.rmSync(snapshotDir(home, id), { recursive: true, force: true });
  fs.mkdirSync(snapshotDir(home, id), { mode: 0o700 });
}

export const snapshotNotFound = (id: string) => new AwsFault('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404);
export const snapshotExists = (id: string) => new AwsFault('DBSnapshotAlreadyExists', `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`, 400);
export const snapshotState = (message: string) => new AwsFault('InvalidDBSnapshotState', message, 400);
export const snapshotQuota = () => new AwsFault('SnapshotQuotaExceeded', `Cannot create more than ${SNAPSHOT_QUOTA} manual snapshots.`, 400);

/** The record of a new manual snapshot of `rec`, status creating. */
export function newSnapshot(id: string, rec: InstanceRecord, tags: Tag[]): SnapshotRecord {
  return {
    id, instanceId: rec.id, dbiResourceId: rec.dbiResourceId, status: 'creating', snapshotType: 'manual',
    createTime: new Date().toISOString(), instanceCreateTime: rec.createTime,
    engine: rec.engine, engineVersion: rec.engineVersion, instanceClass: rec.instanceClass,
    allocatedStorage: rec.allocatedStorage, storageType: rec.storageType, iops: rec.iops, port: rec.port,
    masterUsername: rec.masterUsername, dbName: rec.dbName, storageEncrypted: rec.storageEncrypted,
    kmsKeyId: rec.storageEncrypted ? storageKeyArn(rec.kmsKeyId) : undefined,
    availabilityZone: rec.availabilityZone, tags, instance: structuredClone(rec),
  };
}

export function renderSnapshot(s: SnapshotRecord): DBSnapshot {
  return {
    DBSnapshotIdentifier: s.id,
    DBInstanceIdentifier: s.instanceId,
    DbiResourceId: s.dbiResourceId,
    SnapshotCreateTime: s.status === 'creating' ? undefined : new Date(s.createTime),
    OriginalSnapshotCreateTime: new Date(s.createTime),
    InstanceCreateTime: new Date(s.instanceCreateTime),
    Engine: s.engine,
    EngineVersion: s.engineVersion,
    AllocatedStorage: s.allocatedStorage,
    StorageType: s.storageType,
    Iops: s.iops,
    Status: s.status,
    PercentProgress: s.status === 'available' ? 100 : 0,
    Port: s.port,
    AvailabilityZone: s.availabilityZone,
    VpcId: undefined,
    MasterUsername: s.masterUsername,
    LicenseModel: 'general-public-license',
    SnapshotType: s.snapshotType,
    Encrypted: s.storageEncrypted,
    KmsKeyId: s.storageEncrypted ? storageKeyArn(s.kmsKeyId) : undefined,
    DBSnapshotArn: localRdsArn('snapshot', s.id),
    IAMDatabaseAuthenticationEnabled: false,
    ProcessorFeatures: [],
    TagList: s.tags,
    SnapshotTarget: 'region',
  };
}
