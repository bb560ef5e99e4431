/** --slow-log source: stream the file, parse entries, fingerprint and aggregate on the fly. */
import { usageError } from '../../core/errors.js';
import { Aggregator } from '../aggregate.js';
import type { FingerprintOptions } from '../fingerprint.js';
import type { WorkloadSummary } from '../types.js';
import { readLines, StopReading } from './line-reader.js';
import { SlowLogParser } from './slow-log-parser.js';

/** Lines read without one slow-log header before we call the file "not a slow log". */
const SNIFF_LINES = 5000;

export async function loadSlowLog(file: string, opts: FingerprintOptions = {}): Promise<WorkloadSummary> {
  const agg = new Aggregator({ ...opts, encoding: 'latin1' });
  const parser = new SlowLogParser((e) => agg.add(e));
  const c = parser.counters;
  await readLines(file, (line) => {
    parser.push(line);
    if (c.headerLines === 0 && c.lines >= SNIFF_LINES) throw new StopReading();
  });
  if (c.headerLines === 0 && !parser.isBlank) throw notASlowLog(file);
  parser.end();
  return { source: `slow-log:${file}`, events: agg.events, malformed: c.malformed, classes: agg.classes() };
}

function notASlowLog(file: string) {
  return usageError('MALFORMED_SLOW_LOG', `${file} does not look like a MySQL/MariaDB slow query log (no "# Time:", "# User@Host:" or "# Query_time:" lines)`, {
    hint: 'Pass the file named by slow_query_log_file (on RDS: aws rds download-db-log-file-portion --log-file-name slowquery/mysql-slowquery.log); for plain SQL use --queries.',
  });
}
