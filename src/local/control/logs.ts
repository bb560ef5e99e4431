import fs from 'node:fs';
import path from 'node:path';
import { normalizeInstanceId } from '../../core/identifiers.js';
import { notFoundError } from '../../core/errors.js';
import { homeLayout, instanceRoot } from '../state/home.js';
import { readInstanceRecords } from '../state/migrate.js';
import { servingNodeId } from '../state/registry.js';

export interface LogTail {
  file: string;
  lines: string[];
}

/** The last `lines` lines of the control-plane log, or of one instance's mariadbd error log. */
export function tailLocalLog(home: string, opts: { instance?: string; lines?: number } = {}): LogTail {
  const file = opts.instance ? nodeErrorLog(home, normalizeInstanceId(opts.instance)) : homeLayout(home).logFile;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw notFoundError('LOG_NOT_FOUND', `No log at ${file}.`, {
      hint: opts.instance ? 'Check the identifier with rdsctl local status.' : 'Start the endpoint with rdsctl local start.',
    });
  }
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return { file, lines: all.slice(-(opts.lines ?? 50)) };
}

/** The error log of the node that serves the instance (engine contract: <node folder>/error.log). */
function nodeErrorLog(home: string, id: string): string {
  let node = id;
  try {
    const rec = readInstanceRecords(home).find((r) => r.id === id);
    if (rec) node = servingNodeId(rec);
  } catch {
    // an unreadable record must not hide the log the user is looking for
  }
  return path.join(instanceRoot(home, node), 'error.log');
}
