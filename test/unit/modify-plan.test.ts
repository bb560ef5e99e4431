import { describe, expect, it } from 'vitest';
import { RdsctlError } from '../../src/core/errors.js';
import { pendingChanges, planModification, planModify, restartsInstance, type ModifiableState, type ModifyRequest } from '../../src/core/plans/modify-plan.js';

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

describe('planModification: changes already pending (issue 6)', () => {
  const withPending = { ...current, pending: { DBInstanceClass: 'db.t4g.small' } };

  it('--apply-immediately applies what is pending too, and the instance restarts now', () => {
    const plan = planModification(withPending, { MaxAllocatedStorage: 500 }, { applyImmediately: true });
    expect(plan.changes.map((c) => [c.field, c.to])).toEqual([['MaxAllocatedStorage', 500]]);
    expect(plan.alsoApplied.map((c) => [c.field, c.from, c.to])).toEqual([['DBInstanceClass', 'db.t4g.medium', 'db.t4g.small']]);
    expect([plan.stillPending, plan.restart]).toEqual([[], 'now']);
  });

  it('without it, the pending change keeps waiting and nothing restarts now', () => {
    const plan = planModification(withPending, { MaxAllocatedStorage: 500 }, { applyImmediately: false });
    expect([plan.alsoApplied, plan.stillPending.map((c) => c.field), plan.restart]).toEqual([[], ['DBInstanceClass'], undefined]);
  });

  it('a class change of its own restarts now or at the maintenance window', () => {
    expect(planModification(current, { DBInstanceClass: 'db.r6g.large' }, { applyImmediately: true }).restart).toBe('now');
    expect(planModification(current, { DBInstanceClass: 'db.r6g.large' }, { applyImmediately: false }).restart).toBe('maintenance-window');
    expect(planModification(current, { BackupRetentionPeriod: 3 }, { applyImmediately: true }).restart).toBeUndefined();
  });

  it('asking again for the pending value makes it this request\'s own change (listed once)', () => {
    const plan = planModification(withPending, { DBInstanceClass: 'db.t4g.small' }, { applyImmediately: true });
    expect([plan.changes.map((c) => c.field), plan.alsoApplied]).toEqual([['DBInstanceClass'], []]);
  });

  it('a pending password is shown hidden', () => {
    expect(pendingChanges({ pending: { MasterUserPassword: '****' } })).toEqual([{ field: 'MasterUserPassword', from: '(hidden)', to: '(new, hidden)' }]);
  });

  it('the restart rule is the one the local endpoint uses', () => {
    expect([restartsInstance(['DBInstanceClass']), restartsInstance(['AllocatedStorage', 'BackupRetentionPeriod'])]).toEqual([true, false]);
  });
});

describe('planModify: storage autoscaling off (issue 6)', () => {
  const scaling = { ...current, MaxAllocatedStorage: 500 };
  it.each<[string, ModifyRequest]>([
    ['--no-max-storage', { MaxAllocatedStorage: false }],
    ['a ceiling equal to the storage', { MaxAllocatedStorage: 100 }],
  ])('%s → MaxAllocatedStorage = AllocatedStorage, noted', (_name, desired) => {
    expect(planModify(scaling, desired)).toEqual([{ field: 'MaxAllocatedStorage', from: 500, to: 100, note: 'turns storage autoscaling off' }]);
  });

  it('already off: nothing to change', () => {
    expect(planModify(current, { MaxAllocatedStorage: false })).toEqual([]);
  });

  it('measured against the pending storage when one waits (as the endpoint does)', () => {
    expect(planModify({ ...scaling, pending: { AllocatedStorage: 200 } }, { MaxAllocatedStorage: 200 })[0]).toMatchObject({ to: 200, note: 'turns storage autoscaling off' });
  });

  it('0 is refused, and the hint names --no-max-storage', () => {
    expect(() => planModify(scaling, { MaxAllocatedStorage: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_MAX_STORAGE', hint: expect.stringContaining('--no-max-storage') }));
  });
});
