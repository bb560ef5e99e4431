/**
 * CloudWatch alarm evaluation, pure: M of N periods (DatapointsToAlarm of EvaluationPeriods) compared
 * with the threshold, missing periods treated as TreatMissingData says. The local endpoint's evaluator
 * feeds it the last N complete periods; the reason text has CloudWatch's shape.
 */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type Comparison = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type MissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

export const COMPARISONS: readonly Comparison[] = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
export const MISSING_DATA: readonly MissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

export interface AlarmRule {
  threshold: number;
  comparison: Comparison;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: MissingData;
}

/** One evaluated period: its start (epoch ms) and its statistic, undefined when it had no datapoint. */
export interface PeriodValue {
  start: number;
  value?: number;
}

export interface Verdict {
  state: AlarmState;
  reason: string;
  /** The evaluated datapoints, for StateReasonData. */
  recent: PeriodValue[];
}

export function breaches(value: number, rule: Pick<AlarmRule, 'threshold' | 'comparison'>): boolean {
  switch (rule.comparison) {
    case 'GreaterThanOrEqualToThreshold': return value >= rule.threshold;
    case 'GreaterThanThreshold': return value > rule.threshold;
    case 'LessThanThreshold': return value < rule.threshold;
    case 'LessThanOrEqualToThreshold': return value <= rule.threshold;
  }
}

const WORDS: Record<Comparison, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

const num = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));
const pad = (n: number) => String(n).padStart(2, '0');
/** CloudWatch writes datapoint times as dd/MM/yy HH:mm:ss (UTC). */
const when = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/**
 * The state the periods call for (newest last); `current` is kept when TreatMissingData is ignore and
 * nothing was there to evaluate.
 */
export function evaluateAlarm(rule: AlarmRule, periods: PeriodValue[], current: AlarmState, from: AlarmState = current): Verdict {
  const present = periods.filter((p) => p.value !== undefined);
  const missing = periods.length - present.length;
  const breachingPresent = present.filter((p) => breaches(p.value!, rule));
  const breaching = breachingPresent.length + (rule.treatMissingData === 'breaching' ? missing : 0);
  const shown = [...present].reverse().map((p) => `${num(p.value!)} (${when(p.start)})`).join(', ');
  const words = WORDS[rule.comparison];
  const m = rule.datapointsToAlarm;
  if (breaching >= m) {
    const ofLast = `${breaching} out of the last ${periods.length} datapoints`;
    const list = present.length ? ` [${[...breachingPresent].reverse().map((p) => `${num(p.value!)} (${when(p.start)})`).join(', ')}]` : '';
    return { state: 'ALARM', recent: periods, reason: `Threshold Crossed: ${ofLast}${list} ${breaching === 1 ? 'was' : 'were'} ${words} the threshold (${num(rule.threshold)}) (minimum ${plural(m, 'datapoint')} for ${from} -> ALARM transition).` };
  }
  if (present.length === 0 && rule.treatMissingData !== 'notBreaching' && rule.treatMissingData !== 'breaching') {
    if (rule.treatMissingData === 'ignore') return { state: current, recent: periods, reason: `Insufficient Data: ${plural(missing, 'datapoint')} ${missing === 1 ? 'was' : 'were'} unknown; state kept (TreatMissingData ignore).` };
    return { state: 'INSUFFICIENT_DATA', recent: periods, reason: `Insufficient Data: ${plural(missing, 'datapoint')} ${missing === 1 ? 'was' : 'were'} unknown.` };
  }
  const list = present.length ? ` [${shown}]` : '';
  return { state: 'OK', recent: periods, reason: `Threshold Crossed: ${plural(present.length || periods.length, 'datapoint')}${list} ${present.length === 1 ? 'was' : 'were'} not ${words} the threshold (${num(rule.threshold)}).` };
}

/** The last `n` complete periods of `periodSec` before `now` (aligned to the epoch), oldest first. */
export function lastPeriods(now: number, periodSec: number, n: number): number[] {
  const p = periodSec * 1000;
  const end = Math.floor(now / p) * p;
  return Array.from({ length: n }, (_, i) => end - (n - i) * p);
}
