import { usageError } from '../../core/errors.js';

/** What `--class` / `--storage` override on every kind of restore (snapshot and point in time). */
export interface RestoreOverrides { DBInstanceClass?: string; AllocatedStorage?: number }

/**
 * One rule for both restore paths: `--storage` must be a whole number of GiB (the API refuses less than
 * the source's), checked before anything is sent; `--class` goes as given (the API checks it). Absent
 * flags send nothing, so the new instance takes the source's (or the snapshot's) values.
 */
export function restoreOverrides(o: { class?: string; storage?: string }, example: string): RestoreOverrides {
  const storage = o.storage === undefined ? undefined : Number(o.storage);
  if (storage !== undefined && !(Number.isInteger(storage) && storage > 0)) {
    throw usageError('INVALID_STORAGE', `--storage ${o.storage} is not a whole number of GiB: nothing was restored.`, { hint: `e.g. ${example} --storage 50` });
  }
  return { ...(o.class !== undefined ? { DBInstanceClass: o.class } : {}), ...(storage !== undefined ? { AllocatedStorage: storage } : {}) };
}
