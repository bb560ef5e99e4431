import fs from 'node:fs';
import path from 'node:path';
import { normalizeInstanceId } from '../../core/identifiers.js';
import { notFoundError } from '../../core/errors.js';
import { homeLayout, instanceRoot } from '../state/home.js';

export interface LogTail {
  file: string;
  lines: string[];
}

/** The last `lines` lines of the control-plane log, or of one instance's mariadbd error log. */
export function tailLocalLog(home: string, opts: { instance?: string; lines?: number } = {}): LogTail {
  const file = opts.instance
    ? path.join(instanceRoot(home, normalizeInstanceId(opts.instance)), 'error.log') // engine contract: <root>/error.log
    : homeLayout(home).logFile;
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
