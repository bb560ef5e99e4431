import { PREDICTION_LOOKBACK_MS, RDS_AUTOSCALE, type AutoscaleSettings, type HoldReason, type UsageSample } from './autoscale.js';

/** Bounds memory when the storage check runs very often (tests): 4096 samples is 5.7 h at the 5 s default. */
export const MAX_SAMPLES = 4096;

/**
 * Autoscaling's working state. Usage samples live in memory only: after a control-plane restart the
 * low-storage window starts over (a restart never makes storage grow sooner). The record keeps what
 * must survive: AllocatedStorage and lastStorageChange.
 */
export interface AutoscaleState {
  settings: AutoscaleSettings;
  /** Recent usage per instance, oldest first. */
  samples: Map<string, UsageSample[]>;
  /** The hold already reported by an event, so a blocked autoscaling says so once, not every check. */
  reported: Map<string, HoldReason>;
}

export function createAutoscaleState(settings: AutoscaleSettings): AutoscaleState {
  return { settings, samples: new Map(), reported: new Map() };
}

/** How far back samples are needed: the low-storage window and the prediction's lookback. */
export function keepMs(settings: AutoscaleSettings): number {
  return Math.max(settings.windowMs, PREDICTION_LOOKBACK_MS);
}

/**
 * Appends a sample and drops those older than keep, except the newest one at or before that edge:
 * it proves whether storage was already low when the window began.
 */
export function addSample(samples: readonly UsageSample[], sample: UsageSample, keep: number, cap = MAX_SAMPLES): UsageSample[] {
  const all = [...samples, sample];
  let first = 0;
  while (first + 1 < all.length && all[first + 1].at <= sample.at - keep) first++;
  return all.slice(Math.max(first, all.length - cap));
}

/** Records a measurement for an instance and returns its samples. */
export function recordSample(state: AutoscaleState, id: string, sample: UsageSample): UsageSample[] {
  const next = addSample(state.samples.get(id) ?? [], sample, keepMs(state.settings));
  state.samples.set(id, next);
  return next;
}

/** An instance that is not measured (stopped, failed, deleted) starts a fresh window when it is again. */
export function forgetInstance(state: AutoscaleState, id: string): void {
  state.samples.delete(id);
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
