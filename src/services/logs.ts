import type { RDSClient } from '@aws-sdk/client-rds';

/** The instance log files through the RDS API (both targets): RDS MariaDB's names. */
export const LOG_FILES = { error: 'error/mysql-error.log', slow: 'slowquery/mysql-slowquery.log', general: 'general/mysql-general.log', audit: 'audit/server_audit.log' } as const;
export type LogKind = keyof typeof LOG_FILES;

export interface LogPortion {
  text: string;
  marker?: string;
  more: boolean;
}

/** The newest `lines` lines (Marker omitted), or what follows `marker`. */
export async function downloadPortion(rds: RDSClient, id: string, kind: LogKind, opts: { lines?: number; marker?: string }): Promise<LogPortion> {
  const { DownloadDBLogFilePortionCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new DownloadDBLogFilePortionCommand({ DBInstanceIdentifier: id, LogFileName: LOG_FILES[kind], NumberOfLines: opts.lines, Marker: opts.marker }));
  return { text: res.LogFileData ?? '', marker: res.Marker, more: res.AdditionalDataPending === true };
}

/** New lines after `marker`, following AdditionalDataPending until the end of the file. */
export async function readSince(rds: RDSClient, id: string, kind: LogKind, marker: string): Promise<LogPortion> {
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
