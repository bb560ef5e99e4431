import { findInstanceClass } from '../../core/instance-classes.js';
import { invalidCombination, invalidValue } from './faults.js';

/**
 * The parameters of the `mariadb10.11` family the local endpoint knows: the ones a DBA tunes (with
 * MariaDB 10.11's facts: dynamic or not, the range the server takes) and the ones RDS keeps for itself
 * (paths, ports, server_id, TLS, encryption, binary log), listed as not modifiable. Pure.
 */
export type DataType = 'integer' | 'float' | 'boolean' | 'string' | 'list';
export interface ParamDef {
  name: string;
  description: string;
  dataType: DataType;
  applyType: 'dynamic' | 'static';
  modifiable: boolean;
  /** RDS's AllowedValues text: `a-b` for numbers, `x,y,z` for choices. */
  allowed?: string;
  /** The family default (RDS's engine-default value, formulas included); undefined = the server's own. */
  engineDefault?: string;
  source: 'engine-default' | 'system';
}

export const FAMILY = 'mariadb10.11';
const U64 = '18446744073709551615';

const dyn = (name: string, description: string, dataType: DataType, allowed: string | undefined, engineDefault?: string): ParamDef =>
  ({ name, description, dataType, applyType: 'dynamic', modifiable: true, allowed, engineDefault, source: 'engine-default' });
const stat = (name: string, description: string, dataType: DataType, allowed: string | undefined, engineDefault?: string): ParamDef =>
  ({ name, description, dataType, applyType: 'static', modifiable: true, allowed, engineDefault, source: 'engine-default' });
const fixed = (name: string, description: string, dataType: DataType = 'string'): ParamDef =>
  ({ name, description, dataType, applyType: 'static', modifiable: false, source: 'system' });

const SQL_MODES = 'ALLOW_INVALID_DATES,ANSI,ANSI_QUOTES,DB2,EMPTY_STRING_IS_NULL,ERROR_FOR_DIVISION_BY_ZERO,HIGH_NOT_PRECEDENCE,IGNORE_BAD_TABLE_OPTIONS,IGNORE_SPACE,MAXDB,MSSQL,MYSQL323,MYSQL40,NO_AUTO_CREATE_USER,NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES,NO_DIR_IN_CREATE,NO_ENGINE_SUBSTITUTION,NO_FIELD_OPTIONS,NO_KEY_OPTIONS,NO_TABLE_OPTIONS,NO_UNSIGNED_SUBTRACTION,NO_ZERO_DATE,NO_ZERO_IN_DATE,ONLY_FULL_GROUP_BY,ORACLE,PAD_CHAR_TO_FULL_LENGTH,PIPES_AS_CONCAT,POSTGRESQL,REAL_AS_FLOAT,SIMULTANEOUS_ASSIGNMENT,STRICT_ALL_TABLES,STRICT_TRANS_TABLES,TIME_ROUND_FRACTIONAL,TRADITIONAL';
const CHARSETS = 'armscii8,ascii,big5,binary,cp1250,cp1251,cp1256,cp1257,cp850,cp852,cp866,cp932,dec8,eucjpms,euckr,gb2312,gbk,geostd8,greek,hebrew,hp8,keybcs2,koi8r,koi8u,latin1,latin2,latin5,latin7,macce,macroman,sjis,swe7,tis620,ucs2,ujis,utf16,utf16le,utf32,utf8mb3,utf8mb4';

export const CATALOG: readonly ParamDef[] = [
  dyn('innodb_buffer_pool_size', 'The size in bytes of the memory buffer InnoDB uses to cache data and indexes of its tables.', 'integer', `5242880-${U64}`, '{DBInstanceClassMemory*3/4}'),
  dyn('max_connections', 'The number of simultaneous client connections allowed.', 'integer', '1-100000', '{DBInstanceClassMemory/12582880}'),
  dyn('long_query_time', 'Defines what MariaDB considers long queries (seconds, fractions allowed).', 'float', '0-31536000', '10'),
  dyn('slow_query_log', 'Enable or disable the slow query log.', 'boolean', '0,1', '0'),
  dyn('log_output', 'Where the general and slow query logs go (any combination).', 'list', 'TABLE,FILE,NONE', 'FILE'),
  dyn('log_slow_verbosity', 'Extra information written to the slow query log.', 'list', 'innodb,query_plan,explain,engine,warnings,full'),
  dyn('log_queries_not_using_indexes', 'Log queries that do not use an index to the slow query log.', 'boolean', '0,1', '0'),
  dyn('general_log', 'Enable or disable the general query log.', 'boolean', '0,1', '0'),
  dyn('tmp_table_size', 'The largest size of internal in-memory temporary tables.', 'integer', `1024-${U64}`, '16777216'),
  dyn('max_heap_table_size', 'The largest size of user-created MEMORY tables.', 'integer', `16384-${U64}`, '16777216'),
  dyn('innodb_flush_log_at_trx_commit', 'When the redo log is written and flushed: 1 at each commit (durable), 0/2 once a second, 3 as 1 without the group commit wait.', 'integer', '0-3', '1'),
  dyn('sync_binlog', 'Sync the binary log to disk after this many writes (0: leave it to the OS).', 'integer', '0-4294967295', '1'),
  dyn('binlog_format', 'The binary logging format.', 'string', 'ROW,STATEMENT,MIXED', 'ROW'),
  dyn('innodb_lock_wait_timeout', 'Seconds an InnoDB transaction waits for a row lock before giving up.', 'integer', '0-1073741824', '50'),
  dyn('wait_timeout', 'Seconds the server waits for activity on a non-interactive connection before closing it.', 'integer', '1-31536000', '28800'),
  dyn('interactive_timeout', 'Seconds the server waits for activity on an interactive connection before closing it.', 'integer', '1-31536000', '28800'),
  dyn('max_allowed_packet', 'The largest packet or generated string the server takes.', 'integer', '1024-1073741824', '16777216'),
  dyn('sql_mode', 'The SQL modes of new sessions.', 'list', SQL_MODES),
  dyn('character_set_server', 'The server\'s default character set.', 'string', CHARSETS),
  dyn('collation_server', 'The server\'s default collation.', 'string', undefined),
  dyn('time_zone', 'The server\'s time zone: SYSTEM or an offset such as +02:00 (named zones need the time zone tables, not loaded here).', 'string', undefined),
  dyn('query_cache_type', 'Query cache: 0 off, 1 on, 2 on demand (SQL_CACHE).', 'integer', '0-2', '0'),
  dyn('query_cache_size', 'Memory for the query cache, in bytes.', 'integer', `0-${U64}`),
  dyn('table_open_cache', 'The number of open tables for all threads.', 'integer', '1-1048576'),
  dyn('thread_cache_size', 'Threads kept for reuse after their client disconnects.', 'integer', '0-16384'),
  dyn('sort_buffer_size', 'Per-session buffer for sorts.', 'integer', `32768-${U64}`),
  dyn('join_buffer_size', 'Per-join buffer for joins without an index.', 'integer', `128-${U64}`),
  dyn('innodb_io_capacity', 'I/O operations per second InnoDB background tasks may use.', 'integer', `100-${U64}`),
  dyn('innodb_print_all_deadlocks', 'Write every InnoDB deadlock to the error log.', 'boolean', '0,1', '0'),
  dyn('max_user_connections', 'The largest number of simultaneous connections of one account (0: no limit).', 'integer', '0-4294967295', '0'),
  stat('performance_schema', 'Enable the Performance Schema.', 'boolean', '0,1', '0'),
  // Dynamic in the server since 10.9, but RDS lists it as static (the resize runs at start-up there too).
  stat('innodb_log_file_size', 'The size in bytes of the InnoDB redo log.', 'integer', '1048576-549755813888', '50331648'),
  stat('innodb_log_buffer_size', 'The size in bytes of the buffer InnoDB writes the redo log through.', 'integer', '262144-4294967295', '8388608'),
  stat('innodb_buffer_pool_instances', 'Ignored since MariaDB 10.5 (one pool); kept for old parameter groups.', 'integer', '1-64'),
  stat('innodb_read_io_threads', 'InnoDB I/O threads for reads.', 'integer', '1-64', '4'),
  stat('innodb_write_io_threads', 'InnoDB I/O threads for writes.', 'integer', '1-64', '4'),
  fixed('basedir', 'The MariaDB installation folder.'),
  fixed('datadir', 'The data folder (RDS owns it).'),
  fixed('socket', 'The Unix socket (RDS owns it).'),
  fixed('pid_file', 'The process id file.'),
  fixed('tmpdir', 'The temporary folder (inside the instance\'s writable folders).'),
  fixed('port', 'The TCP port: set on the instance (Port), not in a parameter group.', 'integer'),
  fixed('bind_address', 'The address the server listens on.'),
  fixed('server_id', 'Unique per node, chosen by RDS.', 'integer'),
  fixed('log_bin', 'The binary log is always on (backups, replicas).'),
  fixed('log_slave_updates', 'Replicas log what they apply (chained replicas, promotion).', 'boolean'),
  fixed('gtid_strict_mode', 'GTID strict mode (replication safety).', 'boolean'),
  fixed('relay_log', 'The relay log base name.'),
  fixed('read_only', 'Set by RDS: on for read replicas and full storage.', 'boolean'),
  fixed('secure_file_priv', 'Server-side file I/O is confined to the instance\'s tmp folder.'),
  fixed('plugin_dir', 'The plugin folder.'),
  fixed('slow_query_log_file', 'The slow query log (slowquery/mysql-slowquery.log: DownloadDBLogFilePortion).'),
  fixed('general_log_file', 'The general query log (general/mysql-general.log: DownloadDBLogFilePortion).'),
  fixed('ssl_ca', 'The CA certificate (RDS manages TLS).'),
  fixed('ssl_cert', 'The server certificate (RDS manages TLS).'),
  fixed('ssl_key', 'The server key (RDS manages TLS).'),
  fixed('require_secure_transport', 'TLS is required on the local endpoint.', 'boolean'),
  fixed('innodb_encrypt_tables', 'Encryption at rest follows StorageEncrypted.'),
  fixed('encrypt_binlog', 'Encryption at rest follows StorageEncrypted.', 'boolean'),
  fixed('innodb_buffer_pool_chunk_size', 'Derived from innodb_buffer_pool_size.', 'integer'),
];

const BY_NAME = new Map(CATALOG.map((p) => [p.name, p]));

export function paramDef(name: string): ParamDef {
  const def = BY_NAME.get(name);
  if (!def) throw invalidValue(`Could not find parameter with name: ${name}`);
  return def;
}

const FORMULA = /^\{DBInstanceClassMemory((?:[*/]\d+)*)\}$/;

export function isFormula(value: string): boolean {
  return FORMULA.test(value);
}

/** `{DBInstanceClassMemory*3/4}` → bytes for the class (left to right, integer division as RDS rounds down). */
export function evaluate(value: string, instanceClass: string): string {
  const m = FORMULA.exec(value);
  if (!m) return value;
  const cls = findInstanceClass(instanceClass);
  let n = BigInt(Math.round((cls?.memoryGiB ?? 1) * 1024 ** 3));
  for (const [, op, k] of m[1].matchAll(/([*/])(\d+)/g)) n = op === '*' ? n * BigInt(k) : n / BigInt(k);
  return n.toString();
}

function inRange(value: string, allowed: string, float: boolean): boolean {
  const [lo, hi] = allowed.split('-');
  const ok = float ? /^\d+(\.\d+)?$/.test(value) : /^\d+$/.test(value);
  if (!ok) return false;
  if (float) return Number(value) >= Number(lo) && Number(value) <= Number(hi);
  return BigInt(value) >= BigInt(lo) && BigInt(value) <= BigInt(hi);
}

/** RDS's checks on one ModifyDBParameterGroup member; returns the value as stored (booleans as 0/1). */
export function checkValue(def: ParamDef, raw: string): string {
  if (!def.modifiable) throw invalidValue(`The parameter ${def.name} cannot be modified.`);
  const value = raw.trim();
  const outside = () => invalidValue(`Value: ${raw} is outside of range ${def.allowed} for parameter: ${def.name}`);
  if (isFormula(value) && (def.dataType === 'integer')) return value;
  switch (def.dataType) {
    case 'boolean': {
      const b = ({ on: '1', true: '1', '1': '1', off: '0', false: '0', '0': '0' } as Record<string, string>)[value.toLowerCase()];
      if (b === undefined) throw outside();
      return b;
    }
    case 'integer':
    case 'float':
      if (def.allowed && !inRange(value, def.allowed, def.dataType === 'float')) throw outside();
      return value;
    case 'list': {
      const items = value === '' ? [] : value.split(',').map((s) => s.trim());
      const ok = def.allowed!.split(',');
      const bad = items.filter((i) => !ok.includes(i.toUpperCase()) && !ok.includes(i.toLowerCase()));
      if (bad.length > 0) throw invalidValue(`Invalid parameter value: ${bad.join(',')} for: ${def.name} allowed values are: ${def.allowed}`);
      return items.join(',');
    }
    default:
      if (def.allowed && !def.allowed.split(',').some((a) => a.toLowerCase() === value.toLowerCase())) {
        throw invalidValue(`Invalid parameter value: ${raw} for: ${def.name} allowed values are: ${def.allowed}`);
      }
      if (def.name === 'time_zone' && !/^(SYSTEM|[+-]\d{1,2}:\d{2})$/i.test(value)) {
        throw invalidValue(`Invalid parameter value: ${raw} for: time_zone (SYSTEM or an offset such as +02:00 on the local endpoint)`);
      }
      if (!/^[A-Za-z0-9_,.:+-]*$/.test(value)) throw invalidValue(`Invalid parameter value: ${raw} for: ${def.name}`);
      return value;
  }
}

/** Static parameters take effect at the next reboot only, so `immediate` is refused as RDS refuses it. */
export function checkApplyMethod(def: ParamDef, method: string | undefined): 'immediate' | 'pending-reboot' {
  const m = method ?? (def.applyType === 'static' ? 'pending-reboot' : 'immediate');
  if (m !== 'immediate' && m !== 'pending-reboot') throw invalidValue(`Invalid value ${m} for ApplyMethod. Valid values: immediate, pending-reboot.`);
  if (m === 'immediate' && def.applyType === 'static') throw invalidCombination('cannot use immediate apply method for static parameter');
  return m;
}

/** The catalogue table of docs/PARAMETERS.md (test/unit/pg-catalog.test.ts keeps the doc equal to it). */
export function catalogMarkdown(): string {
  const cell = (s: string | undefined) => (s === undefined ? '—' : s.length > 60 ? `${s.slice(0, 57)}…` : s).replace(/\|/g, '\\|');
  const rows = [...CATALOG].sort((a, b) => a.name.localeCompare(b.name)).map((p) =>
    `| ${p.name} | ${p.modifiable ? p.applyType : 'not modifiable'} | ${p.dataType} | ${cell(p.allowed)} | ${cell(p.engineDefault)} |`);
  return ['| parameter | apply type | data type | allowed values | engine default |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
