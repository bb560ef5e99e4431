import type { FlatParams } from '../server/types.js';
import type { InstanceRecord } from '../state/registry.js';
import { invalidCombination, invalidValue } from './faults.js';
import { int, str } from './params.js';

/**
 * MonitoringInterval (seconds between samples of the instance; 0 = basic monitoring, one a minute) and
 * MonitoringRoleArn, checked as RDS checks them (rds-semantics.md). Pure.
 */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
/** Basic monitoring: CloudWatch's one datapoint a minute. */
export const BASIC_INTERVAL_MS = 60_000;

export type MonitoringSettings = Pick<InstanceRecord, 'monitoringInterval' | 'monitoringRoleArn'>;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** What the request sets, given what the instance has (create: nothing); {} when it names neither member. */
export function readMonitoring(flat: FlatParams, current: MonitoringSettings): MonitoringSettings {
  const interval = int(flat, 'MonitoringInterval');
  const role = str(flat, 'MonitoringRoleArn');
  if (interval === undefined && role === undefined) return {};
  if (interval !== undefined && !MONITORING_INTERVALS.includes(interval)) {
    throw invalidValue(`Invalid Monitoring interval: ${interval}. Valid values are: ${MONITORING_INTERVALS.join(', ')}.`);
  }
  if (role !== undefined && !ROLE_ARN.test(role)) {
    throw invalidValue('IAM role ARN value is invalid or does not include the required permissions for: ENHANCED_MONITORING');
  }
  const next = interval ?? current.monitoringInterval ?? 0;
  if (role !== undefined && next === 0) {
    throw invalidCombination('If MonitoringRoleArn is specified, MonitoringInterval must be set to a value other than 0.');
  }
  const nextRole = role ?? current.monitoringRoleArn;
  if (next > 0 && nextRole === undefined) {
    throw invalidCombination('A MonitoringRoleARN value is required if you specify a MonitoringInterval value other than 0.');
  }
  // Turning Enhanced Monitoring off detaches the role, as the RDS console does.
  return { monitoringInterval: next, monitoringRoleArn: next === 0 ? undefined : nextRole };
}

/** How often the sampler reads the instance: its MonitoringInterval, or basic monitoring's minute (tests: faster). */
export function sampleEveryMs(rec: MonitoringSettings, basicMs = BASIC_INTERVAL_MS): number {
  return rec.monitoringInterval ? rec.monitoringInterval * 1000 : basicMs;
}
