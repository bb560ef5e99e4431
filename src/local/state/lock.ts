import fs from 'node:fs';
import { pidAlive } from '../../system/processes.js';
import { homeLayout } from './home.js';

/** The pid file that makes one control plane per home. */
export interface ControlPlaneLock {
  pid: number;
  startedAt: string;
}

/** The one liveness rule (src/system/processes.ts), under the name the control code knows. */
export const isAlive = pidAlive;

/** The pid recorded in the home's pid file if that process is alive and is a control plane. */
export function liveControlPlanePid(home: string): number | undefined {
  const lock = readLock(home);
  if (!lock || !isAlive(lock.pid)) return undefined;
  try {
    const cmdline = fs.readFileSync(`/proc/${lock.pid}/cmdline`, 'utf8');
    // pid reuse: a different program now holds that pid.
    if (!cmdline.includes('main.js')) return undefined;
  } catch {
    // no /proc: trust kill(0)
  }
  return lock.pid;
}

export function readLock(home: string): ControlPlaneLock | undefined {
  try {
    return JSON.parse(fs.readFileSync(homeLayout(home).pidFile, 'utf8')) as ControlPlaneLock;
  } catch {
    return undefined;
  }
}

/**
 * Takes the home's lock for this process: exclusive create; a stale file (dead pid) is replaced.
 * Returns the pid of the live holder when another control plane owns the home.
 */
export function acquireLock(home: string): { ok: true } | { ok: false; holder: number } {
  const file = homeLayout(home).pidFile;
  const body = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() } satisfies ControlPlaneLock);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeFileSync(fd, body);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      return { ok: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = liveControlPlanePid(home);
    if (holder !== undefined && holder !== process.pid) return { ok: false, holder };
    fs.rmSync(file, { force: true }); // stale: its process is gone
  }
  throw new Error(`could not take the control-plane lock ${file}`);
}

export function releaseLock(home: string): void {
  const lock = readLock(home);
  if (lock?.pid === process.pid) fs.rmSync(homeLayout(home).pidFile, { force: true });
}
