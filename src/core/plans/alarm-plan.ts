import { findInstanceClass, localSettingsFor } from '../instance-classes.js';

/** What the recommended set is computed from (DescribeDBInstances). */
export interface AlarmPlanInstance {
  id: string;
  instanceClass: string;
  allocatedStorageGiB: number;
  maxAllocatedStorageGiB?: number;
  /** ReadReplicaSourceDBInstanceIdentifier: the instance is a replica. */
  source?: string;
}

/** An alarm as PutMetricAlarm takes it and DescribeAlarms returns it (the fields the plan owns). */
export interface PlannedAlarm {
  AlarmName: string;
  AlarmDescription: string;
  Namespace: 'AWS/RDS';
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  Statistic?: 'Average' | 'Minimum' | 'Maximum';
  ExtendedStatistic?: string;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: 'GreaterThanThreshold' | 'LessThanThreshold';
  TreatMissingData: 'missing';
  AlarmActions: string[];
  OKActions: string[];
}

export type AlarmChange = { action: 'create' | 'update' | 'keep'; alarm: PlannedAlarm; differs: string[] };

export interface AlarmPlan {
  changes: AlarmChange[];
  /** Recommended alarms left out, and why (e.g. FreeStorageSpace with storage autoscaling on). */
  skipped: { metric: string; reason: string }[];
}

const GiB = 1024 ** 3;

/**
 * AWS's recommended alarms for an RDS instance (CloudWatch "Recommended alarms", notes/rds-semantics.md),
 * thresholds from the instance. Names are `<id>-<Metric>` so the set is found again on the next run.
 */
export function recommendedAlarms(db: AlarmPlanInstance, notify?: string): { alarms: PlannedAlarm[]; skipped: AlarmPlan['skipped'] } {
  const cls = findInstanceClass(db.instanceClass);
  const dims = [{ Name: 'DBInstanceIdentifier', Value: db.id }];
  const actions = notify ? [notify] : [];
  const alarm = (metric: string, description: string, rest: Partial<PlannedAlarm> & Pick<PlannedAlarm, 'Threshold' | 'ComparisonOperator'>): PlannedAlarm => ({
    AlarmName: `${db.id}-${metric}`, AlarmDescription: description, Namespace: 'AWS/RDS', MetricName: metric, Dimensions: dims,
    Statistic: 'Average', Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: 'missing', AlarmActions: actions, OKActions: actions, ...rest,
  });
  const skipped: AlarmPlan['skipped'] = [];
  const alarms: PlannedAlarm[] = [
    alarm('CPUUtilization', 'CPU above 90 % for 5 minutes', { Threshold: 90, ComparisonOperator: 'GreaterThanThreshold' }),
  ];
  if (cls) {
    const ram = cls.memoryGiB * GiB;
    alarms.push(alarm('FreeableMemory', `freeable memory below 25 % of the class's ${cls.memoryGiB} GiB for 15 minutes`,
      { Threshold: Math.round(ram * 0.25), ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 15, DatapointsToAlarm: 15 }));
    const max = localSettingsFor(cls).maxConnections;
    alarms.push(alarm('DatabaseConnections', `connections above 90 % of max_connections (${max})`,
      { Threshold: Math.floor(max * 0.9), ComparisonOperator: 'GreaterThanThreshold' }));
  } else {
    skipped.push({ metric: 'FreeableMemory', reason: `class ${db.instanceClass} is not one rdsctl knows the memory of` });
    skipped.push({ metric: 'DatabaseConnections', reason: `class ${db.instanceClass} is not one rdsctl knows max_connections of` });
  }
  if (db.maxAllocatedStorageGiB !== undefined && db.maxAllocatedStorageGiB > db.allocatedStorageGiB) {
    skipped.push({ metric: 'FreeStorageSpace', reason: `storage autoscaling is on (up to ${db.maxAllocatedStorageGiB} GiB)` });
  } else {
    alarms.push(alarm('FreeStorageSpace', `free storage below 10 % of the ${db.allocatedStorageGiB} GiB allocated`,
      { Statistic: 'Minimum', Threshold: Math.round(db.allocatedStorageGiB * GiB * 0.1), ComparisonOperator: 'LessThanThreshold' }));
  }
  if (db.source) {
    alarms.push(alarm('ReplicaLag', 'replica more than 60 s behind its source for 10 minutes',
      { Statistic: 'Maximum', Threshold: 60, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 10, DatapointsToAlarm: 10 }));
  }
  for (const m of ['ReadLatency', 'WriteLatency']) {
    alarms.push(alarm(m, `${m === 'ReadLatency' ? 'read' : 'write'} latency p90 above 20 ms for 5 minutes`,
      { Statistic: undefined, ExtendedStatistic: 'p90', Threshold: 0.02, ComparisonOperator: 'GreaterThanThreshold' }));
  }
  return { alarms, skipped };
}

const FIELDS: (keyof PlannedAlarm)[] = ['AlarmDescription', 'MetricName', 'Statistic', 'ExtendedStatistic', 'Period', 'EvaluationPeriods',
  'DatapointsToAlarm', 'Threshold', 'ComparisonOperator', 'TreatMissingData', 'AlarmActions', 'OKActions', 'Dimensions'];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? (Array.isArray(b) ? [] : undefined)) === JSON.stringify(b ?? (Array.isArray(a) ? [] : undefined));

/** Pure: the recommended set against the alarms that exist (by name) → create, update (which fields) or keep. */
export function planAlarms(db: AlarmPlanInstance, existing: Partial<Record<keyof PlannedAlarm, unknown>>[], notify?: string): AlarmPlan {
  const { alarms, skipped } = recommendedAlarms(db, notify);
  const changes = alarms.map((alarm): AlarmChange => {
    const old = existing.find((e) => e.AlarmName === alarm.AlarmName);
    if (!old) return { action: 'create', alarm, differs: [] };
    const differs = FIELDS.filter((f) => !same(old[f], alarm[f]));
    return { action: differs.length ? 'update' : 'keep', alarm, differs };
  });
  return { changes, skipped };
}
