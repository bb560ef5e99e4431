import type { MetricStore } from '../state/metric-store.js';
import { RDS_NAMESPACE } from './metrics-sampler.js';
import { GiB, PREDICTION_LOOKBACK_MS, RDS_AUTOSCALE, type AutoscaleSettings, type HoldReason, type UsageSample } from './autoscale.js';

/**
 * Autoscaling's working state. The usage history is not here: it is the instance's FreeStorageSpace in
 * the metric store (on disk), as on RDS, so a control-plane restart keeps the low-storage window. What
 * lives in memory is only what may be lost: the hold already reported.
 */
export interface AutoscaleState {
  settings: AutoscaleSettings;
  /** The hold already reported by an event, so a blocked autoscaling says so once, not every check. */
  reported: Map<string, HoldReason>;
}

export function createAutoscaleState(settings: AutoscaleSettings): AutoscaleState {
  return { settings, reported: new Map() };
}

/** How far back samples are needed: the low-storage window and the prediction's lookback. */
export function keepMs(settings: AutoscaleSettings): number {
  return Math.max(settings.windowMs, PREDICTION_LOOKBACK_MS);
}


/**
 * The usage history autoscaling decides on: the instance's FreeStorageSpace points of the last keep
 * (plus the newest one at or before that edge: it proves whether storage was already low when the window
 * began), as used bytes of today's allocation, then the measurement just taken. Converting with today's
 * allocation is exact within the lookback: any storage change starts a cooldown (6 h) longer than it.
 */
export function usageHistory(store: MetricStore, id: string, allocatedGiB: number, current: UsageSample, settings: AutoscaleSettings): UsageSample[] {
  const points = store.get(RDS_NAMESPACE, 'FreeStorageSpace', { DBInstanceIdentifier: id })?.points ?? [];
  const edge = current.at - keepMs(settings);
  let first = points.length;
  while (first > 0 && points[first - 1].t > edge) first--;
  const kept = points.slice(Math.max(0, first - 1)).filter((p) => p.t < current.at);
  return [...kept.map((p) => ({ at: p.t, usedBytes: allocatedGiB * GiB - p.v })), current];
}

/** An instance that is not measured (stopped, failed, deleted) reports its next hold afresh. */
export function forgetInstance(state: AutoscaleState, id: string): void {
  state.reported.delete(id);
}

type Env = Record<string, string | undefined>;

const KNOBS: [keyof AutoscaleSettings, string][] = [
  ['windowMs', 'RDSCTL_AUTOSCALE_WINDOW_MS'],
  ['cooldownMs', 'RDSCTL_AUTOSCALE_COOLDOWN_MS'],
];

/** Test/ops knobs: RDSCTL_AUTOSCALE_WINDOW_MS and RDSCTL_AUTOSCALE_COOLDOWN_MS; unset → RDS's 5 min / 6 h. */
export function autoscaleSettingsFromEnv(env: Env): { settings: AutoscaleSettings; problems: string[] } {
  const settings = { ...RDS_AUTOSCALE };
  const problems: string[] = [];
  for (const [key, name] of KNOBS) {
    const text = env[name]?.trim();
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (/^\d+$/.test(text) && Number.isSafeInteger(value)) settings[key] = value;
    else problems.push(`${name}="${text}" is not a whole number of milliseconds; using ${settings[key]} (RDS's default)`);
  }
  return { settings, problems };
}
