/**
 * What a command holds when a signal arrives, so the CLI's one signal handler (src/cli/main.ts, the only
 * place that exits) can act on it. A service arms a guard while it owns something the user must not be
 * left with: a temporary DB instance (analyze-queries' validation copy: running, and billed on a real
 * endpoint), a child that owns the terminal (connect --shell's mariadb client and its 0600 option file).
 *
 * At a signal the handler runs every armed guard's cleanup, then reports the interruption and exits
 * (130 / 143 / 129). A second signal during the cleanup exits at once, printing each guard's manual hint.
 * A guard that `ownsCtrlC` makes SIGINT a no-op for rdsctl: the terminal sent it to the child too.
 *
 * Ctrl-C at a terminal also reaches the tools the cleanup's owner runs (mariadb-dump | mariadb): their
 * failure surfaces as an error while the cleanup runs; the CLI holds it back (cleanupInProgress), the
 * interruption is what gets reported.
 */

import type { HandledSignal as HeldSignal } from '../core/errors.js';

export type { HeldSignal };

export interface GuardSpec {
  /**
   * Undoes what the service holds; gets the signal (a child may be sent the same one). It may return what it
   * did ("restored …"): the interruption's one message then says it.
   */
  cleanup(signal: HeldSignal | 'EPIPE'): Promise<void | string>;
  /** The command that finishes the job by hand, printed when a second signal cuts the cleanup short. */
  manualHint?: string;
  /** Where the guard says that it is cleaning up (the command's progress). */
  say?(message: string): void;
  /** Ctrl-C belongs to a child on the terminal (it cancels its statement): rdsctl itself ignores SIGINT. */
  ownsCtrlC?: boolean;
}

export interface InterruptGuard {
  /** The service finished normally: nothing left to clean up. */
  release(): void;
}

const armed = new Set<GuardSpec>();
let inProgress = false;

export function armGuard(spec: GuardSpec): InterruptGuard {
  armed.add(spec);
  return { release: () => void armed.delete(spec) };
}

/** analyze-queries' form: a cleanup, the hint that does it by hand, and where to say so. */
export function guardInterrupts(cleanup: () => Promise<void>, manualHint: string, say: (m: string) => void): InterruptGuard {
  return armGuard({ cleanup, manualHint, say });
}

/** A guard's cleanup is running: the command is ending (signal, closed output), its own errors are moot. */
export function cleanupInProgress(): boolean {
  return inProgress;
}

/** SIGINT goes to a child that owns the terminal, not to rdsctl. */
export function ctrlCBelongsToChild(): boolean {
  return [...armed].some((g) => g.ownsCtrlC);
}

/** The manual hints of what is still armed (a second signal cut the cleanup short). */
export function manualHints(): string[] {
  return [...armed].flatMap((g) => (g.manualHint ? [g.manualHint] : []));
}

/**
 * Runs every armed guard's cleanup once (signal or closed output); the caller then exits. Guards stay
 * armed while they clean, so a second signal still finds their manual hints.
 */
export async function cleanupBeforeExit(reason: HeldSignal | 'EPIPE'): Promise<string[]> {
  inProgress = true;
  const guards = [...armed];
  // A closed output has no reader to tell; a signal's user waits to see why rdsctl has not exited yet.
  if (reason !== 'EPIPE') for (const g of guards) g.say?.(`interrupted: cleaning up before exiting${g.manualHint ? ` (Ctrl-C again to skip: ${g.manualHint})` : ''}`);
  const done = await Promise.allSettled(guards.map((g) => g.cleanup(reason)));
  for (const g of guards) armed.delete(g);
  return done.flatMap((d) => (d.status === 'fulfilled' && typeof d.value === 'string' ? [d.value] : []));
}
