import { createHash } from 'node:crypto';
import type { AlarmState, Comparison, MissingData } from '../../core/alarm-eval.js';
import { Store, storeDir } from './store.js';

/** One state change or configuration change, as DescribeAlarmHistory returns it. */
export interface AlarmHistoryEntry {
  at: string;
  type: 'StateUpdate' | 'ConfigurationUpdate' | 'Action';
  summary: string;
  data: string;
}

/** A metric alarm as persisted in state/alarms/<hash of name>.json (alarm names may hold any character). */
export interface AlarmRecord {
  id: string;
  name: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic?: string;
  extendedStatistic?: string;
  period: number;
  unit?: string;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Comparison;
  treatMissingData: MissingData;
  state: AlarmState;
  stateReason: string;
  stateReasonData?: string;
  stateUpdated: string;
  stateTransitioned: string;
  configurationUpdated: string;
  tags: { Key: string; Value: string }[];
  /** Newest last; CloudWatch keeps 14 days, the record keeps the last HISTORY_LIMIT entries. */
  history: AlarmHistoryEntry[];
}

export const HISTORY_LIMIT = 200;

export const alarmId = (name: string) => createHash('sha256').update(name).digest('hex').slice(0, 32);

export function alarmStore(home: string): Store<AlarmRecord> {
  return new Store<AlarmRecord>(storeDir(home, 'alarms'));
}

export function addHistory(rec: AlarmRecord, entry: AlarmHistoryEntry): void {
  rec.history.push(entry);
  if (rec.history.length > HISTORY_LIMIT) rec.history.splice(0, rec.history.length - HISTORY_LIMIT);
}
