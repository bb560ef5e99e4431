import fs from 'node:fs';
import { homeLayout } from './home.js';

/** The control plane's log (<home>/control-plane.log). Never given request bodies or secrets. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Above this size the log is moved to control-plane.log.1 (one generation kept). */
export const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/** Keeps the log bounded: a control plane polled by Terraform or waiters writes a line per request. */
export function rotateLog(file: string, maxBytes = LOG_ROTATE_BYTES): void {
  try {
    if (fs.statSync(file).size > maxBytes) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
}

export function fileLogger(home: string): Logger {
  const file = homeLayout(home).logFile;
  let lines = 0;
  const write = (level: string, message: string) => {
    if (++lines % 1000 === 0) rotateLog(file);
    try {
      fs.appendFileSync(file, `${new Date().toISOString()} ${level} ${message}\n`, { mode: 0o600 });
    } catch {
      // logging must never take the control plane down
    }
  };
  return { info: (m) => write('info', m), warn: (m) => write('warn', m), error: (m) => write('error', m) };
}
