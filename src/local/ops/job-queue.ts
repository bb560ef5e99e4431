/**
 * Serial queues per resource: create, modify, reboot, stop/start and delete of one instance never
 * overlap, while jobs on other resources proceed in parallel. A job names every resource it touches
 * (a replica's creation: the source and the replica; later a snapshot and its instance) and starts
 * once every earlier job on any of them has finished.
 *
 * Keys: a DB instance's key is its identifier; other kinds use `<kind>:<id>` (lockKey), which no
 * instance identifier can collide with (identifiers have no ':').
 *
 * No deadlock: a job only ever waits for jobs enqueued before it (the tails of its keys are read and
 * replaced in one synchronous step), so the wait graph follows enqueue order and has no cycle. Keys are
 * still taken sorted and deduplicated, so the acquisition order is one fixed order whatever the caller wrote.
 */
export type ResourceKind = 'db-snapshot' | 'automated-backup' | 'alarm' | 'parameter-group';

export function lockKey(kind: ResourceKind, id: string): string {
  return `${kind}:${id}`;
}

export class JobQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly depth = new Map<string, number>();

  /** onError gets the job's subject: the first key the caller named (the resource a failure marks). */
  constructor(private readonly onError: (subject: string, err: unknown) => void) {}

  run(keys: string | readonly string[], job: () => Promise<void>): Promise<void> {
    const named = typeof keys === 'string' ? [keys] : keys;
    if (named.length === 0) throw new Error('a job must lock at least one resource');
    const subject = named[0];
    const sorted = [...new Set(named)].sort();
    const before = sorted.map((k) => this.tails.get(k)).filter((p): p is Promise<void> => p !== undefined);
    for (const k of sorted) this.depth.set(k, (this.depth.get(k) ?? 0) + 1);
    const next = Promise.all(before)
      .then(job)
      .catch((err) => this.onError(subject, err))
      .finally(() => sorted.forEach((k) => this.release(k, next)));
    for (const k of sorted) this.tails.set(k, next);
    return next;
  }

  private release(key: string, done: Promise<void>): void {
    const left = (this.depth.get(key) ?? 1) - 1;
    if (left > 0) return void this.depth.set(key, left);
    this.depth.delete(key);
    if (this.tails.get(key) === done) this.tails.delete(key);
  }

  /** A job is queued or running on this resource (the supervisor leaves it alone then). */
  busy(key: string): boolean {
    return (this.depth.get(key) ?? 0) > 0;
  }

  /** Resolves when every queued job has finished (shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
