import { evaluateAlarm, lastPeriods, type AlarmState, type PeriodValue } from '../../core/alarm-eval.js';
import { bucketize, statOf } from '../../core/metric-stats.js';
import { addHistory, alarmStore, type AlarmRecord } from '../state/alarms.js';
import { deliverAction } from './alarm-delivery.js';
import type { OpsContext } from './context.js';

/** The statistic of each of the alarm's last EvaluationPeriods complete periods. */
export function alarmPeriods(ctx: OpsContext, a: AlarmRecord, now: number): PeriodValue[] {
  const starts = lastPeriods(now, a.period, a.evaluationPeriods);
  const s = ctx.metrics.get(a.namespace, a.metricName, a.dimensions);
  const stat = a.statistic ?? a.extendedStatistic!;
  const buckets = !s || (a.unit && a.unit !== s.unit) ? [] : bucketize(s.points, starts[0], starts[starts.length - 1] + a.period * 1000, a.period);
  const byStart = new Map(buckets.map((b) => [b.start, statOf(stat, b.values)]));
  return starts.map((start) => ({ start, value: byStart.get(start) }));
}

/**
 * Records a state change (or keeps the state and refreshes nothing); returns the actions this transition
 * fires (empty when actions are disabled), or undefined when the state did not change.
 */
export function transition(rec: AlarmRecord, state: AlarmState, reason: string, reasonData: string | undefined, now: Date): { from: AlarmState; actions: string[] } | undefined {
  if (rec.state === state) return undefined;
  const old = { stateValue: rec.state, stateReason: rec.stateReason };
  rec.state = state;
  rec.stateReason = reason;
  rec.stateReasonData = reasonData;
  rec.stateUpdated = now.toISOString();
  rec.stateTransitioned = now.toISOString();
  addHistory(rec, {
    at: now.toISOString(), type: 'StateUpdate', summary: `Alarm updated from ${old.stateValue} to ${state}`,
    data: JSON.stringify({ version: '1.0', oldState: old, newState: { stateValue: state, stateReason: reason, ...(reasonData ? { stateReasonData: JSON.parse(reasonData) as object } : {}) } }),
  });
  const actions = !rec.actionsEnabled ? [] : state === 'ALARM' ? rec.alarmActions : state === 'OK' ? rec.okActions : rec.insufficientDataActions;
  return { from: old.stateValue, actions };
}

/** One evaluation pass over every alarm (the control plane runs it each minute; tests faster). */
export function evaluateAlarms(ctx: OpsContext, now = Date.now()): void {
  const store = alarmStore(ctx.home);
  for (const a of store.list()) {
    const periods = alarmPeriods(ctx, a, now);
    const v = evaluateAlarm({ threshold: a.threshold, comparison: a.comparison, evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm, treatMissingData: a.treatMissingData }, periods, a.state);
    const data = JSON.stringify({
      version: '1.0', queryDate: new Date(now).toISOString(), statistic: a.statistic ?? a.extendedStatistic, period: a.period,
      recentDatapoints: periods.filter((p) => p.value !== undefined).map((p) => p.value), threshold: a.threshold,
    });
    // The pass is synchronous (no await between read and save), so no API call can change the alarm meanwhile.
    const changed = transition(a, v.state, v.reason, data, new Date(now));
    if (changed) {
      store.save(a);
      ctx.log.info(`alarm ${a.name}: ${v.state}: ${v.reason}`);
      // Once per transition, after it is saved; delivery (with its retries) runs beside the evaluation.
      for (const arn of changed.actions) void deliverAction(ctx, { ...a }, changed.from, arn);
    }
  }
}

export interface AlarmEvaluator {
  stop(): void;
}

export function startAlarmEvaluator(ctx: OpsContext, intervalMs: number): AlarmEvaluator {
  const timer = setInterval(() => {
    try {
      evaluateAlarms(ctx);
    } catch (err) {
      ctx.log.error(`alarm evaluation failed: ${(err as Error).message}`);
    }
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}

/** RDSCTL_ALARM_EVAL_MS (tests evaluate fast); CloudWatch evaluates each minute. */
export function evaluatorIntervalMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.RDSCTL_ALARM_EVAL_MS);
  return Number.isInteger(ms) && ms >= 100 ? ms : 60_000;
}
