import { describe, expect, it } from 'vitest';
import { evaluateAlarm, lastPeriods, type AlarmRule } from '../../src/core/alarm-eval.js';

const rule = (over: Partial<AlarmRule> = {}): AlarmRule => ({ threshold: 90, comparison: 'GreaterThanThreshold', evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'missing', ...over });
const at = (...vs: (number | undefined)[]) => vs.map((value, i) => ({ start: Date.UTC(2026, 11, 1, 9, i), value }));

describe('alarm evaluation (M of N, TreatMissingData)', () => {
  it('2 of 3 breaching → ALARM with CloudWatch’s reason shape; 1 of 3 → OK', () => {
    const v = evaluateAlarm(rule(), at(95, 50, 99), 'OK');
    expect(v.state).toBe('ALARM');
    expect(v.reason).toBe('Threshold Crossed: 2 out of the last 3 datapoints [99.0 (01/12/26 09:02:00), 95.0 (01/12/26 09:00:00)] were greater than the threshold (90.0) (minimum 2 datapoints for OK -> ALARM transition).');
    expect(evaluateAlarm(rule(), at(95, 50, 60), 'ALARM').state).toBe('OK');
  });

  it('missing data: all missing → INSUFFICIENT_DATA (missing), kept (ignore), ALARM (breaching), OK (notBreaching)', () => {
    const none = at(undefined, undefined, undefined);
    expect(evaluateAlarm(rule(), none, 'OK').state).toBe('INSUFFICIENT_DATA');
    expect(evaluateAlarm(rule({ treatMissingData: 'ignore' }), none, 'ALARM').state).toBe('ALARM');
    expect(evaluateAlarm(rule({ treatMissingData: 'breaching' }), none, 'OK').state).toBe('ALARM');
    expect(evaluateAlarm(rule({ treatMissingData: 'notBreaching' }), none, 'ALARM').state).toBe('OK');
    // one breaching datapoint and two missing: breaching counts the gaps, missing does not
    expect(evaluateAlarm(rule({ treatMissingData: 'breaching' }), at(95, undefined, undefined), 'OK').state).toBe('ALARM');
    expect(evaluateAlarm(rule(), at(95, undefined, undefined), 'OK').state).toBe('OK');
  });

  it('evaluates the last N complete periods, aligned', () => {
    expect(lastPeriods(125_000, 60, 2)).toEqual([0, 60_000]);
  });
});
