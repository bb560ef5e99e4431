import path from 'node:path';
import { readJson, writeJsonAtomic } from './atomic-file.js';

/**
 * Where an alarm action's SNS topic ARN is delivered on the local target (there is no SNS here): an HTTP(S)
 * webhook that gets the notification as a JSON POST, or a command that gets it on stdin. The DBA sets
 * them with `rdsctl local notify`; the control plane reads the file at each delivery. 0600: a webhook URL
 * can carry a token.
 */
export interface NotifyTarget {
  webhook?: string;
  command?: string;
}

export type NotifyTargets = Record<string, NotifyTarget>;

export const notifyTargetsFile = (home: string) => path.join(home, 'notify-targets.json');

export function readNotifyTargets(home: string): NotifyTargets {
  return readJson<NotifyTargets>(notifyTargetsFile(home)) ?? {};
}

export function writeNotifyTargets(home: string, targets: NotifyTargets): void {
  writeJsonAtomic(notifyTargetsFile(home), targets, 0o600);
}
