import type { CloudWatchClient, MetricAlarm, AlarmHistoryItem } from '@aws-sdk/client-cloudwatch';
import type { DBInstance } from '@aws-sdk/client-rds';
import { notFoundError } from '../core/errors.js';
import { planAlarms, type AlarmPlan } from '../core/plans/alarm-plan.js';

const onInstance = (id: string) => (a: MetricAlarm) => a.Namespace === 'AWS/RDS' && (a.Dimensions ?? []).some((d) => d.Name === 'DBInstanceIdentifier' && d.Value === id);

/** Every metric alarm (all pages), or those on one instance's AWS/RDS metrics. */
export async function listAlarms(cw: CloudWatchClient, id?: string): Promise<MetricAlarm[]> {
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const out: MetricAlarm[] = [];
  let token: string | undefined;
  do {
    const page = await cw.send(new DescribeAlarmsCommand({ NextToken: token, MaxRecords: 100, AlarmTypes: ['MetricAlarm'] }));
    out.push(...(page.MetricAlarms ?? []));
    token = page.NextToken;
  } while (token);
  return id ? out.filter(onInstance(id)) : out;
}

export interface ApplyResult {
  plan: AlarmPlan;
  applied: boolean;
}

/** The recommended set for the instance: planned purely, then only what differs is written. */
export async function applyRecommended(cw: CloudWatchClient, db: DBInstance, opts: { notify?: string; dryRun: boolean }): Promise<ApplyResult> {
  const id = db.DBInstanceIdentifier!;
  const existing = await listAlarms(cw, id);
  const plan = planAlarms({
    id, instanceClass: db.DBInstanceClass!, allocatedStorageGiB: db.AllocatedStorage!, maxAllocatedStorageGiB: db.MaxAllocatedStorage,
    source: db.ReadReplicaSourceDBInstanceIdentifier,
  }, existing as Record<string, unknown>[], opts.notify);
  if (opts.dryRun) return { plan, applied: false };
  const { PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
  for (const c of plan.changes) if (c.action !== 'keep') await cw.send(new PutMetricAlarmCommand(c.alarm));
  return { plan, applied: true };
}

/** `alarms delete <name>`, or every alarm on instance <id> with `all`. Returns the names deleted. */
export async function deleteAlarms(cw: CloudWatchClient, target: string, all: boolean): Promise<string[]> {
  const { DeleteAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const names = all ? (await listAlarms(cw, target)).map((a) => a.AlarmName!) : (await listAlarms(cw)).filter((a) => a.AlarmName === target).map((a) => a.AlarmName!);
  if (names.length === 0) {
    throw notFoundError('ALARM_NOT_FOUND', all ? `No alarms on DB instance ${target}.` : `Alarm ${target} not found.`, {
      hint: all ? `Create them with \`rdsctl alarms apply ${target} --recommended\`.` : 'Run `rdsctl alarms list` for the alarm names.',
    });
  }
  for (let i = 0; i < names.length; i += 100) await cw.send(new DeleteAlarmsCommand({ AlarmNames: names.slice(i, i + 100) }));
  return names;
}

/** State changes of the instance's alarms, newest first. */
export async function alarmHistory(cw: CloudWatchClient, id: string): Promise<AlarmHistoryItem[]> {
  const { DescribeAlarmHistoryCommand } = await import('@aws-sdk/client-cloudwatch');
  const items: AlarmHistoryItem[] = [];
  for (const a of await listAlarms(cw, id)) {
    const out = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: a.AlarmName, HistoryItemType: 'StateUpdate', MaxRecords: 100 }));
    items.push(...(out.AlarmHistoryItems ?? []));
  }
  return items.sort((x, y) => (y.Timestamp?.getTime() ?? 0) - (x.Timestamp?.getTime() ?? 0));
}
