/**
 * Ctrl-C (SIGINT) or SIGTERM while analyze-queries holds a temporary instance: the CLI's own handler
 * exits at once, which would leave the instance running (and billed, on a real endpoint). While a guard
 * is armed, the signal first runs the cleanup, then hands over to the CLI's handlers (set aside meanwhile,
 * put back when the guard is released), or exits 130 / 143 when there are none. A second signal during the
 * cleanup exits immediately with the command that finishes the job by hand.
 *
 * Ctrl-C at a terminal also reaches the tools the cleanup's owner runs (mariadb-dump | mariadb): their failure
 * surfaces as an error while the cleanup runs; the CLI holds it back (cleanupInProgress), the interruption
 * is what gets reported.
 */

type Signal = 'SIGINT' | 'SIGTERM';
const SIGNALS: Signal[] = ['SIGINT', 'SIGTERM'];
const EXIT: Record<Signal, number> = { SIGINT: 130, SIGTERM: 143 };

export interface InterruptGuard {
  /** Puts the previous handlers back (the cleanup ran normally). */
  release(): void;
}

const armed = new Set<() => Promise<void>>();
let inProgress = false;

/** A guard's cleanup is running: the command is ending (signal, closed output), its own errors are moot. */
export function cleanupInProgress(): boolean {
  return inProgress;
}

/** For other ends than a signal (stdout/stderr closed): run what the armed guards would, then the caller exits. */
export async function cleanupBeforeExit(): Promise<void> {
  inProgress = true;
  await Promise.allSettled([...armed].map((c) => c()));
}

export function guardInterrupts(cleanup: () => Promise<void>, manualHint: string, say: (m: string) => void): InterruptGuard {
  const saved = new Map(SIGNALS.map((s) => [s, process.rawListeners(s)] as const));
  let cleaning = false;
  const onSignal = (signal: Signal) => {
    if (cleaning) {
      process.stderr.write(`\ninterrupted again: ${manualHint}\n`);
      process.exit(EXIT[signal]);
    }
    cleaning = true;
    inProgress = true;
    say(`interrupted: cleaning up before exiting (Ctrl-C again to skip: ${manualHint})`);
    // Then what the CLI would have done (its message, its --json document, its exit code).
    void cleanup().finally(() => {
      for (const l of saved.get(signal) ?? []) (l as (s: Signal) => void)(signal);
      process.stderr.write('\ninterrupted\n');
      process.exit(EXIT[signal]);
    });
  };
  armed.add(cleanup);
  // Add before removing (and put back before taking away): a signal's listener count never drops to 0,
  // which would close Node's signal watcher and lose a signal already caught but not yet dispatched.
  for (const s of SIGNALS) {
    process.on(s, onSignal);
    for (const l of saved.get(s) ?? []) process.removeListener(s, l as (...a: unknown[]) => void);
  }
  return {
    release() {
      armed.delete(cleanup);
      // Mid-cleanup the guard stays: it exits when the cleanup is done, and a second Ctrl-C gets its hint.
      if (cleaning) return;
      for (const s of SIGNALS) {
        for (const l of saved.get(s) ?? []) process.on(s, l as (...a: unknown[]) => void);
        process.removeListener(s, onSignal);
      }
    },
  };
}
