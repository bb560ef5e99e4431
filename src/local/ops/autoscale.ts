/**
 * Storage autoscaling (MaxAllocatedStorage), decided as RDS documents it (USER_PIOPS.Autoscaling):
 * grow when free space ≤ 10% of allocated has lasted ≥ 5 minutes and ≥ 6 hours have passed since the
 * last storage change, by the largest of 10 GiB, 10% of allocated, or the predicted storage growth
 * exceeding the allocated size in the next 7 hours (from the past hour of usage); never past the ceiling.
 * Pure: data in, decision out.
 */

export const GiB = 1024 ** 3;

export interface AutoscaleSettings {
  /** How long the low-storage condition must last before growing (RDS: 5 minutes). */
  windowMs: number;
  /** Minimum time since the last storage change, modification or autoscaling (RDS: 6 hours). */
  cooldownMs: number;
}

export const RDS_AUTOSCALE: AutoscaleSettings = { windowMs: 5 * 60_000, cooldownMs: 6 * 3_600_000 };
/** RDS predicts from the FreeStorageSpace metrics of the past hour… */
export const PREDICTION_LOOKBACK_MS = 3_600_000;
/** …how much storage the next 7 hours will need beyond the allocated size. */
export const PREDICTION_HORIZON_MS = 7 * 3_600_000;
const MIN_INCREMENT_GIB = 10;

export interface UsageSample {
  /** Epoch milliseconds of the measurement. */
  at: number;
  usedBytes: number;
}

export interface AutoscaleInput {
  allocatedGiB: number;
  maxAllocatedGiB?: number;
  /** Oldest first. */
  samples: readonly UsageSample[];
  /** Epoch ms of the last storage change (modification or autoscaling); undefined: never changed. */
  lastStorageChange?: number;
  now: number;
  settings: AutoscaleSettings;
}

/** Why nothing happens: `cooldown` and `ceiling` mean autoscaling wanted to grow and could not. */
export type HoldReason = 'off' | 'no-samples' | 'not-low' | 'window' | 'ceiling' | 'cooldown';

export type AutoscaleDecision =
  | { grow: false; hold: HoldReason; reason: string }
  | { grow: true; newAllocated: number; reachesMax: boolean; reason: string };

/** Free space ≤ 10% of allocated (integer maths: 9 × 65536 GiB in bytes stays below 2^53). */
export function isLow(usedBytes: number, allocatedGiB: number): boolean {
  return usedBytes * 10 >= allocatedGiB * GiB * 9;
}

/**
 * Start of the unbroken run of low samples that ends with the newest one; undefined if the newest is not
 * low. A gap between two samples longer than `maxGapMs` (no measurement: instance stopped, control plane
 * down longer than the window) breaks the run: nothing shows storage stayed low meanwhile.
 */
export function lowSince(samples: readonly UsageSample[], allocatedGiB: number, maxGapMs = Infinity): number | undefined {
  let since: number | undefined;
  for (let i = samples.length - 1; i >= 0 && isLow(samples[i].usedBytes, allocatedGiB); i--) {
    if (since !== undefined && since - samples[i].at > maxGapMs) break;
    since = samples[i].at;
  }
  return since;
}

/** Least-squares growth rate (bytes per ms) of the samples taken in the lookback; 0 when fewer than two instants. */
export function growthRate(samples: readonly UsageSample[], now: number): number {
  const recent = samples.filter((s) => s.at >= now - PREDICTION_LOOKBACK_MS && s.at <= now);
  if (recent.length < 2) return 0;
  const t0 = recent[0].at; // relative times keep the sums small and exact enough
  const n = recent.length;
  const meanT = recent.reduce((a, s) => a + (s.at - t0), 0) / n;
  const meanU = recent.reduce((a, s) => a + s.usedBytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of recent) {
    num += (s.at - t0 - meanT) * (s.usedBytes - meanU);
    den += (s.at - t0 - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** GiB the next 7 hours are predicted to need beyond the allocated size (0 when usage is flat or shrinking). */
export function predictedShortfallGiB(samples: readonly UsageSample[], allocatedGiB: number, now: number): number {
  if (samples.length === 0) return 0;
  const rate = Math.max(0, growthRate(samples, now));
  const projected = samples[samples.length - 1].usedBytes + rate * PREDICTION_HORIZON_MS;
  // The tolerance keeps rounding noise of the fit (37.0000001) from costing a whole extra GiB.
  return Math.max(0, Math.ceil(projected / GiB - allocatedGiB - 1e-6));
}

const hold = (h: HoldReason, reason: string): AutoscaleDecision => ({ grow: false, hold: h, reason });

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** The decision for one instance at `now`. */
export function decideAutoscale(input: AutoscaleInput): AutoscaleDecision {
  const { allocatedGiB: allocated, maxAllocatedGiB: max, samples, now, settings } = input;
  if (max === undefined) return hold('off', 'storage autoscaling is off (no MaxAllocatedStorage)');
  if (samples.length === 0) return hold('no-samples', 'no usage measured yet');
  const since = lowSince(samples, allocated, settings.windowMs);
  if (since === undefined) return hold('not-low', 'free storage is above 10% of allocated');
  const lowFor = now - since;
  if (lowFor < settings.windowMs) return hold('window', `free storage ≤ 10% for ${seconds(lowFor)}, less than ${seconds(settings.windowMs)}`);
  if (allocated >= max) return hold('ceiling', `allocated storage ${allocated} GiB has reached MaxAllocatedStorage ${max} GiB`);
  const sinceChange = input.lastStorageChange === undefined ? Infinity : now - input.lastStorageChange;
  if (sinceChange < settings.cooldownMs) {
    return hold('cooldown', `last storage change ${seconds(sinceChange)} ago, less than ${seconds(settings.cooldownMs)}`);
  }
  const tenPercent = Math.ceil(allocated / 10);
  const predicted = predictedShortfallGiB(samples, allocated, now);
  const target = allocated + Math.max(MIN_INCREMENT_GIB, tenPercent, predicted);
  const newAllocated = Math.min(target, max);
  return {
    grow: true,
    newAllocated,
    reachesMax: target >= max,
    reason: `free storage ≤ 10% for ${seconds(lowFor)}: +${newAllocated - allocated} GiB (largest of 10 GiB, 10% = ${tenPercent} GiB, `
      + `predicted 7-hour need ${predicted} GiB${target > max ? `; capped at MaxAllocatedStorage ${max} GiB` : ''})`,
  };
}
