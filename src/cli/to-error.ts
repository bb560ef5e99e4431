import { ExitCode, RdsctlError } from '../core/errors.js';

/**
 * What the failed SDK request was about, attached to the error by the client middleware in clients.ts,
 * so a hint can name the real instance (`rdsctl start shop`, never `rdsctl start <id>`).
 */
export interface RequestContext {
  id?: string;
  target?: 'local' | 'aws';
}

const CONTEXT = Symbol.for('rdsctl.requestContext');

export function tagRequest(err: unknown, context: RequestContext): void {
  if (err && typeof err === 'object' && !(CONTEXT in err)) Object.defineProperty(err, CONTEXT, { value: context, enumerable: false });
}

const contextOf = (err: unknown): RequestContext => ((err && typeof err === 'object' && (err as Record<symbol, RequestContext>)[CONTEXT]) || {});

/** Any thrown value → RdsctlError. AWS SDK errors are mapped by name (table below). */
export function toRdsctlError(err: unknown): RdsctlError {
  if (err instanceof RdsctlError) return err;
  const mapped = mapKnown(err);
  if (mapped) return mapped;
  const message = err instanceof Error ? err.message : String(err);
  return new RdsctlError('UNEXPECTED', ExitCode.unexpected, `Unexpected error: ${message}`, {
    hint: 'This is a bug in rdsctl: please report it with the command you ran (add --json for details).',
    cause: err,
  });
}

/** Node socket errors (server unreachable) without loading the SDK. */
function mapKnown(err: unknown): RdsctlError | undefined {
  const e = err as { code?: string; name?: string; $metadata?: unknown; message?: string };
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'EHOSTUNREACH' || e?.code === 'ETIMEDOUT') {
    return new RdsctlError('ENDPOINT_UNREACHABLE', ExitCode.remote, `Cannot reach the endpoint: ${e.message}.`, {
      hint: 'Check --endpoint-url / the network; for the local target run `rdsctl local status`.',
      cause: err,
    });
  }
  // After the socket check: the SDK's retry layer attaches $metadata to network errors too.
  if (e && typeof e === 'object' && '$metadata' in e) return mapAws(e as AwsLikeError, contextOf(err));
  if (e?.name === 'CredentialsProviderError' || e?.name === 'TokenProviderError') {
    return new RdsctlError('MISSING_CREDENTIALS', ExitCode.auth, 'No AWS credentials found for the aws target.', {
      hint: 'Run `aws configure` or `aws sso login`, pass --profile, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
      cause: err,
    });
  }
  return undefined;
}

interface AwsLikeError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

type Hint = string | ((c: RequestContext) => string | undefined);
const describeIt = (c: RequestContext) => (c.id ? `\`rdsctl describe ${c.id}\`` : '`rdsctl list`');

/** Exported for the test that walks every hint (real commands and flags, real ids, no API spelling). */
export const AWS_ERRORS: Record<string, { code: string; exit: (typeof ExitCode)[keyof typeof ExitCode]; hint?: Hint }> = {
  DBInstanceNotFoundFault: { code: 'INSTANCE_NOT_FOUND', exit: ExitCode.notFound, hint: 'Run `rdsctl list` to see the instances on this target.' },
  DBSnapshotNotFoundFault: { code: 'SNAPSHOT_NOT_FOUND', exit: ExitCode.notFound },
  DBParameterGroupNotFoundFault: { code: 'PARAMETER_GROUP_NOT_FOUND', exit: ExitCode.notFound, hint: 'Run `rdsctl params` to see the parameter groups.' },
  DBParameterGroupAlreadyExistsFault: { code: 'PARAMETER_GROUP_EXISTS', exit: ExitCode.conflict, hint: 'Run `rdsctl params` to see the parameter groups.' },
  InvalidDBParameterGroupStateFault: { code: 'PARAMETER_GROUP_IN_USE', exit: ExitCode.conflict },
  OptionGroupNotFoundFault: { code: 'OPTION_GROUP_NOT_FOUND', exit: ExitCode.notFound },
  OptionGroupAlreadyExistsFault: { code: 'OPTION_GROUP_EXISTS', exit: ExitCode.conflict },
  InvalidOptionGroupStateFault: { code: 'OPTION_GROUP_IN_USE', exit: ExitCode.conflict },
  DBLogFileNotFoundFault: { code: 'LOG_FILE_NOT_FOUND', exit: ExitCode.notFound, hint: (c) => `The slow and general logs appear once slow_query_log or general_log is 1 in the instance's parameter group (rdsctl params); the audit log once it is on (${c.id ? `rdsctl audit-log enable ${c.id}` : 'rdsctl audit-log enable'}); the files there are: rdsctl logs ${c.id ?? '…'} --list.` },
  DBInstanceAlreadyExistsFault: { code: 'INSTANCE_EXISTS', exit: ExitCode.conflict, hint: (c) => `Choose another identifier, or look at the existing one: ${describeIt(c)}.` },
  DBSnapshotAlreadyExistsFault: { code: 'SNAPSHOT_EXISTS', exit: ExitCode.conflict },
  InvalidDBSnapshotStateFault: { code: 'INVALID_SNAPSHOT_STATE', exit: ExitCode.conflict, hint: (c) => `Wait until the snapshot is available: \`rdsctl snapshot list${c.id ? ` ${c.id}` : ''}\`.` },
  SnapshotQuotaExceededFault: { code: 'SNAPSHOT_QUOTA_EXCEEDED', exit: ExitCode.conflict, hint: (c) => `Delete snapshots you no longer need: \`rdsctl snapshot list${c.id ? ` ${c.id}` : ''}\`.` },
  InvalidDBInstanceStateFault: { code: 'INVALID_INSTANCE_STATE', exit: ExitCode.conflict, hint: (c) => stateHint('', c.id) },
  InvalidParameterValueException: { code: 'INVALID_PARAMETER', exit: ExitCode.usage },
  InvalidParameterValue: { code: 'INVALID_PARAMETER', exit: ExitCode.usage },
  InvalidParameterCombinationException: { code: 'INVALID_PARAMETER_COMBINATION', exit: ExitCode.usage },
  InvalidParameterCombination: { code: 'INVALID_PARAMETER_COMBINATION', exit: ExitCode.usage },
  MissingParameter: { code: 'MISSING_PARAMETER', exit: ExitCode.usage },
  StorageQuotaExceededFault: { code: 'STORAGE_QUOTA_EXCEEDED', exit: ExitCode.conflict },
  InstanceQuotaExceededFault: { code: 'INSTANCE_QUOTA_EXCEEDED', exit: ExitCode.conflict },
  InsufficientDBInstanceCapacityFault: { code: 'INSUFFICIENT_CAPACITY', exit: ExitCode.remote },
  ThrottlingException: { code: 'THROTTLED', exit: ExitCode.remote, hint: 'AWS is rate-limiting requests; wait a moment and retry.' },
  Throttling: { code: 'THROTTLED', exit: ExitCode.remote, hint: 'AWS is rate-limiting requests; wait a moment and retry.' },
  ExpiredToken: { code: 'EXPIRED_CREDENTIALS', exit: ExitCode.auth, hint: 'Your AWS session expired: refresh it (e.g. `aws sso login`) and retry.' },
  ExpiredTokenException: { code: 'EXPIRED_CREDENTIALS', exit: ExitCode.auth, hint: 'Your AWS session expired: refresh it (e.g. `aws sso login`) and retry.' },
  RequestExpired: { code: 'EXPIRED_CREDENTIALS', exit: ExitCode.auth, hint: 'Check the machine clock and your credentials.' },
  InvalidClientTokenId: { code: 'INVALID_CREDENTIALS', exit: ExitCode.auth, hint: 'Check AWS_ACCESS_KEY_ID / --profile.' },
  SignatureDoesNotMatch: { code: 'INVALID_CREDENTIALS', exit: ExitCode.auth, hint: 'Check the secret key for this profile (for the local target: `rdsctl local env`).' },
  IncompleteSignature: { code: 'INVALID_CREDENTIALS', exit: ExitCode.auth },
  InvalidSignatureException: { code: 'INVALID_CREDENTIALS', exit: ExitCode.auth, hint: 'Check the secret key and the region for this profile (for the local target: `rdsctl local env`).' },
  MissingAuthenticationToken: { code: 'INVALID_CREDENTIALS', exit: ExitCode.auth, hint: 'Requests must be signed with AWS SigV4 credentials.' },
  UnrecognizedClientException: { code: 'INVALID_CREDENTIALS', exit: ExitCode.auth },
  AccessDenied: { code: 'ACCESS_DENIED', exit: ExitCode.auth, hint: 'Your IAM identity lacks permission for this action.' },
  AccessDeniedException: { code: 'ACCESS_DENIED', exit: ExitCode.auth, hint: 'Your IAM identity lacks permission for this action.' },
  InvalidRestoreFault: { code: 'RESTORE_TIME_OUTSIDE_WINDOW', exit: ExitCode.usage, hint: (c) => (c.id ? `See what can be restored with \`rdsctl restore-window ${c.id}\`.` : 'See what can be restored with `rdsctl restore-window` and the source instance.') },
  PointInTimeRestoreNotEnabledFault: { code: 'PITR_NOT_ENABLED', exit: ExitCode.conflict, hint: (c) => (c.id ? `Turn on automated backups with \`rdsctl modify ${c.id} --backup-retention 7\`; restores work from its first backup on.` : 'Turn on automated backups with `rdsctl modify` and --backup-retention.') },
  DBInstanceAutomatedBackupNotFoundFault: { code: 'AUTOMATED_BACKUP_NOT_FOUND', exit: ExitCode.notFound, hint: (c) => `Check the source instance with ${describeIt(c)}.` },
};

/**
 * Target answers whose own words name API parameters (right for an API client, wrong for a CLI user):
 * said again in rdsctl's words, with the rdsctl command that does it.
 */
const REWORDED: Array<{ test: RegExp; code: string; exit: (typeof ExitCode)[keyof typeof ExitCode]; message: (c: RequestContext, m: string) => string; hint: (c: RequestContext) => string }> = [
  {
    // RDS answers a delete of a protected instance with InvalidParameterCombination: it is a wrong state.
    test: /deletion protection/i, code: 'DELETION_PROTECTED', exit: ExitCode.conflict, message: (_c, m) => m,
    hint: (c) => `Turn it off first: rdsctl modify ${c.id ?? '…'} --no-deletion-protection --apply-immediately`,
  },
  {
    test: /password is managed|ManageMasterUserPassword.*MasterUserPassword|MasterUserPassword.*ManageMasterUserPassword/i,
    code: 'PASSWORD_MANAGED', exit: ExitCode.conflict,
    message: (c) => `The master password of ${c.id ?? 'this instance'} is managed by the target (Secrets Manager on aws): a password of yours needs that turned off. Nothing was changed.`,
    hint: (c) => `pass show db/master | rdsctl modify ${c.id ?? '…'} --no-manage-master-password --new-password-stdin`,
  },
];

function mapAws(err: AwsLikeError, c: RequestContext): RdsctlError {
  const name = err.name ?? 'UnknownError';
  const message = (err.message ?? name).replace(/\s+/g, ' ').trim();
  const reworded = REWORDED.find((r) => r.test.test(message));
  if (reworded) {
    return new RdsctlError(reworded.code, reworded.exit, reworded.message(c, message), { hint: reworded.hint(c), awsName: name, cause: err });
  }
  if (name === 'InvalidDBInstanceStateFault') {
    return new RdsctlError('INVALID_INSTANCE_STATE', ExitCode.conflict, message, { hint: stateHint(message, c.id), awsName: name, cause: err });
  }
  const known = AWS_ERRORS[name];
  if (known) {
    const hint = typeof known.hint === 'function' ? known.hint(c) : known.hint;
    return new RdsctlError(known.code, known.exit, message, { hint, awsName: name, cause: err });
  }
  const status = err.$metadata?.httpStatusCode ?? 0;
  const exit = status === 403 ? ExitCode.auth : status === 404 ? ExitCode.notFound : status >= 400 && status < 500 ? ExitCode.usage : ExitCode.remote;
  return new RdsctlError('AWS_ERROR', exit, `${name}: ${message}`, { awsName: name, cause: err });
}

/**
 * "Wait until it is in the right state" is wrong advice for a stopped or an available instance: waiting
 * changes nothing. The local endpoint names the current status ("… (it is stopped)", "… it is available").
 */
export function stateHint(message: string, id = /\b(?:DBInstance|Instance) ([a-z][a-z0-9-]*) is\b/.exec(message)?.[1]): string {
  const status = /\bit is ([a-z-]+)\)?\.?$/.exec(message)?.[1];
  if (status === 'stopped') {
    return id ? `It is stopped, and waiting will not change that: \`rdsctl start ${id}\` starts it.` : 'It is stopped, and waiting will not change that: start it (`rdsctl list` names it).';
  }
  if (status === 'available') return 'It is available (running), and waiting will not change that.';
  return `Wait until the instance is in the right state (${describeIt({ id })}), then retry.`;
}
