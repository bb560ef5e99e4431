import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type Policy = 'batch' | 'normal';

/**
 * Sets this process's scheduling policy, every thread of it (Linux: SCHED_BATCH or SCHED_OTHER, nice
 * unchanged; an unprivileged process may switch between the two). Node has no call for it, so
 * util-linux's `chrt` does it. Resolves to why it could not, or undefined when it did.
 */
export async function setPolicy(policy: Policy): Promise<string | undefined> {
  if (process.platform !== 'linux') return `SCHED_BATCH is Linux's (this is ${process.platform})`;
  try {
    await run('chrt', ['--all-tasks', '--pid', policy === 'batch' ? '--batch' : '--other', '0', String(process.pid)], { timeout: 5000 });
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    return e.code === 'ENOENT' ? 'chrt (util-linux) is not installed' : `chrt failed: ${(e.stderr ?? e.message).trim()}`;
  }
}
