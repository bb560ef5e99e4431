import fs from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from './atomic-file.js';
import { homeLayout } from './home.js';

/** What the control plane wants the process to be; survives control-plane restarts. */
export type DesiredState = 'running' | 'stopped' | 'deleted';

/** Changes waiting for the maintenance window (ApplyImmediately=false). */
export interface PendingChanges {
  DBInstanceClass?: string;
  AllocatedStorage?: number;
  BackupRetentionPeriod?: number;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** One instance, as persisted in instances/<id>/instance.json. Field names follow RDS where they exist. */
export interface InstanceRecord {
  id: string;
  dbiResourceId: string;
  engine: 'mariadb' | 'mysql';
  engineVersion: string;
  instanceClass: string;
  masterUsername: string;
  manageMasterUserPassword: boolean;
  dbName?: string;
  port: number;
  serverId: number;
  allocatedStorage: number;
  maxAllocatedStorage?: number;
  storageType: string;
  iops?: number;
  backupRetentionPeriod: number;
  preferredBackupWindow: string;
  preferredMaintenanceWindow: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  deletionProtection: boolean;
  /** CopyTagsToSnapshot as created (optional: records written before it was kept read as false). */
  copyTagsToSnapshot?: boolean;
  createTime: string;
  status: string;
  /** Why the instance is failed / storage-full etc. (StatusInfos and events carry it too). */
  statusReason?: string;
  desiredState: DesiredState;
  /** true once engine.create finished (datadir initialised, master user created). */
  initCompleted: boolean;
  pending: PendingChanges;
  tags: Tag[];
  availabilityZone: string;
  pid?: number;
  usedBytes?: number;
  /** Storage-full made the server read-only; lifted when storage is raised. */
  readOnlyForStorage?: boolean;
  /** ISO time AllocatedStorage last changed (modification or autoscaling): starts the autoscaling cooldown. */
  lastStorageChange?: string;
}

export function instanceFile(home: string, id: string): string {
  return path.join(homeLayout(home).instancesDir, id, 'instance.json');
}

/** The persistent registry: one crash-safe JSON file per instance. */
export class Registry {
  constructor(readonly home: string) {}

  get(id: string): InstanceRecord | undefined {
    return readJson<InstanceRecord>(instanceFile(this.home, id));
  }

  save(rec: InstanceRecord): void {
    fs.mkdirSync(path.dirname(instanceFile(this.home, rec.id)), { recursive: true, mode: 0o700 });
    writeJsonAtomic(instanceFile(this.home, rec.id), rec);
  }

  /** Applies `change` to the stored record and saves it; returns the new record (undefined if gone). */
  update(id: string, change: (rec: InstanceRecord) => void): InstanceRecord | undefined {
    const rec = this.get(id);
    if (!rec) return undefined;
    const allocated = rec.allocatedStorage;
    change(rec);
    // Every path that changes AllocatedStorage (modify now, at the next reboot, autoscaling) comes through
    // here, so the autoscaling cooldown cannot be forgotten by one of them.
    if (rec.allocatedStorage !== allocated) rec.lastStorageChange = new Date().toISOString();
    this.save(rec);
    return rec;
  }

  remove(id: string): void {
    fs.rmSync(instanceFile(this.home, id), { force: true });
  }

  /** All instances, sorted by identifier (Describe pages in this order). */
  list(): InstanceRecord[] {
    const dir = homeLayout(this.home).instancesDir;
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return [];
    }
    const out: InstanceRecord[] = [];
    for (const name of names.sort()) {
      const rec = this.get(name);
      if (rec) out.push(rec);
    }
    return out;
  }
}
