import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runningAsRoot } from '../../system/service-user.js';
import type { InstancePaths } from './types.js';

/** sun_path is 108 bytes on Linux including the NUL; keep a margin for mariadbd's own checks. */
export const MAX_SOCKET_PATH = 100;

/**
 * Where the server side of an instance lives when the home cannot be reached by the service user
 * (rdsctl as root with a home under a folder only root may enter, e.g. /root/.rdsctl): mariadbd runs
 * as that user and must reach its own files by path. One folder per home (hash of its path).
 */
export const SERVER_BASE = '/var/lib/rdsctl';

/**
 * Where instance <id> of RDSCTL_HOME lives. `root` (instances/<id>) keeps what only rdsctl reads: the
 * record, my.cnf, the error log. `serverRoot` keeps what mariadbd (possibly another OS user) reaches:
 * data, tmp, run (socket, pid), tls, keys — normally the same folder, see serverRootFor.
 * The socket moves to a short /tmp/rdsctl-<hash>/ folder when its path would be too long.
 */
export function instancePaths(home: string, id: string): InstancePaths {
  const root = join(home, 'instances', id);
  const serverRoot = serverRootFor(home, id);
  const runDir = join(serverRoot, 'run');
  return {
    root,
    serverRoot,
    datadir: join(serverRoot, 'data'),
    configFile: join(root, 'my.cnf'),
    runDir,
    socket: socketPathFor(runDir),
    pidFile: join(runDir, 'mysqld.pid'),
    errorLog: join(root, 'error.log'),
    tlsDir: join(serverRoot, 'tls'),
    keysDir: join(serverRoot, 'keys'),
    tmpDir: join(serverRoot, 'tmp'),
  };
}

/**
 * The instance folder itself, unless we are root and the service user could not walk to it (some
 * folder above the home lacks o+x): then SERVER_BASE/<hash of home>/<id>. Sticky: once that folder
 * exists it is used, so a later chmod of an ancestor never makes the data seem to vanish.
 */
export function serverRootFor(home: string, id: string, asRoot = runningAsRoot()): string {
  const inHome = join(home, 'instances', id);
  if (!asRoot) return inHome;
  const outside = join(SERVER_BASE, createHash('sha256').update(resolve(home)).digest('hex').slice(0, 16), id);
  if (existsSync(outside)) return outside;
  return ancestorsTraversable(home) ? inHome : outside;
}

/** True when every folder above `dir` lets any user pass (o+x); missing folders count as passable. */
export function ancestorsTraversable(dir: string): boolean {
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      /* not there (yet): mkdir will create it */
    }
    if (d === dirname(d)) return true;
  }
}

export function socketPathFor(dir: string, shortBase = tmpdir()): string {
  const inDir = join(dir, 'mysqld.sock');
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return inDir;
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  return join(shortBase, `rdsctl-${hash}`, 'mysqld.sock');
}

/** The socket's folder when it lives outside the run folder (it must be created and removed with the instance). */
export function externalSocketDir(paths: InstancePaths): string | undefined {
  const dir = dirname(paths.socket);
  return dir === paths.runDir ? undefined : dir;
}

/** Where an earlier rdsctl kept the pid file (instance root): a server it started may still run. */
export function legacyPidFile(paths: InstancePaths): string {
  return join(paths.root, 'mysqld.pid');
}
