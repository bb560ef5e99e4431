import { describe, expect, it } from 'vitest';
import { planCapture } from '../../src/core/plans/capture-plan.js';
import { Countdown, renderCapturePlan } from '../../src/cli/render/capture.js';
import { interruptedError } from '../../src/cli/render/interrupted.js';

describe('capture rendering', () => {
  it('piped, the countdown prints the start, every 10 s and the end (not one line a second)', () => {
    const lines: string[] = [];
    const c = new Countdown('shop', { tty: false, silent: false, line: (m) => lines.push(m) });
    for (let left = 25; left >= 0; left--) c.tick(left, 25);
    expect(lines).toEqual([
      'capturing shop: 0:25 left of 0:25 (Ctrl-C stops and restores the parameters)',
      'capturing shop: 0:20 left of 0:25 (Ctrl-C stops and restores the parameters)',
      'capturing shop: 0:10 left of 0:25 (Ctrl-C stops and restores the parameters)',
      'capture of shop done (0:25)',
    ]);
    const quiet: string[] = [];
    new Countdown('shop', { tty: false, silent: true, line: (m) => quiet.push(m) }).tick(10, 10);
    expect(quiet).toEqual([]);
  });

  it('the plan fits 80 columns and says what each value does afterwards', () => {
    const plan = planCapture('shop', 'peak-load', [
      { ParameterName: 'slow_query_log', ParameterValue: '0', Source: 'engine-default', ApplyType: 'dynamic' },
      { ParameterName: 'long_query_time', ParameterValue: '2', Source: 'user', ApplyType: 'dynamic' },
    ], '0');
    const text = renderCapturePlan(plan, 600, false);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toMatch(/long_query_time\s+2\s+0\s+set back to 2/);
    expect(text).toContain('Not in this group (left alone): log_slow_verbosity, log_output.');
  });

  it('an interruption whose cleanup restored something says that, in one message without the generic hint', () => {
    const e = interruptedError([], 'SIGINT', ['restored peak-load (long_query_time=2)']);
    expect(e.message).toBe('Interrupted (Ctrl-C): restored peak-load (long_query_time=2).');
    expect(e.hint).toBeUndefined();
    expect(e.exitCode).toBe(130);
  });
});
