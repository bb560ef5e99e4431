/**
 * The cut rule of a point-in-time restore, in one place (the restore itself and `restore --preview` use
 * it). MariaDB binlog times have one-second resolution, so a restore time T means its whole second:
 * every transaction whose commit second is ≤ T's second is included, every later one is left out.
 */
export function restoreSecond(restoreTime: Date): number {
  return Math.floor(restoreTime.getTime() / 1000);
}

/** The rule itself, on seconds: the one comparison every cut (restore, preview, archive index) makes. */
export function includedInSecond(commitSecond: number, second: number): boolean {
  return commitSecond <= second;
}

export function includedAt(commitSecond: number, restoreTime: Date): boolean {
  return includedInSecond(commitSecond, restoreSecond(restoreTime));
}

/**
 * `restore --before`: the RestoreTime sent for a matched transaction committed in second `s`.
 * local: `s` itself, with the matched GTID in a tag (the endpoint replays every transaction before that
 * GTID, not it: exact). aws: RDS cuts by time only, so the second before `s` (everything committed in
 * `s` is lost, also what came before the match in that second).
 */
export function beforeRestoreSecond(commitSecond: number, target: 'local' | 'aws'): number {
  return target === 'local' ? commitSecond : commitSecond - 1;
}

/** The tag that carries the exact cut to the local endpoint (contract with RestoreDBInstanceToPointInTime). */
export const RESTORE_BEFORE_GTID_TAG = 'rdsctl:restore-before-gtid';
