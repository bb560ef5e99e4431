import type { DBInstance, RDSClient } from '@aws-sdk/client-rds';
import { checkFailedError, conflictError } from '../core/errors.js';
import type { Progress } from './progress.js';

export interface WaitOptions {
  /** Poll interval in ms (local target: 1 s; AWS: 15 s). */
  intervalMs: number;
  timeoutMs: number;
  onProgress: Progress;
}

export interface ExpectChange {
  /** The mutating call's response listed PendingModifiedValues to be applied now. */
  pending: boolean;
}

const hasPending = (db: DBInstance) => Object.values(db.PendingModifiedValues ?? {}).some((v) => v !== undefined);

/** Statuses from which an instance will not become available on its own. */
const TERMINAL_PROBLEMS = new Set(['failed', 'incompatible-restore', 'incompatible-parameters', 'incompatible-network', 'inaccessible-encryption-credentials', 'storage-full', 'restore-error']);

/**
 * Polls DescribeDBInstances until `done(instance)`, reporting each status transition. Returns the last
 * description, or undefined when the instance is gone and `goneIsDone` is set (deletions).
 */
export async function waitForInstance(
  rds: RDSClient,
  id: string,
  done: (db: DBInstance) => boolean,
  opts: WaitOptions & { goneIsDone?: boolean; expectChange?: ExpectChange },
): Promise<DBInstance | undefined> {
  const { DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
  const started = Date.now();
  let last: string | undefined;
  // After a modify the status can still read "available" while PendingModifiedValues holds the change:
  // then wait until a poll shows another status or the pending set empties. A mutating call whose
  // response already shows a transition (rebooting, stopping …) only needs the target status.
  const change = opts.expectChange;
  let sawChange = !change?.pending;
  for (;;) {
    let db: DBInstance | undefined;
    try {
      const res = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
      db = res.DBInstances?.[0];
    } catch (err) {
      if ((err as Error).name === 'DBInstanceNotFoundFault' && opts.goneIsDone) return undefined;
      throw err;
    }
    const status = db?.DBInstanceStatus ?? 'unknown';
    if (status !== last) {
      opts.onProgress(`${id}: ${status}`, { id, status });
      if (last !== undefined) sawChange = true;
      last = status;
    }
    if (db && !hasPending(db)) sawChange = true;
    if (db && sawChange && done(db)) return db;
    if (db && TERMINAL_PROBLEMS.has(status) && !done(db)) {
      const reason = db.StatusInfos?.map((s) => s.Message).filter(Boolean).join('; ');
      throw checkFailedError('INSTANCE_FAILED', `${id} is ${status}${reason ? `: ${reason}` : ''}.`, {
        hint: `Inspect it with \`rdsctl describe ${id}\` (local target: \`rdsctl local logs --instance ${id}\`).`,
      });
    }
    if (Date.now() - started > opts.timeoutMs) {
      throw conflictError('WAIT_TIMEOUT', `${id} is still ${status} after ${Math.round(opts.timeoutMs / 1000)} s.`, {
        hint: `It keeps going in the background; check with \`rdsctl describe ${id}\`.`,
      });
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}
