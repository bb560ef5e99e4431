import { describe, expect, it } from 'vitest';
import { findInstanceClass, INSTANCE_CLASSES, LOCAL_MEMORY_SCALE, localSettingsFor, requireInstanceClass } from '../../src/core/instance-classes.js';

const GiB = 1024 ** 3;

describe('instance classes', () => {
  it('names are unique RDS class names', () => {
    const names = INSTANCE_CLASSES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^db\.[a-z][a-z0-9]*\.\d*x?(micro|small|medium|large)$/);
  });

  it.each([
    ['db.t4g.micro', 2, 1, 0.016],
    ['db.t4g.medium', 2, 4, 0.065],
    ['db.m6g.large', 2, 8, 0.152],
    ['db.r6g.xlarge', 4, 32, 0.43],
  ])('%s: %d vCPU, %d GiB, $%d/h (notes/rds-semantics.md)', (name, vcpu, memoryGiB, hourlyUsd) => {
    expect(findInstanceClass(name)).toEqual({ name, vcpu, memoryGiB, hourlyUsd });
  });

  it('an unknown class is a usage error listing the known ones', () => {
    expect(findInstanceClass('db.t4g.nano')).toBeUndefined();
    expect(() => requireInstanceClass('db.t4g.nano')).toThrow(expect.objectContaining({ code: 'UNKNOWN_INSTANCE_CLASS', exitCode: 2 }));
    try {
      requireInstanceClass('db.t4g.nano');
    } catch (e) {
      expect((e as { hint: string }).hint).toContain('db.t4g.micro');
    }
  });
});

describe('localSettingsFor (RDS formulas, buffer pool scaled for one machine)', () => {
  it.each([
    ['db.t4g.micro', 85],
    ['db.t4g.medium', 341],
    ['db.r6g.2xlarge', 5461],
  ])('%s: max_connections = memory / 12582880 = %d', (name, maxConnections) => {
    expect(localSettingsFor(requireInstanceClass(name)).maxConnections).toBe(maxConnections);
  });

  it('buffer pool: 3/4 of scaled memory, in 8 MiB chunks, at least 24 MiB', () => {
    const chunk = 8 * 1024 * 1024;
    for (const spec of INSTANCE_CLASSES) {
      const { innodbBufferPoolSize } = localSettingsFor(spec);
      expect(innodbBufferPoolSize % chunk).toBe(0);
      expect(innodbBufferPoolSize).toBeGreaterThanOrEqual(3 * chunk);
      expect(Math.abs(innodbBufferPoolSize - Math.max(3 * chunk, spec.memoryGiB * GiB * 0.75 * LOCAL_MEMORY_SCALE))).toBeLessThanOrEqual(chunk / 2);
    }
  });

  it('a class with more memory gets a bigger buffer pool (visible after modify --class)', () => {
    const small = localSettingsFor(requireInstanceClass('db.t4g.medium')).innodbBufferPoolSize;
    const big = localSettingsFor(requireInstanceClass('db.r6g.xlarge')).innodbBufferPoolSize;
    expect(big).toBeGreaterThan(small);
  });
});
