import { chmod, chown, cp, lchown, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { externalSocketDir } from './paths.js';
import type { ServiceAccount } from '../../system/service-user.js';
import type { InstancePaths } from './types.js';

/**
 * Who may touch what when mariadbd runs as the service account (rdsctl as root):
 * - folders on the way to serverRoot: root:<service group> 0710 — the service user may pass, not list;
 *   everything else in the home (credentials, secrets, CA key, state files) stays root 0600/0700;
 * - data, tmp, run (and a short socket folder): the service user's own, 0700 — all it may write;
 * - tls, keys: root:<service group> 0750, files 0640 — it reads them, cannot replace them;
 * - my.cnf, error.log: root-only; mariadbd reads my.cnf before it drops privileges and gets the error
 *   log as an inherited stderr, so a compromised server cannot make root read or write a file of its choosing (the folders root writes in are never writable by the service user).
 */
const OWN_DIRS = (p: InstancePaths) => [p.datadir, p.tmpDir, p.runDir];
const READ_DIRS = (p: InstancePaths) => [p.tlsDir, p.keysDir];
const PUBLIC_FILES = new Set(['ca-cert.pem', 'server-cert.pem']);

/** Creates every folder of the instance (0700 for our own OS user when we are not root). */
export async function makeFolders(paths: InstancePaths): Promise<void> {
  await mkdir(paths.root, { recursive: true, mode: 0o700 });
  for (const d of [...OWN_DIRS(paths), ...READ_DIRS(paths)]) await mkdir(d, { recursive: true, mode: 0o700 });
  const sockDir = externalSocketDir(paths);
  if (sockDir) await mkdir(sockDir, { recursive: true, mode: 0o700 });
}

/** The folders the service user must pass through to reach serverRoot (from the top down). */
export function traversedFolders(paths: InstancePaths, home: string): string[] {
  if (paths.serverRoot === paths.root) return [home, dirname(paths.root), paths.root];
  return [dirname(dirname(paths.serverRoot)), dirname(paths.serverRoot), paths.serverRoot];
}

/** Applies the ownership model above. Idempotent; cheap when nothing changed (owned trees are not walked). */
export async function secureForService(paths: InstancePaths, acct: ServiceAccount): Promise<void> {
  const home = dirname(dirname(paths.root));
  for (const d of traversedFolders(paths, home)) {
    await mkdir(d, { recursive: true, mode: 0o700 });
    await chown(d, 0, acct.gid);
    await chmod(d, 0o710);
  }
  if (paths.serverRoot !== paths.root) await chmod(paths.root, 0o700);
  const sockDir = externalSocketDir(paths);
  for (const d of [...OWN_DIRS(paths), ...(sockDir ? [sockDir] : [])]) {
    await mkdir(d, { recursive: true, mode: 0o700 });
    if ((await stat(d)).uid !== acct.uid) await chownTree(d, acct.uid, acct.gid);
    await chmod(d, 0o700);
  }
  for (const d of READ_DIRS(paths)) {
    await mkdir(d, { recursive: true, mode: 0o700 });
    for (const f of await readdir(d)) {
      const p = join(d, f);
      if (!(await lstat(p)).isFile()) continue;
      await chown(p, 0, acct.gid);
      await chmod(p, PUBLIC_FILES.has(f) ? 0o644 : 0o640);
    }
    await chown(d, 0, acct.gid);
    await chmod(d, 0o750);
  }
}

/**
 * lchown of a whole tree, never following a symlink (a server may have planted one); the top last,
 * so an interrupted walk is redone at the next start.
 */
async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await chownTree(p, uid, gid);
    else await lchown(p, uid, gid);
  }
  await lchown(dir, uid, gid);
}

/**
 * An instance made by an earlier version (or before its home moved under a closed folder) keeps its
 * server files in root; when serverRoot is elsewhere, move them there once.
 */
export async function moveServerFiles(paths: InstancePaths): Promise<void> {
  if (paths.serverRoot === paths.root) return;
  await mkdir(paths.serverRoot, { recursive: true, mode: 0o700 });
  for (const name of ['data', 'tmp', 'tls', 'keys']) {
    const from = join(paths.root, name);
    const to = join(paths.serverRoot, name);
    if (!(await exists(from)) || (await exists(to))) continue;
    await rename(from, to).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EXDEV') throw e;
      await cp(from, `${to}.partial`, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      await rename(`${to}.partial`, to);
      await rm(from, { recursive: true, force: true });
    });
  }
}

const exists = (p: string) => stat(p).then(() => true, () => false);
