import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RDSClient } from '@aws-sdk/client-rds';
import { usageError } from '../core/errors.js';
import { describeInstance } from './instances.js';
import { downloadAll } from './logs.js';

/**
 * `analyze-queries --slow-log-from <id>`: the instance's slow log downloaded through
 * DownloadDBLogFilePortion (both targets) into a private temporary file, for the slow-log reader.
 */
export async function fetchSlowLog(rds: RDSClient, id: string, alsoSlowLog: string | undefined, progress: (m: string) => void) {
  if (alsoSlowLog !== undefined) throw usageError('WORKLOAD_SOURCE', 'Give only one workload source.', { hint: 'Use --slow-log with a file, or --slow-log-from with an instance, not both.' });
  const db = await describeInstance(rds, id);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-slowlog-'));
  const file = path.join(dir, 'mysql-slowquery.log');
  try {
    progress(`downloading the slow log of ${db.DBInstanceIdentifier}`);
    const bytes = await downloadAll(rds, db.DBInstanceIdentifier!, 'slow', file);
    progress(`${db.DBInstanceIdentifier}: ${bytes} bytes of slow log`);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
