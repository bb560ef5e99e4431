import type { RDSClient } from '@aws-sdk/client-rds';
import { followPoint, planFollow, type FollowPoint, type LogFileSeen } from '../core/log-follow.js';

/** The instance log files through the RDS API (both targets): RDS MariaDB's names. */
export const LOG_FILES = { error: 'error/mysql-error.log', slow: 'slowquery/mysql-slowquery.log', general: 'general/mysql-general.log', audit: 'audit/server_audit.log' } as const;
export type LogKind = keyof typeof LOG_FILES;
/** One of the usual logs by kind, or any file DescribeDBLogFiles lists (a rotated `audit/server_audit.log.1`). */
export type LogRef = LogKind | { file: string };

export const logFileName = (ref: LogRef): string => (typeof ref === 'string' ? LOG_FILES[ref] : ref.file);

export interface LogFileInfo {
  LogFileName: string;
  Size: number;
  LastWritten: Date;
}

/** Every log file of the instance (DescribeDBLogFiles, all pages; `contains`: FilenameContains), in the order the target lists them. */
export async function listLogFiles(rds: RDSClient, id: string, contains?: string): Promise<LogFileInfo[]> {
  const { DescribeDBLogFilesCommand } = await import('@aws-sdk/client-rds');
  const out: LogFileInfo[] = [];
  let Marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: id, FilenameContains: contains, Marker }));
    for (const f of page.DescribeDBLogFiles ?? []) out.push({ LogFileName: f.LogFileName!, Size: f.Size ?? 0, LastWritten: new Date(f.LastWritten ?? 0) });
    Marker = page.Marker;
  } while (Marker);
  return out;
}

export interface LogPortion {
  text: string;
  marker?: string;
  more: boolean;
}

/** The newest `lines` lines (Marker omitted), or what follows `marker`. */
export async function downloadPortion(rds: RDSClient, id: string, kind: LogRef, opts: { lines?: number; marker?: string }): Promise<LogPortion> {
  const { DownloadDBLogFilePortionCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new DownloadDBLogFilePortionCommand({ DBInstanceIdentifier: id, LogFileName: logFileName(kind), NumberOfLines: opts.lines, Marker: opts.marker }));
  return { text: res.LogFileData ?? '', marker: res.Marker, more: res.AdditionalDataPending === true };
}

/** New lines after `marker`, following AdditionalDataPending until the end of the file. */
export async function readSince(rds: RDSClient, id: string, kind: LogRef, marker: string): Promise<LogPortion> {
  let text = '';
  let at = marker;
  for (;;) {
    const part = await downloadPortion(rds, id, kind, { marker: at, lines: 10_000 });
    text += part.text;
    at = part.marker ?? at;
    if (!part.more) return { text, marker: at, more: false };
  }
}

/** The log from `from` (default: its start) to its end, in Marker pages, into `file` (0600: a slow log holds query text). */
export async function downloadAll(rds: RDSClient, id: string, kind: LogKind, file: string, from = '0'): Promise<number> {
  const { writeFile, appendFile } = await import('node:fs/promises');
  await writeFile(file, '', { mode: 0o600 });
  let marker = from;
  let bytes = 0;
  for (;;) {
    const part = await downloadPortion(rds, id, kind, { marker, lines: 10_000 });
    await appendFile(file, part.text);
    bytes += Buffer.byteLength(part.text);
    if (!part.more || part.marker === undefined || part.marker === marker) return bytes;
    marker = part.marker;
  }
}

const seen = (files: LogFileInfo[]): LogFileSeen[] => files.map((f) => ({ name: f.LogFileName, size: f.Size, lastWritten: f.LastWritten.getTime() }));

/** Where `logs --follow` starts: `marker` into the log, and the listing it compares the next one with. */
export async function startFollow(rds: RDSClient, id: string, ref: LogRef, marker: string): Promise<FollowPoint> {
  const base = logFileName(ref);
  return followPoint(base, seen(await listLogFiles(rds, id, base)), marker);
}

/**
 * One poll of `logs --follow`: what is new in the log. Across a rotation (core/log-follow.ts) that is
 * the rest of the rotated file the marker was in, any file rotated after it, then the new current file.
 * `gap`: lines may be missing (the marker's file is not listed any more: truncated, or rotated out).
 */
export async function followStep(rds: RDSClient, id: string, ref: LogRef, at: FollowPoint): Promise<{ text: string; at: FollowPoint; gap: boolean }> {
  const base = logFileName(ref);
  const files = seen(await listLogFiles(rds, id, base));
  const plan = planFollow(base, at, files);
  let text = '';
  let marker = at.marker;
  let gap = plan.gap;
  for (const r of plan.reads) {
    try {
      const part = await readSince(rds, id, { file: r.file }, r.marker);
      text += part.text;
      marker = part.marker ?? r.marker;
    } catch (err) {
      // A rotated file removed between the listing and the read (the server keeps only so many).
      if ((err as { name?: string }).name !== 'DBLogFileNotFoundFault' || r.file === base) throw err;
      gap = true;
    }
  }
  return { text, at: followPoint(base, files, marker), gap };
}
