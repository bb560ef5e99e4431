import type { DescribeAlarmHistoryOutput, DescribeAlarmsForMetricOutput, DescribeAlarmsOutput, MetricAlarm, HistoryItemType } from '@aws-sdk/client-cloudwatch';
import { alarmStore, type AlarmRecord } from '../state/alarms.js';
import { AwsFault, type OpHandler } from '../server/types.js';
import { localArn } from './arns.js';
import type { OpsContext } from './context.js';
import { invalidValue } from './faults.js';
import { requireAlarm } from './alarms-put.js';
import { dimensionList, dimensionsOf, inputOf, optInt, optStr, optTime, reqStr, strs } from './metrics-input.js';

export const alarmArn = (name: string) => localArn('cloudwatch', `alarm:${name}`);

export function metricAlarm(a: AlarmRecord): MetricAlarm {
  return {
    AlarmName: a.name, AlarmArn: alarmArn(a.name), AlarmDescription: a.description,
    AlarmConfigurationUpdatedTimestamp: new Date(a.configurationUpdated), ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions, AlarmActions: a.alarmActions, InsufficientDataActions: a.insufficientDataActions,
    StateValue: a.state, StateReason: a.stateReason, StateReasonData: a.stateReasonData,
    StateUpdatedTimestamp: new Date(a.stateUpdated), StateTransitionedTimestamp: new Date(a.stateTransitioned),
    MetricName: a.metricName, Namespace: a.namespace, Statistic: a.statistic as MetricAlarm['Statistic'], ExtendedStatistic: a.extendedStatistic,
    Dimensions: dimensionList(a.dimensions), Period: a.period, Unit: a.unit as MetricAlarm['Unit'], EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm, Threshold: a.threshold, ComparisonOperator: a.comparison, TreatMissingData: a.treatMissingData,
  };
}

const byName = (ctx: OpsContext) => alarmStore(ctx.home).list().sort((x, y) => x.name.localeCompare(y.name));

function page<T>(items: T[], token: string | undefined, max: number): { items: T[]; next?: string } {
  const from = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(from) || from < 0) throw new AwsFault('InvalidNextToken', 'The NextToken is invalid.', 400);
  const next = from + max < items.length ? Buffer.from(String(from + max)).toString('base64') : undefined;
  return { items: items.slice(from, from + max), ...(next ? { next } : {}) };
}

export function describeAlarms(ctx: OpsContext): OpHandler<DescribeAlarmsOutput> {
  return async (req) => {
    const input = inputOf(req);
    const names = strs(input, 'AlarmNames');
    const prefix = optStr(input, 'AlarmNamePrefix');
    if (names.length && prefix) throw new AwsFault('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be specified together.', 400);
    const state = optStr(input, 'StateValue');
    const actionPrefix = optStr(input, 'ActionPrefix');
    const types = strs(input, 'AlarmTypes');
    const max = optInt(input, 'MaxRecords') ?? 50;
    if (max < 1 || max > 100) throw invalidValue('The parameter MaxRecords must be between 1 and 100.');
    const wantMetric = types.length === 0 || types.includes('MetricAlarm');
    const found = !wantMetric ? [] : byName(ctx).filter((a) => (!names.length || names.includes(a.name)) && (!prefix || a.name.startsWith(prefix))
      && (!state || a.state === state) && (!actionPrefix || [...a.alarmActions, ...a.okActions, ...a.insufficientDataActions].some((x) => x.startsWith(actionPrefix))));
    const p = page(found, optStr(input, 'NextToken'), max);
    return { MetricAlarms: p.items.map(metricAlarm), CompositeAlarms: [], ...(p.next ? { NextToken: p.next } : {}) };
  };
}

export function describeAlarmsForMetric(ctx: OpsContext): OpHandler<DescribeAlarmsForMetricOutput> {
  return async (req) => {
    const input = inputOf(req);
    const ns = reqStr(input, 'Namespace');
    const name = reqStr(input, 'MetricName');
    const dims = dimensionsOf(input);
    const stat = optStr(input, 'Statistic');
    const ext = optStr(input, 'ExtendedStatistic');
    const period = optInt(input, 'Period');
    const same = (a: Record<string, string>) => Object.keys(a).length === Object.keys(dims).length && Object.entries(dims).every(([k, v]) => a[k] === v);
    return {
      MetricAlarms: byName(ctx).filter((a) => a.namespace === ns && a.metricName === name && (Object.keys(dims).length === 0 || same(a.dimensions))
        && (!stat || a.statistic === stat) && (!ext || a.extendedStatistic === ext) && (period === undefined || a.period === period)).map(metricAlarm),
    };
  };
}

export function describeAlarmHistory(ctx: OpsContext): OpHandler<DescribeAlarmHistoryOutput> {
  return async (req) => {
    const input = inputOf(req);
    const name = optStr(input, 'AlarmName');
    const type = optStr(input, 'HistoryItemType') as HistoryItemType | undefined;
    const start = optTime(input, 'StartDate') ?? -Infinity;
    const end = optTime(input, 'EndDate') ?? Infinity;
    const scanBy = optStr(input, 'ScanBy') ?? 'TimestampDescending';
    const max = optInt(input, 'MaxRecords') ?? 100;
    if (max < 1 || max > 100) throw invalidValue('The parameter MaxRecords must be between 1 and 100.');
    const alarms = name ? [requireAlarmOrNone(ctx, name)].filter((a): a is AlarmRecord => a !== undefined) : byName(ctx);
    let items = alarms.flatMap((a) => a.history.map((h) => ({ a, h })))
      .filter(({ h }) => (!type || h.type === type) && Date.parse(h.at) >= start && Date.parse(h.at) < end)
      .sort((x, y) => Date.parse(x.h.at) - Date.parse(y.h.at));
    if (scanBy === 'TimestampDescending') items = items.reverse();
    const p = page(items, optStr(input, 'NextToken'), max);
    return {
      AlarmHistoryItems: p.items.map(({ a, h }) => ({ AlarmName: a.name, AlarmType: 'MetricAlarm', Timestamp: new Date(h.at), HistoryItemType: h.type, HistorySummary: h.summary, HistoryData: h.data })),
      ...(p.next ? { NextToken: p.next } : {}),
    };
  };
}

/** History of a deleted or unknown alarm is empty on CloudWatch, not an error. */
function requireAlarmOrNone(ctx: OpsContext, name: string): AlarmRecord | undefined {
  try {
    return requireAlarm(ctx, name);
  } catch {
    return undefined;
  }
}
