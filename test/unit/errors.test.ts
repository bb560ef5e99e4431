import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authError, checkFailedError, conflictError, ExitCode, notFoundError, RdsctlError, remoteError, usageError } from '../../src/core/errors.js';

describe('ExitCode table (documented in README and STYLE)', () => {
  it('has exactly the documented codes', () => {
    expect(ExitCode).toEqual({ ok: 0, unexpected: 1, usage: 2, auth: 3, notFound: 4, conflict: 5, checkFailed: 6, remote: 7, interrupted: 130, terminated: 143, hungUp: 129 });
  });

  it('every code is in the README table, and the table has no other (141: closed output, set in main.ts)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = [...readme.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect([...new Set(table)].sort((a, b) => a - b)).toEqual([...new Set([...Object.values(ExitCode), 141])].sort((a, b) => a - b));
  });
});

describe('error constructors', () => {
  it.each([
    [usageError, 2],
    [authError, 3],
    [notFoundError, 4],
    [conflictError, 5],
    [checkFailedError, 6],
    [remoteError, 7],
  ] as const)('%o → exit %d', (make, exit) => {
    const e = make('SOME_CODE', 'What happened.', { hint: 'What to do.' });
    expect(e).toBeInstanceOf(RdsctlError);
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.exitCode, e.message, e.hint, e.name]).toEqual(['SOME_CODE', exit, 'What happened.', 'What to do.', 'RdsctlError']);
  });
});

describe('RdsctlError.toJSON (the --json error envelope)', () => {
  it('carries code, exitCode and message, and only the optional fields that are set', () => {
    expect(new RdsctlError('X', ExitCode.usage, 'm').toJSON()).toEqual({ code: 'X', exitCode: 2, message: 'm' });
    expect(new RdsctlError('X', ExitCode.notFound, 'm', { hint: 'h', awsName: 'DBInstanceNotFoundFault', errno: 1045 }).toJSON()).toEqual({
      code: 'X',
      exitCode: 4,
      message: 'm',
      hint: 'h',
      awsName: 'DBInstanceNotFoundFault',
      errno: 1045,
    });
  });

  it('keeps errno 0 (a real value) but never leaks the cause', () => {
    const json = new RdsctlError('X', ExitCode.remote, 'm', { errno: 0, cause: new Error('secret detail') }).toJSON();
    expect(json.errno).toBe(0);
    expect(JSON.stringify(json)).not.toContain('secret detail');
  });

  it('keeps the cause on the error itself for debugging', () => {
    const cause = new Error('root');
    expect(new RdsctlError('X', ExitCode.remote, 'm', { cause }).cause).toBe(cause);
  });
});
