import fs from 'node:fs';
import { basename, dirname } from 'node:path';
import type { DescribeDBLogFilesDetails, DownloadDBLogFilePortionDetails } from '@aws-sdk/client-rds';
import { auditLogFile, queryLogFiles } from '../engine/config.js';
import type { InstancePaths } from '../engine/types.js';
import type { OpHandler } from '../server/types.js';
import { AwsFault } from '../server/types.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidValue } from './faults.js';
import { checkIdentifier } from './instances-validate.js';
import { int, required, str } from './params.js';

/**
 * The log files of an instance's serving node under RDS MariaDB's names: the error log (rdsctl's file,
 * mariadbd's stderr), and the slow and general query logs (in the node's datadir, where mariadbd may
 * write). A query log appears once the server has written it (slow_query_log / general_log = 1); the
 * audit log once the option group has MARIADB_AUDIT_PLUGIN (og-apply.ts), and with it the files
 * server_audit rotated (`.1` the newest … up to SERVER_AUDIT_FILE_ROTATIONS), listed under their file
 * names as RDS lists them: `audit/server_audit.log.1` …
 */
export const LOG_NAMES = ['error/mysql-error.log', 'slowquery/mysql-slowquery.log', 'general/mysql-general.log', 'audit/server_audit.log'] as const;
const AUDIT_NAME = 'audit/server_audit.log';
/**
 * A rotated audit file's suffix as server_audit writes it (mysys file_logger: `.N`, zero-padded to the
 * digits of SERVER_AUDIT_FILE_ROTATIONS, so `.1` with the default 9, `.01` with 10–99). Digits only: no
 * name reaches another file.
 */
const ROTATED = /^\.\d{1,3}$/;

function logPath(paths: InstancePaths, name: string): string | undefined {
  const q = queryLogFiles(paths);
  const files: Record<string, string> = {
    'error/mysql-error.log': paths.errorLog, 'slowquery/mysql-slowquery.log': q.slow, 'general/mysql-general.log': q.general, [AUDIT_NAME]: auditLogFile(paths),
  };
  if (Object.hasOwn(files, name)) return files[name];
  const suffix = name.startsWith(AUDIT_NAME) ? name.slice(AUDIT_NAME.length) : '';
  return ROTATED.test(suffix) ? auditLogFile(paths) + suffix : undefined;
}

/** Every name to list, in RDS's order: the fixed ones, the rotated audit files after the current one, by number. */
function logNames(paths: InstancePaths): string[] {
  const base = basename(auditLogFile(paths));
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(dirname(auditLogFile(paths)));
  } catch {
    // no datadir yet: the fixed names are still tried (and skipped if absent)
  }
  const rotated = entries.map((f) => f.slice(base.length)).filter((suffix, i) => entries[i].startsWith(base) && ROTATED.test(suffix));
  rotated.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  return [...LOG_NAMES, ...rotated.map((suffix) => AUDIT_NAME + suffix)];
}

const logNotFound = (name: string) => new AwsFault('DBLogFileNotFoundFault', `DBLog File: ${name}, is not found on the DB instance`, 404);

function instancePaths(ctx: OpsContext, flat: Record<string, string>): InstancePaths {
  const id = checkIdentifier(required(flat, 'DBInstanceIdentifier'));
  if (!ctx.registry.get(id)) throw instanceNotFound(id);
  return ctx.paths(id);
}

export function describeDBLogFiles(ctx: OpsContext): OpHandler<{ DescribeDBLogFiles: DescribeDBLogFilesDetails[]; Marker?: string }> {
  return async (req) => {
    const paths = instancePaths(ctx, req.flat);
    const contains = str(req.flat, 'FilenameContains');
    const since = int(req.flat, 'FileLastWritten') ?? 0;
    const minSize = int(req.flat, 'FileSize') ?? 0;
    const files: DescribeDBLogFilesDetails[] = [];
    for (const name of logNames(paths)) {
      if (contains !== undefined && !name.includes(contains)) continue;
      let st: fs.Stats;
      try {
        st = fs.statSync(logPath(paths, name)!);
      } catch {
        continue;
      }
      if (st.mtimeMs < since || st.size < minSize) continue;
      files.push({ LogFileName: name, LastWritten: Math.floor(st.mtimeMs), Size: st.size });
    }
    return { DescribeDBLogFiles: files };
  };
}

const MAX_BYTES = 1024 * 1024;
const DEFAULT_LINES = 10_000;

/** The first `n` lines of `buf` (≤ 1 MB; one longer line is cut at 1 MB): the text and the bytes it used. */
function headLines(buf: Buffer, n: number): { text: string; used: number } {
  let used = 0;
  for (let lines = 0; lines < n && used < buf.length; lines++) {
    const nl = buf.indexOf(10, used);
    const next = nl < 0 ? buf.length : nl + 1;
    if (next > MAX_BYTES) {
      if (lines === 0) used = MAX_BYTES;
      break;
    }
    used = next;
  }
  return { text: buf.subarray(0, used).toString('utf8'), used };
}

/** The last `n` lines of the text (≤ 1 MB, cut from the front). */
function tailLines(buf: Buffer, n: number): string {
  const lines = buf.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const text = lines.slice(-n).map((l) => `${l}\n`).join('');
  const bytes = Buffer.from(text);
  return bytes.length <= MAX_BYTES ? text : bytes.subarray(bytes.length - MAX_BYTES).toString('utf8');
}

/**
 * As RDS documents it: without Marker, the newest NumberOfLines lines (default 10,000); with Marker "0",
 * the first lines, and each answer's Marker continues where it stopped until AdditionalDataPending is
 * false. The Marker is a byte offset into the file. At most 1 MB per answer.
 */
export function downloadDBLogFilePortion(ctx: OpsContext): OpHandler<DownloadDBLogFilePortionDetails> {
  return async (req) => {
    const paths = instancePaths(ctx, req.flat);
    const name = required(req.flat, 'LogFileName');
    const file = logPath(paths, name);
    if (!file || !fs.existsSync(file)) throw logNotFound(name);
    const n = int(req.flat, 'NumberOfLines') ?? DEFAULT_LINES;
    if (n < 1) throw invalidValue(`NumberOfLines must be at least 1, not ${n}.`);
    const marker = str(req.flat, 'Marker');
    const size = fs.statSync(file).size;
    if (marker === undefined) {
      const from = Math.max(0, size - 16 * MAX_BYTES);
      const buf = readRange(file, from, size - from);
      return { LogFileData: tailLines(buf, n), Marker: String(size), AdditionalDataPending: false };
    }
    if (!/^\d+$/.test(marker)) throw invalidValue(`Invalid Marker: ${marker}`);
    const offset = Math.min(Number(marker), size);
    const buf = readRange(file, offset, Math.min(size - offset, 2 * MAX_BYTES));
    const { text, used } = headLines(buf, n);
    const next = offset + used;
    return { LogFileData: text, Marker: String(next), AdditionalDataPending: next < size };
  };
}

function readRange(file: string, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, length));
  const fd = fs.openSync(file, 'r');
  try {
    const got = fs.readSync(fd, buf, 0, buf.length, offset);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}
