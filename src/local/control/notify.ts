import { usageError } from '../../core/errors.js';
import { readNotifyTargets, writeNotifyTargets, type NotifyTarget, type NotifyTargets } from '../state/notify-targets.js';

const TOPIC_ARN = /^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * `rdsctl local notify`: where the local endpoint delivers alarm actions for an SNS topic ARN (a webhook
 * or a command), read by the control plane at each delivery — no restart needed.
 */
export function setNotifyTarget(home: string, topicArn: string, target: NotifyTarget | undefined): NotifyTargets {
  if (!TOPIC_ARN.test(topicArn)) {
    throw usageError('INVALID_TOPIC_ARN', `"${topicArn}" is not an SNS topic ARN.`, { hint: 'e.g. rdsctl local notify arn:aws:sns:us-east-1:000000000000:dba --webhook http://127.0.0.1:9000/alarms' });
  }
  if (target?.webhook) {
    let url: URL | undefined;
    try {
      url = new URL(target.webhook);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw usageError('INVALID_WEBHOOK', `--webhook "${target.webhook}" is not an http:// or https:// URL.`, { hint: 'e.g. --webhook http://127.0.0.1:9000/alarms' });
    }
  }
  const targets = readNotifyTargets(home);
  if (target) targets[topicArn] = target;
  else delete targets[topicArn];
  writeNotifyTargets(home, targets);
  return targets;
}

export { readNotifyTargets };
