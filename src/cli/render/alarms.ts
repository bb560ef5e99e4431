import type { AlarmHistoryItem, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmPlan } from '../../core/plans/alarm-plan.js';
import { renderTable } from './table.js';

const OP: Record<string, string> = { GreaterThanThreshold: '>', LessThanThreshold: '<', GreaterThanOrEqualToThreshold: '≥', LessThanOrEqualToThreshold: '≤' };

function thresholdText(metric: string, v: number): string {
  if (/Memory|Storage|BinLog/.test(metric)) return `${Math.round(v / 1024 / 1024).toLocaleString('en-US')} MiB`;
  if (/Latency/.test(metric)) return `${(v * 1000).toFixed(0)} ms`;
  if (metric === 'CPUUtilization') return `${v} %`;
  if (metric === 'ReplicaLag') return `${v} s`;
  return String(v);
}

export const ruleText = (a: Pick<MetricAlarm, 'MetricName' | 'Statistic' | 'ExtendedStatistic' | 'ComparisonOperator' | 'Threshold' | 'Period' | 'DatapointsToAlarm' | 'EvaluationPeriods'>) =>
  `${a.ExtendedStatistic ?? a.Statistic} ${OP[a.ComparisonOperator ?? ''] ?? a.ComparisonOperator} ${thresholdText(a.MetricName!, a.Threshold!)}, ${a.DatapointsToAlarm ?? a.EvaluationPeriods} of ${a.EvaluationPeriods} × ${a.Period}s`;

export function renderPlan(id: string, plan: AlarmPlan, applied: boolean): string {
  const verb = { create: applied ? 'created' : 'would create', update: applied ? 'updated' : 'would update', keep: 'unchanged' };
  const lines = plan.changes.map((c) => `  ${verb[c.action].padEnd(12)} ${c.alarm.AlarmName}: ${ruleText(c.alarm)}${c.differs.length ? ` (${c.differs.join(', ')})` : ''}`);
  const skipped = plan.skipped.map((s) => `  skipped      ${s.metric}: ${s.reason}`);
  const changed = plan.changes.filter((c) => c.action !== 'keep').length;
  const summary = changed === 0
    ? `All ${plan.changes.length} recommended alarms for ${id} are already in place: nothing changed.`
    : applied ? `${changed} of ${plan.changes.length} recommended alarms for ${id} written.` : `Dry run: ${changed} of ${plan.changes.length} alarms would be written; nothing was changed.`;
  return [summary, ...lines, ...skipped].join('\n');
}

export function renderAlarmList(alarms: MetricAlarm[]): string {
  if (alarms.length === 0) return 'No alarms.';
  return renderTable(['ALARM', 'STATE', 'RULE'], alarms.map((a) => [a.AlarmName ?? '', a.StateValue ?? '', `${a.MetricName} ${ruleText(a)}`]));
}

export function renderHistory(items: AlarmHistoryItem[]): string {
  if (items.length === 0) return 'No alarm state changes yet.';
  return items.map((i) => `${i.Timestamp?.toISOString().replace('T', ' ').slice(0, 19)}  ${i.AlarmName}: ${i.HistorySummary}`).join('\n');
}
