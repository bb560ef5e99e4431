import { createInterface } from 'node:readline/promises';
import { ExitCode, RdsctlError, usageError } from '../core/errors.js';
import type { CliContext } from './context.js';

/** Destructive actions ask on a TTY; without one they need --yes. */
export async function confirm(ctx: CliContext, question: string): Promise<void> {
  if (ctx.options.yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY || ctx.options.json) {
    throw usageError('CONFIRMATION_REQUIRED', `${question} needs confirmation, and there is no terminal to ask on.`, {
      hint: 'Re-run with --yes to confirm.',
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    // Ctrl-C at the prompt reaches readline (raw mode), not the SIGINT handler: it rejects with AbortError.
    const answer = await rl.question(`${question} [y/N] `).catch((err: { code?: string }) => {
      if (err?.code === 'ABORT_ERR') throw new RdsctlError('INTERRUPTED', ExitCode.interrupted, 'Interrupted (Ctrl-C): nothing was changed.');
      throw err;
    });
    if (!/^y(es)?$/i.test(answer.trim())) throw usageError('ABORTED', 'Aborted: nothing was changed.');
  } finally {
    rl.close();
  }
}

/** Reads all of stdin (for --password-stdin); trims one trailing newline. */
export async function readStdin(): Promise<string> {
  // On a terminal the typed password would be echoed (screen, scrollback) and the read waits for Ctrl-D
  // with no prompt: the flag is for pipes.
  if (process.stdin.isTTY) {
    throw usageError('STDIN_IS_TERMINAL', 'The password must be piped in on stdin, but stdin is a terminal: nothing was changed.', {
      hint: 'e.g. `pass show db/master | rdsctl … --password-stdin`, or let the target keep one: provision --manage-master-password.',
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Poll cadence: the local endpoint answers in ms; AWS changes state in minutes. */
export function waitSettings(ctx: CliContext, wait: boolean, timeoutMinutes = 60) {
  return {
    wait,
    intervalMs: ctx.target === 'local' ? 200 : 15_000,
    timeoutMs: timeoutMinutes * 60_000,
    onProgress: (m: string) => ctx.out.step(m),
  };
}
