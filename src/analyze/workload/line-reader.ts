/**
 * Streams a text file (plain or gzip, detected by its magic bytes, not its name) line by line in
 * constant memory. Lines are latin1 strings — one char per byte — so a log with broken UTF-8 still
 * parses, and fingerprint ids hash the very bytes pt-query-digest hashes.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { usageError } from '../../core/errors.js';

/** Thrown by an onLine callback to stop reading early (e.g. "this is not a slow log"). */
export class StopReading extends Error {}

export async function isGzip(file: string): Promise<boolean> {
  try {
    const fh = await open(file, 'r');
    try {
      const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
      return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw explainFsError(file, err);
  }
}

/** Open/read failures as typed usage errors (exit 2) with what to do. */
function explainFsError(file: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return usageError('FILE_NOT_FOUND', `File not found: ${file}`, { hint: 'Check the path (for RDS, download the slow log first: aws rds download-db-log-file-portion).', cause: err });
  if (code === 'EISDIR') return usageError('FILE_IS_DIRECTORY', `${file} is a directory, not a file`, { hint: 'Pass the slow log file itself.', cause: err });
  if (code === 'EACCES') return usageError('FILE_NOT_READABLE', `Cannot read ${file}: permission denied`, { hint: 'Run as a user that can read it, or copy it somewhere readable.', cause: err });
  return err;
}

/** Calls onLine for every line (without "\n"); a final line without "\n" is delivered too. */
export async function readLines(file: string, onLine: (line: string) => void): Promise<void> {
  const gz = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = gz ? raw.pipe(createGunzip()) : raw;
  if (gz) raw.on('error', (e) => stream.destroy(e));
  // Pieces of a line that spans chunks; joined once its "\n" arrives, so a statement of many MB
  // costs one copy, not one per chunk.
  let parts: string[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = chunk.toString('latin1');
      let nl = text.indexOf('\n');
      if (nl < 0) {
        parts.push(text);
        continue;
      }
      onLine(parts.length > 0 ? parts.join('') + text.slice(0, nl) : text.slice(0, nl));
      parts = [];
      let start = nl + 1;
      for (nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
        onLine(text.slice(start, nl));
        start = nl + 1;
      }
      if (start < text.length) parts.push(text.slice(start));
    }
    if (parts.length > 0) onLine(parts.join(''));
  } catch (err) {
    raw.destroy();
    if (err instanceof StopReading) return;
    if (gz && (err as NodeJS.ErrnoException).code?.startsWith('Z_')) {
      throw usageError('MALFORMED_SLOW_LOG', `${file} is not a valid gzip file (${(err as Error).message})`, { hint: 'Re-download or re-compress it, or pass the uncompressed log.', cause: err });
    }
    throw err;
  }
}
