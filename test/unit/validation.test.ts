import { describe, expect, it } from 'vitest';
import { RdsctlError } from '../../src/core/errors.js';
import { parseIntOption, requireEndpointUrl, requireMaxStorage, requireRegion, requireRetention, requireStorage, STORAGE_MAX_GIB, STORAGE_MIN_GIB } from '../../src/core/validation.js';

function usageCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(RdsctlError);
    expect((e as RdsctlError).exitCode).toBe(2);
    return (e as RdsctlError).code;
  }
}

describe('requireStorage (gp2/gp3: 20–65536 GiB)', () => {
  it('limits are the documented ones', () => {
    expect([STORAGE_MIN_GIB, STORAGE_MAX_GIB]).toEqual([20, 65536]);
  });
  it.each([[20], [100], [65536]])('%d GiB is accepted', (gib) => {
    expect(requireStorage(gib)).toBe(gib);
  });
  it.each([[19], [0], [-20], [65537], [20.5], [Number.NaN]])('%d GiB → INVALID_STORAGE', (gib) => {
    expect(usageCode(() => requireStorage(gib))).toBe('INVALID_STORAGE');
  });
  it('names the flag the user typed', () => {
    expect(() => requireStorage(5, '--storage')).toThrow(/--storage must be a whole number of GiB from 20 to 65536 \(got 5\)/);
  });
});

describe('requireRetention (0–35 days)', () => {
  it.each([[0], [1], [7], [35]])('%d days is accepted', (d) => {
    expect(requireRetention(d)).toBe(d);
  });
  it.each([[-1], [36], [1.5]])('%d days → INVALID_RETENTION', (d) => {
    expect(usageCode(() => requireRetention(d))).toBe('INVALID_RETENTION');
  });
});

describe('requireMaxStorage (autoscaling ceiling)', () => {
  it.each([
    [100, 20, undefined],
    [22, 20, undefined],
    [110, 100, undefined],
    [21, 20, 'INVALID_MAX_STORAGE'],
    [20, 20, 'INVALID_MAX_STORAGE'],
    [109, 100, 'INVALID_MAX_STORAGE'],
    [65536, 20, undefined],
    [19, 20, 'INVALID_MAX_STORAGE'],
    [65537, 20, 'INVALID_MAX_STORAGE'],
    [50.5, 20, 'INVALID_MAX_STORAGE'],
  ])('max %d with %d allocated → %s', (max, allocated, code) => {
    expect(usageCode(() => requireMaxStorage(max, allocated))).toBe(code);
  });
});

describe('parseIntOption (strict integers)', () => {
  it.each([
    ['20', 20],
    [' 100 ', 100],
    ['0', 0],
    ['-5', -5],
    ['007', 7],
  ])('%j → %d', (text, n) => {
    expect(parseIntOption(text, '--storage')).toBe(n);
  });
  it.each([['20x'], [''], ['1e3'], ['0x10'], ['2.5'], ['twenty'], ['20 30']])('%j → INVALID_NUMBER naming the flag', (text) => {
    expect(usageCode(() => parseIntOption(text, '--storage'))).toBe('INVALID_NUMBER');
    expect(() => parseIntOption(text, '--storage')).toThrow(/--storage expects a whole number/);
  });
});

describe('requireRegion / requireEndpointUrl (issue 6: exit 2, not "Unexpected error")', () => {
  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'ap-southeast-5', 'cn-northwest-1', 'il-central-1'])('%s is a region', (r) => {
    expect(requireRegion(r)).toBe(r);
  });
  it.each(['not a region!', 'US-EAST-1', 'us-east', 'useast1', ''])('"%s" is refused', (r) => {
    expect(() => requireRegion(r)).toThrow(expect.objectContaining({ code: 'INVALID_REGION', exitCode: 2 }));
  });
  it.each(['http://127.0.0.1:4566', 'https://rds.eu-west-1.amazonaws.com'])('%s is an endpoint', (u) => {
    expect(requireEndpointUrl(u)).toBe(u);
  });
  it.each(['not a url', 'ftp://x', 'localhost:4566', 'http://'])('"%s" is refused', (u) => {
    expect(() => requireEndpointUrl(u)).toThrow(expect.objectContaining({ code: 'INVALID_ENDPOINT_URL', exitCode: 2 }));
  });
});
