import { openSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { WriteStream } from 'node:tty';
import { ExitCode, RdsctlError, usageError } from '../core/errors.js';
import type { StatusSeen } from '../services/progress.js';
import type { CliContext } from './context.js';
import { wrapText } from './render/table.js';

/**
 * Where a confirmation is asked: the answer is read from stdin when it is a terminal (a pipe on stdin means a
 * script: it needs --yes), the question goes to stderr, or to /dev/tty when stderr is piped too
 * (`… 2>&1 | tee log`): stdout being piped (`| tee log`) is no reason to refuse. Never under --json.
 */
export function promptTerminal(ctx: CliContext): { output: NodeJS.WritableStream; close(): void } | undefined {
  if (ctx.options.json || !process.stdin.isTTY) return undefined;
  if (process.stderr.isTTY) return { output: process.stderr, close: () => undefined };
  try {
    // A tty stream writes synchronously: the prompt's echo is out before the error line that may follow.
    const tty = new WriteStream(openSync('/dev/tty', 'w'));
    return { output: tty, close: () => tty.destroy() };
  } catch {
    return undefined; // no controlling terminal
  }
}

/** Up front (before work that takes minutes): the confirmation that confirm() will ask can be asked. */
export function requireConfirmable(ctx: CliContext, what: string, hint: string): void {
  if (ctx.options.yes) return;
  const term = promptTerminal(ctx);
  term?.close();
  if (!term) throw usageError('CONFIRMATION_REQUIRED', `${what} needs confirmation, and there is no terminal to ask on.`, { hint });
}

const READER_SETTLE_MS = 300;

/**
 * Destructive actions ask on a terminal; without one they need --yes. `before` runs just before the question
 * (e.g. the report the question is about), after the spinner is gone: nothing ticks over the prompt.
 */
export async function confirm(ctx: CliContext, question: string, before?: () => void): Promise<void> {
  if (ctx.options.yes) return;
  requireConfirmable(ctx, question, 'Re-run with --yes to confirm.');
  const term = promptTerminal(ctx)!;
  ctx.out.pause();
  before?.();
  // stdout piped into a reader that prints to this terminal (`| tee log`): our question goes straight to the
  // terminal and would overtake the report's last lines still on their way through the reader. Give it a moment.
  if (before && !process.stdout.isTTY) await new Promise((r) => setTimeout(r, READER_SETTLE_MS));
  const rl = createInterface({ input: process.stdin, output: term.output, terminal: true });
  try {
    // Ctrl-C at the prompt reaches readline (raw mode), not the SIGINT handler: it rejects with AbortError.
    // Wrapped between words: the terminal's edge would cut them (`It sto|ps`).
    const columns = (term.output as { columns?: number }).columns;
    const asked = columns ? wrapText(`${question} [y/N]`, columns - 1, 0) : `${question} [y/N]`;
    const answer = await rl.question(`${asked} `).catch((err: { code?: string }) => {
      if (err?.code !== 'ABORT_ERR') throw err;
      term.output.write('^C\n'); // end the prompt's line: the error goes below it, not over it
      throw new RdsctlError('INTERRUPTED', ExitCode.interrupted, 'Interrupted (Ctrl-C): nothing was changed.');
    });
    if (!/^y(es)?$/i.test(answer.trim())) throw usageError('ABORTED', 'Aborted: nothing was changed.');
  } finally {
    rl.close();
    term.close();
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
    onProgress: (m: string, seen?: StatusSeen) => {
      if (seen) ctx.out.noteStatus(seen.id, seen.status);
      ctx.out.step(m);
    },
  };
}
