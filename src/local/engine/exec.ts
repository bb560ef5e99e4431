import { spawn } from 'node:child_process';
import { RdsctlError, ExitCode } from '../../core/errors.js';

export interface RunOptions {
  /** Written to the child's stdin (how secrets reach a child: never argv, never env). */
  input?: string | Buffer;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs a program (no shell), resolves with stdout; on failure throws ENGINE_COMMAND_FAILED with stderr's tail. */
export function run(file: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(commandError(file, String(e))));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      const text = Buffer.concat([...err, ...out]).toString('utf8');
      reject(commandError(file, `${why}: ${tail(text, 15)}`));
    });
    child.stdin.on('error', () => undefined); // the child may exit before reading stdin
    child.stdin.end(opts.input ?? '');
  });
}

function commandError(file: string, detail: string): RdsctlError {
  return new RdsctlError('ENGINE_COMMAND_FAILED', ExitCode.unexpected, `${file} failed (${detail.trim()})`, {
    hint: 'Check that MariaDB and openssl are installed (rdsctl doctor) and the home folder is writable.',
  });
}

/** Last n non-empty lines of a text. */
export function tail(text: string, n: number): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n');
}
