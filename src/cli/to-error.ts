import { ExitCode, RdsctlError } from '../core/errors.js';

/** Any thrown value → RdsctlError. AWS SDK errors are mapped by name (see src/aws/errors.ts). */
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
  if (e && typeof e === 'object' && '$metadata' in e) return mapAws(e as AwsLikeError);
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

const AWS_ERRORS: Record<string, { code: string; exit: (typeof ExitCode)[keyof typeof ExitCode]; hint?: string }> = {
  DBInstanceNotFoundFault: { code: 'INSTANCE_NOT_FOUND', exit: ExitCode.notFound, hint: 'Run `rdsctl list` to see the instances on this target.' },
  DBSnapshotNotFoundFault: { code: 'SNAPSHOT_NOT_FOUND', exit: ExitCode.notFound },
  DBInstanceAlreadyExistsFault: { code: 'INSTANCE_EXISTS', exit: ExitCode.conflict, hint: 'Choose another identifier, or `rdsctl describe` the existing one.' },
  DBSnapshotAlreadyExistsFault: { code: 'SNAPSHOT_EXISTS', exit: ExitCode.conflict },
  InvalidDBInstanceStateFault: { code: 'INVALID_INSTANCE_STATE', exit: ExitCode.conflict, hint: 'Wait until the instance is in the right state (`rdsctl describe`), then retry.' },
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
  MissingAuthenticationToken: { code: 'INVALID_CREDENTIALS', exit: ExitCode.auth, hint: 'Requests must be signed with AWS SigV4 credentials.' },
  UnrecognizedClientException: { code: 'INVALID_CREDENTIALS', exit: ExitCode.auth },
  AccessDenied: { code: 'ACCESS_DENIED', exit: ExitCode.auth, hint: 'Your IAM identity lacks permission for this action.' },
  AccessDeniedException: { code: 'ACCESS_DENIED', exit: ExitCode.auth, hint: 'Your IAM identity lacks permission for this action.' },
};

function mapAws(err: AwsLikeError): RdsctlError {
  const name = err.name ?? 'UnknownError';
  const message = (err.message ?? name).replace(/\s+/g, ' ').trim();
  // RDS answers a delete of a protected instance with InvalidParameterCombination: it is a wrong state.
  if (/deletion protection/i.test(message)) {
    return new RdsctlError('DELETION_PROTECTED', ExitCode.conflict, message, {
      hint: 'Turn it off first: rdsctl modify <id> --no-deletion-protection --apply-immediately', awsName: name, cause: err,
    });
  }
  if (name === 'InvalidDBInstanceStateFault') {
    return new RdsctlError('INVALID_INSTANCE_STATE', ExitCode.conflict, message, { hint: stateHint(message), awsName: name, cause: err });
  }
  const known = AWS_ERRORS[name];
  if (known) return new RdsctlError(known.code, known.exit, message, { hint: known.hint, awsName: name, cause: err });
  const status = err.$metadata?.httpStatusCode ?? 0;
  const exit = status === 403 ? ExitCode.auth : status === 404 ? ExitCode.notFound : status >= 400 && status < 500 ? ExitCode.usage : ExitCode.remote;
  return new RdsctlError('AWS_ERROR', exit, `${name}: ${message}`, { awsName: name, cause: err });
}

/**
 * "Wait until it is in the right state" is wrong advice for a stopped or an available instance: waiting
 * changes nothing. The local endpoint names the current status ("… (it is stopped)", "… it is available").
 */
export function stateHint(message: string): string {
  const status = /\bit is ([a-z-]+)\)?\.?$/.exec(message)?.[1];
  if (status === 'stopped') return 'It is stopped, and waiting will not change that: `rdsctl start <id>` starts it.';
  if (status === 'available') return 'It is available (running), and waiting will not change that.';
  return 'Wait until the instance is in the right state (`rdsctl describe`), then retry.';
}
