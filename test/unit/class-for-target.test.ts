import { describe, expect, it } from 'vitest';
import { requireClassFor } from '../../src/core/instance-classes.js';
import { planModify } from '../../src/core/plans/modify-plan.js';

describe('instance class per target', () => {
  it.each([
    ['db.t4g.micro', 'local', 'db.t4g.micro'],
    ['db.m5.large', 'aws', 'db.m5.large'],
    ['db.r6i.16xlarge', 'aws', 'db.r6i.16xlarge'],
    ['db.t4g.micro', 'aws', 'db.t4g.micro'],
  ] as const)('%s on %s is accepted', (name, target, expected) => {
    expect(requireClassFor(name, target)).toBe(expected);
  });

  it.each([
    ['db.m5.large', 'local'],
    ['m5.large', 'aws'],
    ['db.M5.large', 'aws'],
    ['db..large', 'aws'],
  ] as const)('%s on %s is refused as UNKNOWN_INSTANCE_CLASS', (name, target) => {
    expect(() => requireClassFor(name, target)).toThrow(expect.objectContaining({ code: 'UNKNOWN_INSTANCE_CLASS', exitCode: 2 }));
  });

  it('modify on aws plans a class the local table does not know', () => {
    expect(planModify({ DBInstanceClass: 'db.m5.large' }, { DBInstanceClass: 'db.m5.xlarge' }, 'aws')).toEqual([
      expect.objectContaining({ field: 'DBInstanceClass', from: 'db.m5.large', to: 'db.m5.xlarge' }),
    ]);
    expect(() => planModify({ DBInstanceClass: 'db.m5.large' }, { DBInstanceClass: 'db.m5.xlarge' }, 'local')).toThrow(/Unknown DB instance class/);
  });
});
