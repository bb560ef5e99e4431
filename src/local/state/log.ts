import fs from 'node:fs';
import { homeLayout } from './home.js';

/** The control plane's log (<home>/control-plane.log). Never given request bodies or secrets. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function fileLogger(home: string): Logger {
  const file = homeLayout(home).logFile;
  const write = (level: string, message: string) => {
    try {
      fs.appendFileSync(file, `${new Date().toISOString()} ${level} ${message}\n`, { mode: 0o600 });
    } catch {
      // logging must never take the control plane down
    }
  };
  return { info: (m) => write('info', m), warn: (m) => write('warn', m), error: (m) => write('error', m) };
}
