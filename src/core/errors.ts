/**
 * Typed errors with stable codes. Only src/cli/main.ts turns them into an exit code.
 * Exit codes (documented in README.md):
 *   0 ok · 1 unexpected · 2 usage / bad input · 3 credentials / auth · 4 not found ·
 *   5 conflict or wrong state · 6 check failed · 7 remote/service error · 130 interrupted (Ctrl-C) ·
 *   143 terminated (SIGTERM) · 129 hung up (SIGHUP): 128 + the signal, as a shell reports it
 */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  conflict: 5,
  checkFailed: 6,
  remote: 7,
  interrupted: 130,
  terminated: 143,
  hungUp: 129,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The signals rdsctl handles and the exit code each ends it with. */
export const SIGNAL_EXIT = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated, SIGHUP: ExitCode.hungUp } as const;
export type HandledSignal = keyof typeof SIGNAL_EXIT;

export interface RdsctlErrorOptions {
  hint?: string;
  cause?: unknown;
  /** AWS error name (e.g. DBInstanceNotFoundFault) or MySQL errno, kept for --json. */
  awsName?: string;
  errno?: number;
}

export class RdsctlError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  readonly awsName?: string;
  readonly errno?: number;

  constructor(code: string, exitCode: ExitCodeValue, message: string, opts: RdsctlErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'RdsctlError';
    this.code = code;
    this.exitCode = exitCode;
    this.hint = opts.hint;
    this.awsName = opts.awsName;
    this.errno = opts.errno;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      exitCode: this.exitCode,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.awsName ? { awsName: this.awsName } : {}),
      ...(this.errno !== undefined ? { errno: this.errno } : {}),
    };
  }
}

export const usageError = (code: string, message: string, opts?: RdsctlErrorOptions) =>
  new RdsctlError(code, ExitCode.usage, message, opts);
export const notFoundError = (code: string, message: string, opts?: RdsctlErrorOptions) =>
  new RdsctlError(code, ExitCode.notFound, message, opts);
export const conflictError = (code: string, message: string, opts?: RdsctlErrorOptions) =>
  new RdsctlError(code, ExitCode.conflict, message, opts);
export const authError = (code: string, message: string, opts?: RdsctlErrorOptions) =>
  new RdsctlError(code, ExitCode.auth, message, opts);
export const remoteError = (code: string, message: string, opts?: RdsctlErrorOptions) =>
  new RdsctlError(code, ExitCode.remote, message, opts);
export const checkFailedError = (code: string, message: string, opts?: RdsctlErrorOptions) =>
  new RdsctlError(code, ExitCode.checkFailed, message, opts);
