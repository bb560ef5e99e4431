import { mountNamespacesWork, UNSHARE } from '../../system/mount-namespace.js';
import { externalSocketDir } from './paths.js';
import type { InstancePaths } from './types.js';

/**
 * As root, every mariadbd runs in its own mount namespace in which every mount is read-only except the
 * node's own folders that its service account owns (data, tmp, run) and its socket folder. Why, on top
 * of the unprivileged service account: an account that reaches SUPER (MariaDB lets a CREATE USER holder rename and re-password
 * root, docs/SECURITY.md) can point general_log_file or slow_query_log_file anywhere that account may
 * write — /tmp, /var/tmp, /dev/shm, and the other instances' data (one service account for all).
 * In the namespace such a write fails with EROFS: a file written through any server path stays in the
 * node's own folder. Device nodes (/dev/null, /dev/urandom) stay usable: a read-only mount does not stop
 * writes to devices.
 *
 * The script runs as root before mariadbd drops privileges: private propagation (nothing leaks to the
 * host), every mount point remounted read-only (/proc/self/mounts escapes blanks as octal: printf %b),
 * the writable folders bound onto themselves and remounted read-write (a bind mount copies the read-only
 * flag of the mount it comes from), then exec — the pid
 * stays the one rdsctl spawned, and /proc/<pid>/cmdline is mariadbd's.
 */
const SCRIPT = [
  'set -e',
  'mount --make-rprivate /',
  "awk '{print $2}' /proc/self/mounts | while IFS= read -r mp; do",
  '  mp=$(printf "%b" "$mp")',
  '  mount -o remount,bind,ro "$mp" 2>/dev/null || true',
  'done',
  'bin=$1; shift; n=$1; shift',
  'i=0; while [ "$i" -lt "$n" ]; do mount --bind "$1" "$1"; mount -o remount,bind,rw "$1"; shift; i=$((i + 1)); done',
  // Extra binds (source target) in order, recursive so a bind made onto a file inside a bound folder
  // goes along (IAM auth: engine/pam.ts binds the setuid tool into a folder, then the folder into place).
  'm=$1; shift; j=0; while [ "$j" -lt "$m" ]; do mount --rbind "$1" "$2"; shift 2; j=$((j + 1)); done',
  'exec "$bin" "$@"',
].join('\n');

/** The folders mariadbd may write: data (binlogs, relay logs too), tmp, run, and a socket folder outside run. */
export function writableFolders(paths: InstancePaths): string[] {
  return [paths.datadir, paths.tmpDir, paths.runDir, externalSocketDir(paths)].filter((d): d is string => Boolean(d));
}

/** Without a mount namespace (not root, or a container that refuses one) mariadbd runs unconfined. */
export const confinementAvailable = mountNamespacesWork;

/** The command that starts `bin args…` confined to `writable` (plus `binds`, read-only): file and argv for spawn(). */
export function confinedCommand(bin: string, args: string[], writable: string[], binds: [string, string][] = []): { file: string; args: string[] } {
  return {
    file: UNSHARE,
    args: ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', SCRIPT, 'rdsctl-confine', bin, String(writable.length), ...writable, String(binds.length), ...binds.flat(), ...args],
  };
}
