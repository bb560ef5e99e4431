import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { conflictError, RdsctlError, ExitCode } from '../../core/errors.js';
import { requireBinary } from '../../system/binaries.js';
import { pidAlive, portInUse } from '../../system/processes.js';
import { confinedCommand, confinementAvailable, writableFolders } from './confine.js';
import { tail } from './exec.js';
import type { InstancePaths } from './types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** pid of a live mariadbd started with this instance's config, or undefined (stale pid files and reused pids are ignored). */
export function runningPid(paths: InstancePaths): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(paths.pidFile, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isOurMariadbd(pid, paths.configFile) ? pid : undefined;
}

/** /proc/<pid>/cmdline must name mariadbd and our defaults file: a reused pid belongs to someone else. */
export function isOurMariadbd(pid: number, configFile: string): boolean {
  try {
    if (!pidAlive(pid)) return false; // a zombie is dead, only not reaped yet
    return matchesCmdline(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'), configFile);
  } catch {
    return false;
  }
}

export function matchesCmdline(args: string[], configFile: string): boolean {
  return (args[0] ?? '').includes('mariadbd') && args.includes(`--defaults-file=${configFile}`);
}

export { pidAlive, portInUse };

/**
 * portInUse, re-checked for a moment: a mariadbd that just died (kill -9) has already lost its
 * cmdline but may hold its listening socket for a few more milliseconds.
 */
export async function portBusy(port: number, graceMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  while (await portInUse(port)) {
    if (Date.now() > deadline) return true;
    await sleep(100);
  }
  return false;
}

export function portInUseError(port: number): RdsctlError {
  return conflictError('PORT_IN_USE', `Port ${port} on 127.0.0.1 is already in use by another process.`, {
    hint: 'Stop whatever listens there, or give the instance another port.',
  });
}

/**
 * Spawns mariadbd in its own session with stdio to the error log; the caller waits for readiness. As root
 * it runs confined (confine.ts): every mount read-only but its own data, tmp and run folders.
 */
export function spawnMariadbd(paths: InstancePaths, binds: [string, string][] = []): number {
  const bin = requireBinary('mariadbd');
  const args = [`--defaults-file=${paths.configFile}`];
  if (binds.length > 0 && !confinementAvailable()) throw startError(paths, 'IAM database authentication needs a mount namespace (rdsctl as root)', '');
  const command = confinementAvailable() ? confinedCommand(bin, args, writableFolders(paths), binds) : { file: bin, args };
  const fd = openSync(paths.errorLog, 'a', 0o600);
  try {
    const child = spawn(command.file, command.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      cwd: paths.root,
    });
    child.unref();
    if (child.pid === undefined) throw startError(paths, 'mariadbd could not be spawned', '');
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export async function errorLogTail(paths: InstancePaths, lines = 12): Promise<string> {
  return readFile(paths.errorLog, 'utf8').then((t) => tail(t, lines), () => '(no error log)');
}

export function startError(paths: InstancePaths, what: string, logTail: string): RdsctlError {
  return new RdsctlError('ENGINE_START_FAILED', ExitCode.unexpected, `${what}. Last lines of ${paths.errorLog}:\n${logTail}`, {
    hint: 'Read the error log above; fix the cause (disk, permissions, config) and start the instance again.',
  });
}

/** True when the error log says the port was taken between our check and mariadbd's bind. */
export function logSaysPortInUse(logTail: string): boolean {
  return /Address already in use|Can't start server: Bind on TCP\/IP port/i.test(logTail);
}

/** SIGTERM (clean shutdown), wait up to timeoutMs, then SIGKILL. No-op when not running. */
export async function stopProcess(paths: InstancePaths, timeoutMs = 60_000): Promise<void> {
  const pid = runningPid(paths);
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // it exited between the check and the signal
  }
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await sleep(200);
      break;
    }
    await sleep(50);
  }
}

export { sleep };
