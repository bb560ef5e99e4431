import type { Rng } from './data.js';

/**
 * Intended start times (ms from the run's start) of an open-loop run: a Poisson process at `rate`
 * per second, like sysbench --rate, with the rate growing linearly from 0 over `rampMs`. Generated
 * exactly in the cumulative-intensity domain: unit exponential gaps s, then t = Λ⁻¹(s).
 */
export function* arrivals(rate: number, durationMs: number, rampMs: number, r: Rng): Generator<number> {
  const perMs = rate / 1000;
  const rampArrivals = (perMs * rampMs) / 2; // Λ(rampMs)
  const inverse = (s: number) => (s < rampArrivals ? Math.sqrt((2 * rampMs * s) / perMs) : s / perMs + rampMs / 2);
  let s = 0;
  for (;;) {
    s += -Math.log(1 - r());
    const t = rampMs > 0 ? inverse(s) : s / perMs;
    if (t >= durationMs) return;
    yield t;
  }
}

/** Closed loop: workers join one by one over the ramp (sysbench has no ramp; 0 = all at once). */
export const workerStartMs = (worker: number, concurrency: number, rampMs: number) => (rampMs * worker) / concurrency;

/** The number of arrivals a schedule should hold on average (for tests and the report). */
export const expectedArrivals = (rate: number, durationMs: number, rampMs: number) => (rate / 1000) * (durationMs - Math.min(rampMs, durationMs) / 2);
