import type { Output } from './output.js';

/**
 * prepare's progress: a cli-progress bar on an interactive stderr; otherwise one line per quarter,
 * so a log shows it moving; nothing with --json or --quiet.
 */
export async function prepareProgress(out: Output): Promise<{ update(done: number, total: number): void; stop(): void }> {
  if (out.opts.json || out.opts.quiet) return { update: () => undefined, stop: () => undefined };
  if (!out.opts.tty) {
    let shown = -1;
    return {
      update(done, total) {
        const q = Math.floor((done / Math.max(1, total)) * 4);
        if (q !== shown) { shown = q; out.step(`loaded ${done} of ${total} rows`); }
      },
      stop: () => undefined,
    };
  }
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar({ stream: process.stderr, format: 'loading  {bar} {percentage}% | {value}/{total} rows | {duration}s', hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) { bar.start(total, done); started = true; } else bar.update(done);
    },
    stop: () => { if (started) bar.stop(); },
  };
}
