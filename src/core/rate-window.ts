/**
 * A sliding one-second window of admissions: RDS accepts about 200 new IAM-authenticated connections
 * per second per instance (docs/SECURITY.md); beyond that a login is refused. Pure: the caller passes
 * the clock.
 */
export class RateWindow {
  private times: number[] = [];

  constructor(readonly perSecond: number) {}

  /** true when one more admission at `now` (ms) stays within the limit (and counts it). */
  take(now: number): boolean {
    while (this.times.length > 0 && this.times[0] <= now - 1000) this.times.shift();
    if (this.times.length >= this.perSecond) return false;
    this.times.push(now);
    return true;
  }
}

export const IAM_CONNECTIONS_PER_SECOND = 200;
