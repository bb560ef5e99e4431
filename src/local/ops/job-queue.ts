/**
 * One serial queue per instance: create, modify, reboot, stop/start and delete of one instance never
 * overlap, while different instances proceed in parallel. Jobs report their own failures.
 */
export class JobQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly depth = new Map<string, number>();

  constructor(private readonly onError: (id: string, err: unknown) => void) {}

  run(id: string, job: () => Promise<void>): Promise<void> {
    this.depth.set(id, (this.depth.get(id) ?? 0) + 1);
    const next = (this.tails.get(id) ?? Promise.resolve())
      .then(job)
      .catch((err) => this.onError(id, err))
      .finally(() => {
        const left = (this.depth.get(id) ?? 1) - 1;
        if (left === 0) {
          this.depth.delete(id);
          this.tails.delete(id);
        } else this.depth.set(id, left);
      });
    this.tails.set(id, next);
    return next;
  }

  /** A job is queued or running for this instance (the supervisor leaves it alone then). */
  busy(id: string): boolean {
    return (this.depth.get(id) ?? 0) > 0;
  }

  /** Resolves when every queued job has finished (shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
