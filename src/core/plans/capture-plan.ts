import { conflictError, usageError } from '../errors.js';
import { planSet, type ParamChange, type ParamInfo } from './params-plan.js';

/**
 * `analyze-queries <id> --capture <duration>`: which parameters the capture sets in the instance's
 * parameter group, and how each is put back afterwards. Pure.
 */

/**
 * The longest capture: with long_query_time=0 the server logs every statement (a busy server writes
 * gigabytes an hour), and RDS rotates mysql-slowquery.log every hour, so a longer window would lose
 * what was rotated away before the download.
 */
export const MAX_CAPTURE_SECONDS = 3600;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** `90s`, `10m`, `1h`, `1m30s` (a bare number is seconds) → seconds; bad or out-of-range input is a usage error. */
export function parseCaptureDuration(text: string): number {
  const t = text.trim().toLowerCase();
  let seconds = 0;
  if (/^\d+(\.\d+)?$/.test(t)) seconds = Number(t);
  else if (/^(\d+(\.\d+)?[smh])+$/.test(t)) for (const m of t.matchAll(/(\d+(?:\.\d+)?)([smh])/g)) seconds += Number(m[1]) * UNITS[m[2]!]!;
  else throw usageError('INVALID_CAPTURE', `--capture "${text}" is not a duration.`, { hint: 'Give it as 90s, 10m or 1h (at most 1h), e.g. --capture 10m.' });
  seconds = Math.round(seconds);
  if (seconds < 1) throw usageError('INVALID_CAPTURE', `--capture ${text} records nothing: give at least 1s.`, { hint: 'e.g. --capture 10m.' });
  if (seconds > MAX_CAPTURE_SECONDS) {
    throw usageError('INVALID_CAPTURE', `--capture ${text} is longer than the 1h maximum.`, { hint: 'Capture at most 1h (the slow log rotates hourly on RDS); run several captures for a longer picture.' });
  }
  return seconds;
}

/** `--long-query-time <seconds>`: what the capture logs (0 = every statement). */
export function parseLongQueryTime(text: string | undefined): string {
  if (text === undefined) return '0';
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || Number(text) > 31_536_000) {
    throw usageError('INVALID_LONG_QUERY_TIME', `--long-query-time "${text}" is not a number of seconds.`, { hint: 'e.g. --long-query-time 0.1 (the default 0 logs every statement).' });
  }
  return text.trim();
}

export interface RestoreStep {
  name: string;
  /** set: back to the user value it had; reset: it was the engine's default, so the group's value is removed. */
  action: 'set' | 'reset';
  value?: string;
  /** What the server runs with after a reset (the value DescribeDBParameters showed), for the report. */
  shown?: string;
}

export interface CapturePlan {
  instanceId: string;
  group: string;
  changes: ParamChange[];
  restore: RestoreStep[];
  /** Parameters the group does not have (e.g. log_slow_verbosity on MySQL): not set, said so. */
  skipped: string[];
}

/** A default group (`default.<family>`) cannot be modified on RDS: the capture refuses and says what to do. */
export function isDefaultGroup(group: string): boolean {
  return group.startsWith('default.');
}

export function defaultGroupError(id: string, group: string, family: string | undefined): Error {
  const name = `${id}-capture`;
  return conflictError('CAPTURE_DEFAULT_PARAM_GROUP', `${id} uses the default parameter group ${group}, which cannot be modified.`, {
    hint: `Give it its own group first (attaching one takes effect at the next reboot): rdsctl params create ${name}${family ? ` --family ${family}` : ''}; rdsctl modify ${id} --parameter-group ${name}; rdsctl reboot ${id}. Then run the capture again.`,
  });
}

/** The values the capture needs; log_slow_verbosity and log_output only where the group has them. */
export function planCapture(instanceId: string, group: string, current: ParamInfo[], longQueryTime: string): CapturePlan {
  const has = (n: string) => current.some((p) => p.ParameterName === n && p.IsModifiable !== false);
  const wanted: { name: string; value: string }[] = [
    { name: 'slow_query_log', value: '1' },
    { name: 'long_query_time', value: longQueryTime },
    { name: 'log_slow_verbosity', value: 'query_plan,explain' },
    { name: 'log_output', value: 'FILE' },
  ];
  const optional = new Set(['log_slow_verbosity', 'log_output']);
  const skipped = wanted.filter((w) => optional.has(w.name) && !has(w.name)).map((w) => w.name);
  const used = wanted.filter((w) => !skipped.includes(w.name));
  // Already what the capture needs, from the engine: nothing to set (and nothing to put back).
  const needed = used.filter((w) => !current.some((p) => p.ParameterName === w.name && p.ParameterValue === w.value));
  const changes = planSet(current, needed, group, 'immediate');
  const restore = changes.map((c): RestoreStep => {
    const before = current.find((p) => p.ParameterName === c.name)!;
    return before.Source === 'user'
      ? { name: c.name, action: 'set', value: before.ParameterValue }
      : { name: c.name, action: 'reset', shown: before.ParameterValue };
  });
  return { instanceId, group, changes, restore, skipped };
}

/** `slow_query_log=0 (engine default), long_query_time=2` — what a restore put back, for one line. */
export function describeRestore(steps: RestoreStep[]): string {
  return steps.map((s) => (s.action === 'set' ? `${s.name}=${s.value ?? ''}` : `${s.name}${s.shown === undefined ? '' : `=${s.shown}`} (engine default)`)).join(', ');
}

/** The commands that put the values back by hand (a second Ctrl-C cut the restore short, or it failed). */
export function manualRestore(plan: Pick<CapturePlan, 'group' | 'restore'>): string {
  const sets = plan.restore.filter((s) => s.action === 'set').map((s) => `${s.name}=${s.value ?? ''}`);
  const resets = plan.restore.filter((s) => s.action === 'reset').map((s) => s.name);
  return [sets.length ? `rdsctl params ${plan.group} set ${sets.join(' ')}` : '', resets.length ? `rdsctl params ${plan.group} reset ${resets.join(' ')}` : '']
    .filter(Boolean).join('; ');
}
