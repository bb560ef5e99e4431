import { join } from 'node:path';
import { REPLICA_ONLY_INIT_CONNECT } from '../../core/user-roles.js';
import type { EngineSpec, InstancePaths } from './types.js';
import { pamConfigLines } from './pam.js';

const MiB = 1024 * 1024;

/**
 * Server certificate files of one instance (signed by the home CA), and the instance's copy of the CA
 * certificate: the home's ca/ folder stays root-only (it holds the CA key).
 */
export function tlsFiles(paths: InstancePaths) {
  return { cert: join(paths.tlsDir, 'server-cert.pem'), key: join(paths.tlsDir, 'server-key.pem'), ca: join(paths.tlsDir, 'ca-cert.pem') };
}

/** Encryption-at-rest files: the encrypted key file and the file holding its password. */
export function keyFiles(paths: InstancePaths) {
  return { keyFile: join(paths.keysDir, 'keyfile.enc'), fileKey: join(paths.keysDir, 'keyfile.pass') };
}

/**
 * The largest chunk (1 MiB steps, ≤ 128 MiB, the server default) that divides the pool, so mariadbd
 * does not round innodb_buffer_pool_size up to a chunk multiple and @@innodb_buffer_pool_size equals the spec.
 */
export function bufferPoolChunkSize(poolBytes: number): number {
  const poolMiB = Math.floor(poolBytes / MiB);
  for (let c = Math.min(128, poolMiB); c > 1; c--) {
    if (poolBytes % (c * MiB) === 0) return c * MiB;
  }
  return MiB;
}

/**
 * The slow and general query logs: files (never folders: a folder in datadir is a database) in the
 * datadir, which mariadbd may write in its mount namespace. The error log is rdsctl's (paths.errorLog).
 */
export function queryLogFiles(paths: InstancePaths) {
  return { slow: join(paths.datadir, 'mysql-slowquery.log'), general: join(paths.datadir, 'mysql-general.log') };
}

export interface RenderOptions {
  /**
   * The OS user mariadbd switches to after reading this file (rdsctl as root: the service account).
   * Omitted when rdsctl is not root: mariadbd then simply runs as us.
   */
  user?: string;
}

const onOff = (b: boolean) => (b ? 'ON' : 'OFF');

function coreLines(paths: InstancePaths, spec: EngineSpec, opts: RenderOptions): string[] {
  return [
    ...(opts.user ? [`user=${opts.user}`] : []),
    `datadir=${paths.datadir}`,
    `socket=${paths.socket}`,
    `pid-file=${paths.pidFile}`,
    // No log-error: the server logs to the stderr rdsctl opened on error.log, so the service user
    // never needs a path into the root-only instance folder (and cannot redirect root's writes).
    `tmpdir=${paths.tmpDir}`,
    `port=${spec.port}`,
    'bind-address=127.0.0.1',
    'skip-name-resolve',
    // Server-side file I/O (LOAD DATA INFILE, INTO OUTFILE) confined to the instance's own tmp folder.
    `secure_file_priv=${paths.tmpDir}`,
    `max_connections=${spec.maxConnections}`,
    `slow_query_log_file=${queryLogFiles(paths).slow}`,
    `general_log_file=${queryLogFiles(paths).general}`,
    `read_only=${onOff(spec.readOnly)}`,
    // Reporting users (src/core/user-roles.ts) are refused on a writable server; the master user has no
    // SUPER, so it runs for every user but root.
    `init_connect="${REPLICA_ONLY_INIT_CONNECT}"`,
  ];
}

/** The audit log file (server_audit), next to the query logs in the datadir: mariadbd writes it. */
export function auditLogFile(paths: InstancePaths): string {
  return join(paths.datadir, 'server_audit.log');
}

/**
 * server_audit is loaded on every node, logging OFF, and FORCE_PLUS_PERMANENT (nobody can UNINSTALL it,
 * root included): the option group's MARIADB_AUDIT_PLUGIN turns logging on and sets its variables at runtime
 * (ops/og-apply.ts, as root: every server_audit_* variable needs SUPER, which the master user lacks).
 * Loaded at startup because INSTALL SONAME re-reads the defaults file, which the service account cannot
 * open (my.cnf is root-only). The file is always ours: the log-files API reads it.
 */
function auditLines(paths: InstancePaths, spec: EngineSpec): string[] {
  const settings = Object.entries(spec.audit ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return [
    'plugin_load_add=server_audit',
    'loose-server_audit=FORCE_PLUS_PERMANENT',
    `loose-server_audit_file_path=${auditLogFile(paths)}`,
    ...(spec.audit ? ['# option group: MARIADB_AUDIT_PLUGIN', ...settings.map(([k, v]) => `loose-${k.toLowerCase()}=${v}`)] : []),
    `loose-server_audit_logging=${onOff(spec.audit !== undefined)}`,
  ];
}

// Durability as RDS: binlog on, ROW, GTID strict, every commit synced.
function durabilityLines(spec: EngineSpec): string[] {
  return [
    `server_id=${spec.serverId}`,
    'log_bin=binlog',
    'binlog_format=ROW',
    'gtid_strict_mode=ON',
    'log_slave_updates=ON',
    'sync_binlog=1',
    'innodb_flush_log_at_trx_commit=1',
    'relay_log=relay-bin',
    // The control plane starts replication itself after it has set the GTID position.
    'skip_slave_start',
  ];
}

// Many instances share a small box: keep each process's fixed memory small.
function memoryLines(spec: EngineSpec): string[] {
  return [
    `innodb_buffer_pool_size=${spec.innodbBufferPoolSize}`,
    `innodb_buffer_pool_chunk_size=${bufferPoolChunkSize(spec.innodbBufferPoolSize)}`,
    'innodb_log_file_size=48M',
    'innodb_log_buffer_size=8M',
    'performance_schema=OFF',
    'aria_pagecache_buffer_size=8M',
    'key_buffer_size=8M',
    'thread_cache_size=8',
  ];
}

function tlsLines(paths: InstancePaths, spec: EngineSpec): string[] {
  const t = tlsFiles(paths);
  return [
    `ssl_ca=${t.ca}`,
    `ssl_cert=${t.cert}`,
    `ssl_key=${t.key}`,
    `require_secure_transport=${onOff(spec.requireSecureTransport)}`,
    'tls_version=TLSv1.2,TLSv1.3',
  ];
}

function encryptionLines(paths: InstancePaths): string[] {
  const k = keyFiles(paths);
  return [
    'plugin_load_add=file_key_management',
    `file_key_management_filename=${k.keyFile}`,
    `file_key_management_filekey=FILE:${k.fileKey}`,
    'file_key_management_encryption_algorithm=AES_CTR',
    'innodb_encrypt_tables=FORCE',
    'innodb_encrypt_log=ON',
    'innodb_encrypt_temporary_tables=ON',
    // The system tablespace (undo, dictionary) is encrypted only by the background threads.
    'innodb_encryption_threads=1',
    'innodb_encryption_rotate_key_age=1',
    'encrypt_binlog=ON',
    'encrypt_tmp_files=ON',
    'encrypt_tmp_disk_tables=ON',
    'aria_encrypt_tables=ON',
    // The Aria log is never encrypted: small files let aria-scrub.ts rotate and purge it cheaply.
    'aria_log_file_size=8M',
  ];
}

/** my.cnf option names that differ from the variable's name. */
const OPTION_NAME: Record<string, string> = { time_zone: 'default_time_zone' };

/** The DB parameter group's values, written last so they win over the lines above (last one wins). */
function parameterLines(spec: EngineSpec): string[] {
  const entries = Object.entries(spec.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? [] : ['# DB parameter group', ...entries.map(([k, v]) => `${OPTION_NAME[k] ?? k}=${v}`)];
}

/** my.cnf for one instance. Pure: the same spec always renders the same file. */
export function renderMyCnf(paths: InstancePaths, spec: EngineSpec, opts: RenderOptions): string {
  const mysqld = [
    ...coreLines(paths, spec, opts),
    ...durabilityLines(spec),
    ...memoryLines(spec),
    ...tlsLines(paths, spec),
    ...(spec.storageEncrypted ? encryptionLines(paths) : []),
    ...(spec.iamAuth ? pamConfigLines() : []),
    ...parameterLines(spec),
    ...auditLines(paths, spec),
  ];
  return [
    `# Written by rdsctl for instance ${spec.id}; rewritten on every change — do not edit.`,
    '[mysqld]',
    ...mysqld,
    '',
    '[client]',
    `socket=${paths.socket}`,
    '',
  ].join('\n');
}
