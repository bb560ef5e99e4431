import {
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSnapshotNotFoundFault,
  InvalidDBInstanceStateFault,
  RDSServiceException,
  StorageQuotaExceededFault,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { ExitCode, RdsctlError, usageError } from '../../src/core/errors.js';
import { toRdsctlError } from '../../src/cli/to-error.js';

// Errors are built with the SDK's own classes, so a renamed SDK error would fail here.
const $metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'r-1', attempts: 1, totalRetryDelay: 0 });
const service = (name: string, status: number, message = `${name} happened`) =>
  new RDSServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: $metadata(status), message });

describe('toRdsctlError: modelled RDS faults', () => {
  it.each([
    [new DBInstanceNotFoundFault({ message: 'DBInstance nope not found.', $metadata: $metadata(404) }), 'INSTANCE_NOT_FOUND', 4],
    [new DBSnapshotNotFoundFault({ message: 'DBSnapshot s not found.', $metadata: $metadata(404) }), 'SNAPSHOT_NOT_FOUND', 4],
    [new DBInstanceAlreadyExistsFault({ message: 'DB instance already exists', $metadata: $metadata(400) }), 'INSTANCE_EXISTS', 5],
    [new InvalidDBInstanceStateFault({ message: 'Instance is not available.', $metadata: $metadata(400) }), 'INVALID_INSTANCE_STATE', 5],
    [new StorageQuotaExceededFault({ message: 'quota', $metadata: $metadata(400) }), 'STORAGE_QUOTA_EXCEEDED', 5],
  ])('%s → %s, exit %d, AWS name kept', (err, code, exit) => {
    const e = toRdsctlError(err);
    expect([e.code, e.exitCode, e.awsName, e.message]).toEqual([code, exit, err.name, err.message]);
    expect(e.cause).toBe(err);
  });
});

describe('toRdsctlError: common AWS errors by name', () => {
  it.each([
    ['ThrottlingException', 400, 'THROTTLED', 7],
    ['Throttling', 400, 'THROTTLED', 7],
    ['ExpiredToken', 403, 'EXPIRED_CREDENTIALS', 3],
    ['ExpiredTokenException', 403, 'EXPIRED_CREDENTIALS', 3],
    ['RequestExpired', 400, 'EXPIRED_CREDENTIALS', 3],
    ['InvalidClientTokenId', 403, 'INVALID_CREDENTIALS', 3],
    ['SignatureDoesNotMatch', 403, 'INVALID_CREDENTIALS', 3],
    ['AccessDenied', 403, 'ACCESS_DENIED', 3],
    ['AccessDeniedException', 403, 'ACCESS_DENIED', 3],
    ['InvalidParameterValue', 400, 'INVALID_PARAMETER', 2],
    ['InvalidParameterCombination', 400, 'INVALID_PARAMETER_COMBINATION', 2],
    ['InsufficientDBInstanceCapacityFault', 400, 'INSUFFICIENT_CAPACITY', 7],
  ])('%s (HTTP %d) → %s, exit %d', (name, status, code, exit) => {
    const e = toRdsctlError(service(name, status));
    expect([e.code, e.exitCode, e.awsName]).toEqual([code, exit, name]);
    expect(e.hint === undefined || e.hint.length > 0).toBe(true);
  });

  it('throttling and expired credentials say what to do next', () => {
    expect(toRdsctlError(service('ThrottlingException', 400)).hint).toMatch(/retry/i);
    expect(toRdsctlError(service('ExpiredTokenException', 403)).hint).toMatch(/refresh|sso login/i);
  });

  it('a delete refused for deletion protection is a wrong state (exit 5), not a usage error', () => {
    const e = toRdsctlError(service('InvalidParameterCombination', 400, 'Cannot delete protected DB Instance, please disable deletion protection and try again.'));
    expect([e.code, e.exitCode]).toEqual(['DELETION_PROTECTED', 5]);
    expect(e.hint).toMatch(/--no-deletion-protection/);
  });
});

describe('toRdsctlError: unknown AWS errors fall back on the HTTP status', () => {
  it.each([
    [403, 3],
    [404, 4],
    [400, 2],
    [409, 2],
    [500, 7],
    [503, 7],
  ])('HTTP %d → exit %d, code AWS_ERROR, name in the message', (status, exit) => {
    const e = toRdsctlError(service('SomethingNewFault', status, 'details'));
    expect([e.code, e.exitCode, e.message]).toEqual(['AWS_ERROR', exit, 'SomethingNewFault: details']);
  });

  it('multi-line AWS messages become one line', () => {
    expect(toRdsctlError(service('InvalidParameterValue', 400, 'first line\n   second\tline  ')).message).toBe('first line second line');
  });
});

describe('toRdsctlError: non-AWS errors', () => {
  it('an RdsctlError passes through unchanged', () => {
    const original = usageError('X', 'm');
    expect(toRdsctlError(original)).toBe(original);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT'])('%s → ENDPOINT_UNREACHABLE, exit 7', (code) => {
    const plain = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
    // The SDK's retry layer attaches $metadata to socket errors: both shapes must map the same way.
    const fromSdk = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, $metadata: { attempts: 3 } });
    for (const err of [plain, fromSdk]) {
      const e = toRdsctlError(err);
      expect([e.code, e.exitCode]).toEqual(['ENDPOINT_UNREACHABLE', ExitCode.remote]);
      expect(e.hint).toMatch(/--endpoint-url/);
    }
  });

  it('the SDK credential chain failing → MISSING_CREDENTIALS, exit 3 (end to end in test/aws/errors.test.ts)', () => {
    const chainError = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const e = toRdsctlError(chainError);
    expect([e.code, e.exitCode]).toEqual(['MISSING_CREDENTIALS', 3]);
    expect(e.message).toMatch(/credentials/);
  });

  it.each([[new TypeError('x is undefined')], ['a thrown string'], [undefined]])('%o → UNEXPECTED, exit 1, asks for a bug report', (thrown) => {
    const e = toRdsctlError(thrown);
    expect(e).toBeInstanceOf(RdsctlError);
    expect([e.code, e.exitCode]).toEqual(['UNEXPECTED', 1]);
    expect(e.hint).toMatch(/report/);
  });
});
