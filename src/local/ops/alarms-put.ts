import { COMPARISONS, MISSING_DATA, type AlarmState, type Comparison, type MissingData } from '../../core/alarm-eval.js';
import { BASIC_STATS, parseStat } from '../../core/metric-stats.js';
import { addHistory, alarmId, alarmStore, type AlarmRecord } from '../state/alarms.js';
import { AwsFault, type OpHandler } from '../server/types.js';
import type { OpsContext } from './context.js';
import { invalidValue, missingParameter } from './faults.js';
import { transition } from './alarms-evaluate.js';
import { arr, dimensionsOf, inputOf, optBool, optInt, optNum, optStr, reqStr, strs, type Input } from './metrics-input.js';
import { deliverAction } from './alarm-delivery.js';

const combination = (m: string) => new AwsFault('InvalidParameterCombination', m, 400);
const notFound = (m: string) => new AwsFault('ResourceNotFound', m, 404);
const STATES: AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidValue(`The value ${value} for parameter ${name} is invalid (one of ${allowed.join(', ')}).`);
  return value as T;
}

function alarmConfig(input: Input) {
  if (arr(input, 'Metrics').length > 0) throw invalidValue('Metric math alarms (Metrics) are not supported by the local endpoint; use MetricName, Namespace and Statistic.');
  const name = reqStr(input, 'AlarmName');
  if (name.length > 255) throw invalidValue('The parameter AlarmName must be at most 255 characters.');
  const statistic = optStr(input, 'Statistic');
  const extendedStatistic = optStr(input, 'ExtendedStatistic');
  if ((statistic === undefined) === (extendedStatistic === undefined)) throw combination('Exactly one of Statistic or ExtendedStatistic must be specified.');
  oneOf(statistic, BASIC_STATS, 'Statistic');
  if (extendedStatistic !== undefined && parseStat(extendedStatistic)?.kind !== 'percentile') throw invalidValue(`The value ${extendedStatistic} for parameter ExtendedStatistic is not a valid percentile.`);
  const period = optInt(input, 'Period');
  if (period === undefined) throw missingParameter('Period');
  if (!(period === 10 || period === 30 || (period >= 60 && period % 60 === 0))) throw invalidValue('The parameter Period must be 10, 30 or a multiple of 60.');
  const evaluationPeriods = optInt(input, 'EvaluationPeriods');
  if (evaluationPeriods === undefined) throw missingParameter('EvaluationPeriods');
  if (evaluationPeriods < 1) throw invalidValue('The parameter EvaluationPeriods must be greater than or equal to 1.');
  if (period * evaluationPeriods > 7 * 86400) throw invalidValue('The product of Period and EvaluationPeriods must not exceed 7 days (604800 seconds).');
  const datapointsToAlarm = optInt(input, 'DatapointsToAlarm') ?? evaluationPeriods;
  if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) throw invalidValue('The parameter DatapointsToAlarm must be between 1 and EvaluationPeriods.');
  const threshold = optNum(input, 'Threshold');
  if (threshold === undefined) throw missingParameter('Threshold');
  const comparison = oneOf<Comparison>(optStr(input, 'ComparisonOperator'), COMPARISONS, 'ComparisonOperator');
  if (!comparison) throw missingParameter('ComparisonOperator');
  return {
    name, description: optStr(input, 'AlarmDescription'), actionsEnabled: optBool(input, 'ActionsEnabled') ?? true,
    okActions: strs(input, 'OKActions'), alarmActions: strs(input, 'AlarmActions'), insufficientDataActions: strs(input, 'InsufficientDataActions'),
    namespace: reqStr(input, 'Namespace'), metricName: reqStr(input, 'MetricName'), dimensions: dimensionsOf(input),
    statistic, extendedStatistic, period, unit: optStr(input, 'Unit'), evaluationPeriods, datapointsToAlarm, threshold, comparison,
    treatMissingData: oneOf<MissingData>(optStr(input, 'TreatMissingData'), MISSING_DATA, 'TreatMissingData') ?? 'missing',
    tags: arr(input, 'Tags').map((t) => ({ Key: reqStr(t, 'Key'), Value: optStr(t, 'Value') ?? '' })),
  };
}

/** PutMetricAlarm: creates or replaces; a new alarm starts INSUFFICIENT_DATA (as CloudWatch; moto starts OK). */
export function putMetricAlarm(ctx: OpsContext): OpHandler<object> {
  return async (req) => {
    const cfg = alarmConfig(inputOf(req));
    const store = alarmStore(ctx.home);
    const now = new Date().toISOString();
    const old = store.get(alarmId(cfg.name));
    const rec: AlarmRecord = old
      ? { ...old, ...cfg, tags: old.tags, configurationUpdated: now }
      : { id: alarmId(cfg.name), ...cfg, state: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation', stateUpdated: now, stateTransitioned: now, configurationUpdated: now, history: [] };
    addHistory(rec, { at: now, type: 'ConfigurationUpdate', summary: `Alarm "${cfg.name}" ${old ? 'updated' : 'created'}`, data: JSON.stringify({ version: '1.0', type: old ? 'Update' : 'Create' }) });
    store.save(rec);
    return {};
  };
}

/** DeleteAlarms: all or nothing; an unknown name is ResourceNotFound. */
export function deleteAlarms(ctx: OpsContext): OpHandler<object> {
  return async (req) => {
    const names = strs(inputOf(req), 'AlarmNames');
    if (names.length > 100) throw invalidValue('The collection AlarmNames must not have a size greater than 100.');
    const store = alarmStore(ctx.home);
    const missing = names.filter((n) => !store.get(alarmId(n)));
    if (missing.length) throw notFound(`${missing.length} out of ${names.length} alarms were not found: ${missing.join(', ')}`);
    names.forEach((n) => store.remove(alarmId(n)));
    return {};
  };
}

export function requireAlarm(ctx: OpsContext, name: string): AlarmRecord {
  const rec = alarmStore(ctx.home).get(alarmId(name));
  if (!rec) throw notFound(`Alarm ${name} not found`);
  return rec;
}

/** SetAlarmState: temporary, as on CloudWatch: the next evaluation sets the state the data calls for. */
export function setAlarmState(ctx: OpsContext): OpHandler<object> {
  return async (req) => {
    const input = inputOf(req);
    const rec = requireAlarm(ctx, reqStr(input, 'AlarmName'));
    const state = oneOf(reqStr(input, 'StateValue'), STATES, 'StateValue')!;
    const reasonData = optStr(input, 'StateReasonData');
    if (reasonData !== undefined) {
      try {
        JSON.parse(reasonData);
      } catch {
        throw new AwsFault('InvalidFormat', 'StateReasonData must be valid JSON.', 400);
      }
    }
    const changed = transition(rec, state, reqStr(input, 'StateReason'), reasonData, new Date());
    alarmStore(ctx.home).save(rec);
    // As on CloudWatch, a state set by hand fires the new state's actions (how a DBA tests a notification).
    for (const arn of changed?.actions ?? []) void deliverAction(ctx, { ...rec }, changed!.from, arn);
    return {};
  };
}

export function alarmActions(ctx: OpsContext, enabled: boolean): OpHandler<object> {
  return async (req) => {
    const store = alarmStore(ctx.home);
    for (const n of strs(inputOf(req), 'AlarmNames')) {
      const rec = store.get(alarmId(n));
      if (!rec) continue; // as CloudWatch: unknown names are skipped
      rec.actionsEnabled = enabled;
      store.save(rec);
    }
    return {};
  };
}
