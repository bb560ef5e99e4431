import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { homeLayout } from '../state/home.js';
import type { InstanceRecord } from '../state/registry.js';
import { Store, storeDir } from '../state/store.js';
import { AwsFault } from '../server/types.js';
import { localRdsArn } from './arns.js';

/**
 * The automated backups of one instance, by DbiResourceId (docs/BACKUPS.md): the record in
 * state/automated-backups/<dbi>.json, the files in <home>/backups/<dbi>/ (0700, outside every node
 * folder, not counted as instance storage): base/<base-id>/ prepared mariadb-backup copies, binlogs/
 * the archive (the newest file plain while it is written, older ones sealed `.sealed` when the instance
 * is encrypted), keys/ the instance's key material (encrypted copies need it after the instance is
 * gone), backup.key (0600) the AES-256-GCM key of the sealed segments, master.json the master user.
 */
export interface BaseBackup {
  id: string;
  /** When the copy was consistent (the end of mariadb-backup --backup), ISO. */
  time: string;
  /** The GTID position it is consistent at ('' when nothing was binlogged). */
  gtid: string;
}

export interface AutomatedBackupRecord {
  /** DbiResourceId of the instance. */
  id: string;
  instanceId: string;
  status: 'active' | 'retained';
  createTime: string;
  bases: BaseBackup[];
  /** Archive checkpoint: every transaction committed in a second ≤ this one is archived (ISO), persisted now and then. */
  archivedThrough?: string;
  /** Gaps found in the archive (a missing file, a GTID that skips): nothing before `after` combines with what follows. */
  gaps: { found: string; afterGtid?: string; reason: string }[];
  /** DeleteDBInstance with DeleteAutomatedBackups=false: keep them as `retained` when the instance goes. */
  retainOnDelete?: boolean;
  /** The instance's settings (a point-in-time restore starts from them when the instance is gone). */
  instance: InstanceRecord;
}

export function backupStore(home: string): Store<AutomatedBackupRecord> {
  return new Store<AutomatedBackupRecord>(storeDir(home, 'automated-backups'));
}

export interface BackupFiles { root: string; base: string; binlogs: string; keys: string; key: string; master: string }

export function backupFiles(home: string, dbi: string): BackupFiles {
  const root = path.join(homeLayout(home).home, 'backups', dbi);
  return { root, base: path.join(root, 'base'), binlogs: path.join(root, 'binlogs'), keys: path.join(root, 'keys'), key: path.join(root, 'backup.key'), master: path.join(root, 'master.json') };
}

/** The folders (0700 all the way) and the sealing key (0600, created once). */
export function ensureBackupFiles(home: string, dbi: string): BackupFiles {
  const f = backupFiles(home, dbi);
  for (const dir of [path.dirname(f.root), f.root, f.base, f.binlogs]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
  }
  if (!fs.existsSync(f.key)) fs.writeFileSync(f.key, randomBytes(32), { mode: 0o600, flag: 'wx' });
  return f;
}

export function backupKey(home: string, dbi: string): Buffer {
  return fs.readFileSync(backupFiles(home, dbi).key);
}

export function automatedBackupArn(dbi: string): string {
  return localRdsArn('auto-backup', `ab-${dbi.toLowerCase().replace(/^db-/, '')}`);
}

export const restoreFault = (message: string) => new AwsFault('InvalidRestoreFault', message, 400);
export const pitrNotEnabled = (message: string) => new AwsFault('PointInTimeRestoreNotEnabled', message, 400);
export const automatedBackupNotFound = (what: string) => new AwsFault('DBInstanceAutomatedBackupNotFound', `No automated backup found for ${what}.`, 404);
