import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { runningAsRoot } from './service-user.js';

export const UNSHARE = '/usr/bin/unshare';

let probed: boolean | undefined;

/**
 * We are root, unshare(1) is there and a mount namespace can be made (a container without CAP_SYS_ADMIN
 * refuses it): probed once. The engine confines every mariadbd with it (local/engine/confine.ts);
 * `rdsctl doctor` reports it.
 */
export function mountNamespacesWork(): boolean {
  if (!runningAsRoot()) return false;
  probed ??= (() => {
    try {
      accessSync(UNSHARE, constants.X_OK);
      execFileSync(UNSHARE, ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', 'mount --make-rprivate /'], { stdio: 'ignore', timeout: 5_000 });
      return true;
    } catch {
      return false;
    }
  })();
  return probed;
}
