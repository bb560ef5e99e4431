import { RdsctlError, SIGNAL_EXIT, type HandledSignal } from '../../core/errors.js';

const UNDER_WAY: Record<string, string> = { creating: 'being created', deleting: 'being deleted', modifying: 'being modified' };

/** "shop is still being created", "shop is still rebooting"; a settled status may still hide a change in flight. */
function underWay(id: string, status: string): string {
  if (status === 'available' || status === 'stopped') return `${id} was last seen ${status} (a change already requested may still be under way)`;
  return `${id} is still ${UNDER_WAY[status] ?? status}`;
}

/**
 * Ctrl-C stops rdsctl, not the target: what was already requested carries on there. `statuses` are the
 * last status seen per instance while waiting ([] when rdsctl was not waiting on one). `done`: what the
 * cleanup before exiting did (analyze-queries --capture: "restored …"), said instead.
 */
export function interruptedError(statuses: Array<[id: string, status: string]>, signal: HandledSignal = 'SIGINT', done: string[] = []): RdsctlError {
  const by = signal === 'SIGINT' ? 'Ctrl-C' : signal;
  if (done.length && !statuses.length) return new RdsctlError('INTERRUPTED', SIGNAL_EXIT[signal], `Interrupted (${by}): ${done.join('; ')}.`);
  if (!statuses.length) {
    return new RdsctlError('INTERRUPTED', SIGNAL_EXIT[signal], `Interrupted (${by}): rdsctl stopped.`, {
      hint: 'A request already sent carries on: see `rdsctl list`.',
    });
  }
  const ids = statuses.map(([id]) => id);
  return new RdsctlError('INTERRUPTED', SIGNAL_EXIT[signal],
    `Interrupted (${by}): rdsctl stopped waiting; ${statuses.map(([id, s]) => underWay(id, s)).join(', ')} on the target.`, {
      hint: `It carries on without rdsctl: follow it with ${ids.map((id) => `\`rdsctl describe ${id}\``).join(', ')}.`,
    });
}
