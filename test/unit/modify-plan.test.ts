import { describe, expect, it } from 'vitest';
import { RdsctlError } from '../../src/core/errors.js';
import { planModify, type ModifiableState, type ModifyRequest } from '../../src/core/plans/modify-plan.js';

const current: ModifiableState = {
  DBInstanceClass: 'db.t4g.medium',
  AllocatedStorage: 100,
  MaxAllocatedStorage: undefined,
  BackupRetentionPeriod: 7,
  DeletionProtection: false,
};

function refusal(desired: ModifyRequest, from: ModifiableState = current): { code: string; exitCode: number; message: string } | undefined {
  try {
    planModify(from, desired);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(RdsctlError);
    const { code, exitCode, message } = e as RdsctlError;
    return { code, exitCode, message };
  }
}

describe('planModify: what changes', () => {
  it.each<[string, ModifyRequest, Array<[string, unknown, unknown]>]>([
    ['nothing asked', {}, []],
    ['same values (no-op)', { DBInstanceClass: 'db.t4g.medium', AllocatedStorage: 100, BackupRetentionPeriod: 7, DeletionProtection: false }, []],
    ['class', { DBInstanceClass: 'db.r6g.large' }, [['DBInstanceClass', 'db.t4g.medium', 'db.r6g.large']]],
    ['storage +10% exactly (100 → 110)', { AllocatedStorage: 110 }, [['AllocatedStorage', 100, 110]]],
    ['storage +50%', { AllocatedStorage: 150 }, [['AllocatedStorage', 100, 150]]],
    ['autoscaling ceiling', { MaxAllocatedStorage: 500 }, [['MaxAllocatedStorage', undefined, 500]]],
    ['retention', { BackupRetentionPeriod: 14 }, [['BackupRetentionPeriod', 7, 14]]],
    ['deletion protection on', { DeletionProtection: true }, [['DeletionProtection', false, true]]],
    [
      'several at once, in a stable order',
      { DeletionProtection: true, BackupRetentionPeriod: 1, AllocatedStorage: 200, DBInstanceClass: 'db.m6g.large' },
      [['DBInstanceClass', 'db.t4g.medium', 'db.m6g.large'], ['AllocatedStorage', 100, 200], ['BackupRetentionPeriod', 7, 1], ['DeletionProtection', false, true]],
    ],
  ])('%s', (_name, desired, expected) => {
    expect(planModify(current, desired).map((c) => [c.field, c.from, c.to])).toEqual(expected);
  });

  it('explains the consequences a DBA cares about', () => {
    const notes = Object.fromEntries(
      planModify(current, { DBInstanceClass: 'db.r6g.large', AllocatedStorage: 200, BackupRetentionPeriod: 0 }).map((c) => [c.field, c.note]),
    );
    expect(notes.DBInstanceClass).toMatch(/restart/);
    expect(notes.AllocatedStorage).toMatch(/cannot be undone/);
    expect(notes.BackupRetentionPeriod).toMatch(/disables automated backups and point-in-time restore/);
  });

  it('+10% is computed exactly (no floating-point rounding up): 50 → 55 and 20 → 22 are allowed', () => {
    expect(planModify({ AllocatedStorage: 50 }, { AllocatedStorage: 55 })).toHaveLength(1);
    expect(planModify({ AllocatedStorage: 20 }, { AllocatedStorage: 22 })).toHaveLength(1);
    expect(planModify({ AllocatedStorage: 1000 }, { AllocatedStorage: 1100 })).toHaveLength(1);
  });
});

describe('planModify: refused before any API call', () => {
  it.each<[string, ModifyRequest, string, RegExp]>([
    ['storage shrink', { AllocatedStorage: 50 }, 'STORAGE_DECREASE', /cannot shrink \(100 → 50 GiB\)/],
    ['storage +5%', { AllocatedStorage: 105 }, 'STORAGE_INCREASE_TOO_SMALL', /at least 10% \(to ≥ 110 GiB\)/],
    ['storage +9%', { AllocatedStorage: 109 }, 'STORAGE_INCREASE_TOO_SMALL', /≥ 110 GiB/],
    ['storage above the gp3 limit', { AllocatedStorage: 70000 }, 'INVALID_STORAGE', /20 to 65536/],
    ['unknown class', { DBInstanceClass: 'db.x99.huge' }, 'UNKNOWN_INSTANCE_CLASS', /db\.x99\.huge/],
    ['retention 36 days', { BackupRetentionPeriod: 36 }, 'INVALID_RETENTION', /0–35/],
    ['ceiling below the storage', { MaxAllocatedStorage: 50 }, 'INVALID_MAX_STORAGE', /at least 10% more than the allocated storage \(≥ 110 GiB for 100 GiB\)/],
    ['ceiling below the new storage', { AllocatedStorage: 200, MaxAllocatedStorage: 150 }, 'INVALID_MAX_STORAGE', /≥ 220 GiB for 200 GiB/],
  ])('%s → %s (exit 2)', (_name, desired, code, message) => {
    const r = refusal(desired);
    expect(r).toMatchObject({ code, exitCode: 2 });
    expect(r!.message).toMatch(message);
  });

  it('+10% of an odd size rounds up to the next whole GiB (101 → at least 112)', () => {
    expect(refusal({ AllocatedStorage: 111 }, { AllocatedStorage: 101 })?.message).toMatch(/≥ 112 GiB/);
    expect(planModify({ AllocatedStorage: 101 }, { AllocatedStorage: 112 })).toHaveLength(1);
  });
});
