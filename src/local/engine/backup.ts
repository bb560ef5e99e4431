import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { requireBinary } from '../../system/binaries.js';
import { adminUser } from './admin.js';
import { run } from './exec.js';
import type { InstancePaths } from './types.js';

/**
 * A physical copy of a running node into another node's fresh datadir (mariadb-engine.md, "Read
 * replica"): mariadb-backup --backup from the source over its socket (as root / the admin account),
 * --prepare, --copy-back. The scratch folder lives in the target node's root-only folder, so
 * stopStragglers(<target root>/) finds an interrupted mariadb-backup, and deleting the node removes it.
 */
export function backupDir(target: InstancePaths): string {
  return join(target.root, 'backup');
}

const BACKUP_TIMEOUT_MS = 30 * 60_000;

/**
 * Returns the GTID position the copy is consistent at: the 3rd field of xtrabackup_binlog_info; for a
 * source that is itself a replica (`sourceIsReplica`), what it had applied (--slave-info), since its own
 * binlog may not have logged anything yet.
 */
export async function copyDatadir(source: InstancePaths, target: InstancePaths, sourceIsReplica = false): Promise<string> {
  const dir = backupDir(target);
  await mkdir(target.root, { recursive: true, mode: 0o700 });
  const gtid = await preparedBackup(source, dir, sourceIsReplica);
  await copyBack(dir, target);
  await rm(dir, { recursive: true, force: true });
  return gtid;
}

/**
 * A prepared physical backup of a running node in `dir` (replaced): --backup over the node's socket,
 * then --prepare, so the copy can be started as is. Returns the GTID it is consistent at.
 */
export async function preparedBackup(source: InstancePaths, dir: string, sourceIsReplica = false): Promise<string> {
  const bin = requireBinary('mariadb-backup');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
  // The source's my.cnf first: datadir, encryption plugin and [client] socket come from it.
  await run(bin, [`--defaults-file=${source.configFile}`, `--user=${adminUser()}`, '--backup', ...(sourceIsReplica ? ['--slave-info'] : []), `--target-dir=${dir}`], { timeoutMs: BACKUP_TIMEOUT_MS });
  // backup-my.cnf (in the copy) names the source's key files: --prepare reads them where they are.
  await run(bin, ['--prepare', `--target-dir=${dir}`], { timeoutMs: BACKUP_TIMEOUT_MS });
  return (sourceIsReplica ? await slaveInfoGtid(dir) : undefined) ?? (await backupGtid(dir));
}

/** A prepared backup into the target node's (replaced) datadir; the backup itself is kept. */
export async function copyBack(dir: string, target: InstancePaths): Promise<void> {
  await rm(target.datadir, { recursive: true, force: true });
  await mkdir(dirname(target.datadir), { recursive: true, mode: 0o700 });
  await run(requireBinary('mariadb-backup'), ['--no-defaults', '--copy-back', `--target-dir=${dir}`, `--datadir=${target.datadir}`], { timeoutMs: BACKUP_TIMEOUT_MS });
}

/** `<binlog file>\t<position>\t<gtid>`; an empty GTID when the source has not binlogged anything yet. */
export async function backupGtid(dir: string): Promise<string> {
  const text = await readFile(join(dir, 'xtrabackup_binlog_info'), 'utf8').catch(() => '');
  return parseBinlogInfo(text);
}

/** xtrabackup_slave_info: `SET GLOBAL gtid_slave_pos = '<gtid>'; CHANGE MASTER TO …`. */
export async function slaveInfoGtid(dir: string): Promise<string | undefined> {
  const text = await readFile(join(dir, 'xtrabackup_slave_info'), 'utf8').catch(() => '');
  return parseSlaveInfo(text);
}

export function parseSlaveInfo(text: string): string | undefined {
  return /gtid_slave_pos\s*=\s*'([^']*)'/i.exec(text)?.[1];
}

export function parseBinlogInfo(text: string): string {
  const fields = text.trim().split(/\s+/);
  return fields[2] ?? '';
}

/**
 * The replica reads the source's encrypted files with the source's key material (RDS uses the
 * source's KMS key): copied before writeConfig, which gives the files the service account's modes.
 */
export async function copyKeys(source: InstancePaths, target: InstancePaths): Promise<void> {
  await rm(target.keysDir, { recursive: true, force: true });
  await cp(source.keysDir, target.keysDir, { recursive: true, preserveTimestamps: true });
}
