import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { InstancePaths } from './types.js';

/** sun_path is 108 bytes on Linux including the NUL; keep a margin for mariadbd's own checks. */
export const MAX_SOCKET_PATH = 100;

/**
 * Where instance <id> of RDSCTL_HOME lives. The socket normally sits in the instance folder; when
 * that path would be too long for a Unix socket (deep temp homes), it moves to a short
 * /tmp/rdsctl-<hash>/ folder derived from the instance root, so the same root always maps to the same socket.
 */
export function instancePaths(home: string, id: string): InstancePaths {
  const root = join(home, 'instances', id);
  return {
    root,
    datadir: join(root, 'data'),
    configFile: join(root, 'my.cnf'),
    socket: socketPathFor(root),
    pidFile: join(root, 'mysqld.pid'),
    errorLog: join(root, 'error.log'),
    tlsDir: join(root, 'tls'),
    keysDir: join(root, 'keys'),
    tmpDir: join(root, 'tmp'),
  };
}

export function socketPathFor(root: string, shortBase = tmpdir()): string {
  const inRoot = join(root, 'mysqld.sock');
  if (Buffer.byteLength(inRoot) <= MAX_SOCKET_PATH) return inRoot;
  const hash = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return join(shortBase, `rdsctl-${hash}`, 'mysqld.sock');
}

/** The socket's folder when it lives outside the instance root (it must be created and removed with the instance). */
export function externalSocketDir(paths: InstancePaths): string | undefined {
  const dir = dirname(paths.socket);
  return dir === paths.root ? undefined : dir;
}
