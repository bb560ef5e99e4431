import { spawn } from 'node:child_process';
import { addHistory, alarmId, alarmStore, type AlarmRecord } from '../state/alarms.js';
import { readNotifyTargets, type NotifyTarget } from '../state/notify-targets.js';
import type { OpsContext } from './context.js';

/** Attempts per transition and target, and the pause before each retry (doubles). */
export const DELIVERY_ATTEMPTS = 3;
const FIRST_RETRY_MS = 1_000;
const ATTEMPT_TIMEOUT_MS = 10_000;

/** The notification as CloudWatch puts it in an SNS message for an alarm (the fields a receiver reads). */
export function alarmNotification(a: AlarmRecord, oldState: string, arn: string): Record<string, unknown> {
  return {
    AlarmName: a.name, AlarmDescription: a.description ?? null, AWSAccountId: '000000000000', Region: 'US East (N. Virginia)',
    NewStateValue: a.state, NewStateReason: a.stateReason, OldStateValue: oldState, StateChangeTime: a.stateUpdated, TopicArn: arn,
    Trigger: { MetricName: a.metricName, Namespace: a.namespace, Statistic: a.statistic ?? a.extendedStatistic, Period: a.period,
      EvaluationPeriods: a.evaluationPeriods, ComparisonOperator: a.comparison, Threshold: a.threshold,
      Dimensions: Object.entries(a.dimensions).map(([name, value]) => ({ name, value })) },
  };
}

async function attempt(target: NotifyTarget, body: string): Promise<void> {
  if (target.webhook) {
    const res = await fetch(target.webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return;
  }
  if (!target.command) throw new Error('no webhook or command');
  await new Promise<void>((resolve, reject) => {
    // The DBA's own command line (rdsctl local notify --command), run by the shell; the message on stdin.
    const child = spawn('/bin/sh', ['-c', target.command!], { stdio: ['pipe', 'ignore', 'ignore'], timeout: ATTEMPT_TIMEOUT_MS });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit code ${code}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(body);
  });
}

/** Records the outcome in the alarm's history (read again: the API may have saved it meanwhile). */
function record(ctx: OpsContext, name: string, summary: string, data: object): void {
  const store = alarmStore(ctx.home);
  const rec = store.get(alarmId(name));
  if (!rec) return;
  addHistory(rec, { at: new Date().toISOString(), type: 'Action', summary, data: JSON.stringify(data) });
  store.save(rec);
}

/**
 * Delivers one action of one transition: once, retried up to DELIVERY_ATTEMPTS times, logged, and the
 * outcome in the alarm's history. An ARN without a configured target is recorded as not delivered.
 */
export async function deliverAction(ctx: OpsContext, a: AlarmRecord, oldState: string, arn: string): Promise<void> {
  const target = readNotifyTargets(ctx.home)[arn];
  if (!target) {
    record(ctx, a.name, `Action not delivered: no local target for ${arn} (rdsctl local notify)`, { actionArn: arn, state: a.state });
    return;
  }
  const body = JSON.stringify(alarmNotification(a, oldState, arn));
  const where = target.webhook ? `webhook ${new URL(target.webhook).origin}` : 'command';
  let lastError = '';
  for (let i = 1; i <= DELIVERY_ATTEMPTS; i++) {
    try {
      await attempt(target, body);
      ctx.log.info(`alarm ${a.name}: ${a.state} delivered to ${arn} (${where}, attempt ${i})`);
      record(ctx, a.name, `Successfully executed action ${arn}`, { actionArn: arn, state: a.state, attempts: i });
      return;
    } catch (err) {
      lastError = (err as Error).message;
      ctx.log.warn(`alarm ${a.name}: delivery to ${arn} (${where}) failed, attempt ${i}/${DELIVERY_ATTEMPTS}: ${lastError}`);
      if (i < DELIVERY_ATTEMPTS) await new Promise((r) => setTimeout(r, FIRST_RETRY_MS * 2 ** (i - 1)));
    }
  }
  record(ctx, a.name, `Failed to execute action ${arn}: ${lastError}`, { actionArn: arn, state: a.state, attempts: DELIVERY_ATTEMPTS });
}
