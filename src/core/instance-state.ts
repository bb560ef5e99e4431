import { conflictError, type RdsctlError } from './errors.js';

/**
 * Statuses in which an RDS instance accepts connections: the engine keeps serving while RDS backs it up,
 * modifies it (a class change restarts it briefly, at the end), or resets the master password.
 * storage-full serves too (read-only), so a DBA can still connect to clean up.
 */
const SERVING = new Set([
  'available', 'backing-up', 'modifying', 'storage-optimization', 'storage-full', 'resetting-master-credentials',
  'configuring-enhanced-monitoring', 'configuring-iam-database-auth', 'configuring-log-exports',
]);

const ON_ITS_WAY = new Set(['creating', 'starting', 'rebooting', 'upgrading', 'maintenance', 'renaming', 'moving-to-vpc']);

/** Pure: why `id` in `status` takes no connections (exit 5, with the command that changes that), or undefined. */
export function notServing(id: string, status: string | undefined): RdsctlError | undefined {
  const s = status ?? 'unknown';
  if (SERVING.has(s)) return undefined;
  if (s === 'stopped') {
    return conflictError('INSTANCE_NOT_AVAILABLE', `${id} is stopped: \`rdsctl start ${id}\``, { hint: `Start it with \`rdsctl start ${id}\`, then run this again.` });
  }
  if (s === 'stopping') {
    return conflictError('INSTANCE_NOT_AVAILABLE', `${id} is stopping.`, { hint: `Once it is stopped, \`rdsctl start ${id}\` starts it again.` });
  }
  if (ON_ITS_WAY.has(s)) {
    return conflictError('INSTANCE_NOT_AVAILABLE', `${id} is ${s} and takes no connections yet.`, {
      hint: `Retry when \`rdsctl describe ${id}\` shows it available.`,
    });
  }
  if (s === 'deleting') return conflictError('INSTANCE_NOT_AVAILABLE', `${id} is being deleted.`, { hint: 'Run `rdsctl list` to see the instances left.' });
  return conflictError('INSTANCE_NOT_AVAILABLE', `${id} is ${s} and takes no connections.`, {
    hint: `Inspect it with \`rdsctl describe ${id}\` (local target: \`rdsctl local logs --instance ${id}\`).`,
  });
}
