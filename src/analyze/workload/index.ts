/**
 * Workload sources for analyze-queries: a slow log (plain or .gz, streamed), a .sql file or stdin
 * (optionally weighted), or performance_schema statement digests. Each becomes a WorkloadSummary of
 * pt-query-digest compatible classes ranked by total time.
 */
import { readFile } from 'node:fs/promises';
import { usageError } from '../../core/errors.js';
import { Aggregator } from '../aggregate.js';
import type { FingerprintOptions } from '../fingerprint.js';
import type { WorkloadSummary } from '../types.js';
import type { DigestConnection } from './digest.js';

export type { DigestConnection } from './digest.js';

export type WorkloadSource =
  | { kind: 'slow-log'; file: string }
  | { kind: 'queries'; file: string | '-' }
  | { kind: 'digest'; connection: DigestConnection };

export interface LoadWorkloadOptions extends FingerprintOptions {
  /** Default schema for --queries statements (a slow log carries its own). */
  database?: string;
  /** Where `--queries -` reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

export async function loadWorkload(source: WorkloadSource, opts: LoadWorkloadOptions = {}): Promise<WorkloadSummary> {
  switch (source.kind) {
    case 'slow-log': {
      const { loadSlowLog } = await import('./slow-log.js');
      return loadSlowLog(source.file, opts);
    }
    case 'queries':
      return loadQueries(source.file, opts);
    case 'digest': {
      const { loadDigest } = await import('./digest.js');
      return loadDigest(source.connection, opts);
    }
  }
}

async function loadQueries(file: string, opts: LoadWorkloadOptions): Promise<WorkloadSummary> {
  const { splitStatements } = await import('./queries-file.js');
  const name = file === '-' ? 'stdin' : file;
  const text = file === '-' ? await readAll(opts.stdin ?? process.stdin) : await readQueriesFile(file);
  const statements = splitStatements(text, name);
  if (statements.length === 0) {
    throw usageError('NO_QUERIES', `No SQL statements found in ${name}`, { hint: 'Write one statement per ";", e.g. "SELECT * FROM orders WHERE id = 42;".' });
  }
  const agg = new Aggregator(opts);
  for (const s of statements) agg.add({ sql: s.sql, db: opts.database, weight: s.weight });
  return { source: `queries:${name}`, events: agg.events, malformed: 0, classes: agg.classes() };
}

async function readQueriesFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw usageError('FILE_NOT_FOUND', `File not found: ${file}`, { hint: 'Check the path, or pass "-" to read statements from stdin.', cause: err });
    }
    throw err;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
