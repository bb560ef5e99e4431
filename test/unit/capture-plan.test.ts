import { describe, expect, it } from 'vitest';
import { describeRestore, manualRestore, parseCaptureDuration, parseLongQueryTime, planCapture } from '../../src/core/plans/capture-plan.js';

const p = (ParameterName: string, ParameterValue: string | undefined, Source = 'engine-default', extra = {}) =>
  ({ ParameterName, ParameterValue, Source, ApplyType: 'dynamic', IsModifiable: true, ...extra });

describe('parseCaptureDuration', () => {
  it.each([['90s', 90], ['10m', 600], ['1h', 3600], ['1m30s', 90], ['45', 45], [' 5S ', 5]])('%s → %i s', (text, s) => {
    expect(parseCaptureDuration(text)).toBe(s);
  });
  it.each([
    ['0', /records nothing/], ['0s', /records nothing/], ['banana', /"banana" is not a duration/], ['-5m', /not a duration/],
    ['10x', /not a duration/], ['61m', /longer than the 1h maximum/], ['2h', /longer than the 1h maximum/], ['', /not a duration/],
  ])('%j is refused (exit 2): %s', (text, msg) => {
    expect(() => parseCaptureDuration(text)).toThrow(msg);
    try { parseCaptureDuration(text); } catch (e) { expect((e as { exitCode: number }).exitCode).toBe(2); }
  });
  it('--long-query-time: 0 by default, a number of seconds, else refused', () => {
    expect(parseLongQueryTime(undefined)).toBe('0');
    expect(parseLongQueryTime('0.5')).toBe('0.5');
    expect(() => parseLongQueryTime('fast')).toThrow(/--long-query-time "fast"/);
  });
});

describe('planCapture', () => {
  const group = [
    p('slow_query_log', '0'), p('long_query_time', '2', 'user'), p('log_slow_verbosity', undefined), p('log_output', 'FILE'),
    p('datadir', '/x', 'system', { IsModifiable: false }),
  ];

  it('sets what the capture needs, leaves values already right, and plans set-back vs reset by Source', () => {
    const plan = planCapture('shop', 'g', group, '0');
    expect(plan.changes.map((c) => [c.name, c.from, c.to, c.method])).toEqual([
      ['slow_query_log', '0', '1', 'immediate'], ['long_query_time', '2', '0', 'immediate'], ['log_slow_verbosity', undefined, 'query_plan,explain', 'immediate'],
    ]);
    expect(plan.restore).toEqual([
      { name: 'slow_query_log', action: 'reset', shown: '0' }, { name: 'long_query_time', action: 'set', value: '2' }, { name: 'log_slow_verbosity', action: 'reset', shown: undefined },
    ]);
    expect(describeRestore(plan.restore)).toBe('slow_query_log=0 (engine default), long_query_time=2, log_slow_verbosity (engine default)');
    expect(manualRestore(plan)).toBe('rdsctl params g set long_query_time=2; rdsctl params g reset slow_query_log log_slow_verbosity');
  });

  it('a group without log_slow_verbosity (MySQL) skips it and says so; a user value equal to the target is left alone', () => {
    const plan = planCapture('shop', 'g', [p('slow_query_log', '1', 'user'), p('long_query_time', '1', 'user'), p('log_output', 'TABLE')], '1');
    expect(plan.changes.map((c) => c.name)).toEqual(['log_output']);
    expect(plan.skipped).toEqual(['log_slow_verbosity']);
    expect(plan.restore).toEqual([{ name: 'log_output', action: 'reset', shown: 'TABLE' }]);
  });
});
