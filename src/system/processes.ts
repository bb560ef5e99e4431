import { readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * Facts about processes and ports on this machine, one definition each: the control-plane lock, the
 * engine (mariadbd) and the port picker all ask the same questions.
 */

/**
 * true while the process exists and is not a zombie. EPERM means it exists but belongs to another
 * user (e.g. a mariadbd run as a service account): alive. A zombie still answers kill(0) but is dead.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/**
 * true when 127.0.0.1:port cannot be listened on now: something listens there (EADDRINUSE), we may
 * not (EACCES), or any other bind error — a port we cannot bind is no use to mariadbd either.
 */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(true));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(false)));
  });
}
