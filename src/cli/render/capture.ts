import type { CapturePlan } from '../../core/plans/capture-plan.js';
import { renderTable } from './table.js';

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** What `--capture` changes, for how long, and how each value goes back; asked about before anything changes. */
export function renderCapturePlan(plan: CapturePlan, seconds: number, dryRun: boolean): string {
  const rows = plan.changes.map((c) => {
    const r = plan.restore.find((x) => x.name === c.name)!;
    return [c.name, `${c.from ?? '-'}${r.action === 'reset' ? ' (default)' : ''}`, c.to ?? '', r.action === 'set' ? `set back to ${r.value}` : 'reset to the engine default'];
  });
  const skipped = plan.skipped.length ? `\nNot in this group (left alone): ${plan.skipped.join(', ')}.` : '';
  return [
    `${plan.instanceId}: capture ${clock(seconds)} through parameter group ${plan.group}${dryRun ? ' (dry run, nothing changed)' : ''}`,
    plan.changes.length ? renderTable(['PARAMETER', 'NOW', 'DURING', 'AFTERWARDS'], rows) : 'The group already logs every statement to the slow log file: nothing to change.',
    'All dynamic: applied at once (ApplyMethod=immediate), no reboot.',
    `Every instance using ${plan.group} writes its slow log meanwhile.${skipped}`,
    "Then the slow log's new part is downloaded and analyzed; the values go back.",
  ].join('\n');
}

/**
 * The countdown on stderr: on a terminal one line redrawn in place each second; piped (a log, CI), a plain
 * line at the start and every 10 seconds, so a log is not flooded. Nothing with --json or --quiet.
 */
export class Countdown {
  private drawn = false;

  /** `hold`: stops the progress spinner, which would otherwise redraw its own line over the countdown's. */
  constructor(private readonly id: string, private readonly opts: { tty: boolean; silent: boolean; columns?: number; line(text: string): void; hold?(): void }) {}

  tick(left: number, total: number): void {
    if (this.opts.silent) return;
    this.opts.hold?.();
    const text = left > 0 ? `capturing ${this.id}: ${clock(left)} left of ${clock(total)} (Ctrl-C stops and restores the parameters)` : `capture of ${this.id} done (${clock(total)})`;
    if (this.opts.tty) {
      const width = (this.opts.columns ?? 80) - 1;
      process.stderr.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      this.drawn = left > 0;
      if (left === 0) process.stderr.write('\n');
      return;
    }
    if (left === total || left === 0 || left % 10 === 0) this.opts.line(text);
  }

  /** Before another line (a progress step, Ctrl-C's report): the redrawn line goes first. */
  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[2K');
    this.drawn = false;
  }
}
