import { describe, expect, it } from 'vitest';
import { RdsctlError } from '../../src/core/errors.js';
import {
  identifierProblem,
  masterPasswordProblem,
  masterUsernameProblem,
  normalizeInstanceId,
  normalizeSnapshotId,
} from '../../src/core/identifiers.js';

// RDS rules (CreateDBInstance): 1–63 letters, digits or hyphens; starts with a letter; no "--";
// no trailing hyphen; stored lowercase. Snapshots: same rule, up to 255.
describe('identifierProblem (DB instance identifiers)', () => {
  it.each([
    ['a'],
    ['shop'],
    ['shop-prod'],
    ['Shop-Prod-2'],
    ['a1-b2-c3'],
    ['a'.repeat(63)],
  ])('%s is valid', (id) => {
    expect(identifierProblem(id)).toBeUndefined();
  });

  it.each([
    ['', /1–63 characters/],
    ['a'.repeat(64), /1–63 characters/],
    ['1shop', /start with a letter/],
    ['-shop', /start with a letter/],
    ['shop_prod', /only letters, digits and hyphens/],
    ['shop prod', /only letters, digits and hyphens/],
    ['shop.prod', /only letters, digits and hyphens/],
    ['café', /only letters, digits and hyphens/],
    ['shop--prod', /two consecutive hyphens/],
    ['shop-', /end with a hyphen/],
  ])('%j is refused: %s', (id, why) => {
    expect(identifierProblem(id)).toMatch(why);
  });

  it('snapshot identifiers may be up to 255 characters', () => {
    expect(identifierProblem('s'.repeat(255), 255)).toBeUndefined();
    expect(identifierProblem('s'.repeat(256), 255)).toMatch(/1–255/);
  });
});

describe('normalizeInstanceId / normalizeSnapshotId', () => {
  it('lowercases, as RDS stores identifiers', () => {
    expect(normalizeInstanceId('Shop-PROD')).toBe('shop-prod');
    expect(normalizeSnapshotId('Shop-Final-1')).toBe('shop-final-1');
  });

  it.each([['shop--prod'], ['9lives'], ['']])('%j → usage error INVALID_IDENTIFIER (exit 2) naming the identifier', (id) => {
    let caught: unknown;
    try {
      normalizeInstanceId(id);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RdsctlError);
    const e = caught as RdsctlError;
    expect([e.code, e.exitCode]).toEqual(['INVALID_IDENTIFIER', 2]);
    expect(e.message).toContain(`"${id}"`);
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.hint).toBeTruthy();
  });

  it('a 64-character name is a valid snapshot name but not an instance name', () => {
    const id = `s${'x'.repeat(63)}`;
    expect(() => normalizeInstanceId(id)).toThrow(/1–63/);
    expect(normalizeSnapshotId(id)).toBe(id);
  });
});

describe('masterUsernameProblem (RDS MySQL/MariaDB)', () => {
  it.each([['admin'], ['dba1'], ['A'], ['a'.repeat(16)]])('%s is valid', (name) => {
    expect(masterUsernameProblem(name)).toBeUndefined();
  });
  it.each([
    ['', /1–16/],
    ['a'.repeat(17), /1–16/],
    ['1admin', /starting with a letter/],
    ['ad-min', /letters, digits or underscores/],
    ['root', /reserved/],
    ['rdsadmin', /reserved/],
    ['RDSADMIN', /reserved/],
  ])('%j is refused: %s', (name, why) => {
    expect(masterUsernameProblem(name)).toMatch(why);
  });
});

describe('masterPasswordProblem (RDS MySQL: 8–41 printable ASCII, not / " @ or space)', () => {
  it.each([['Passw0rd'], ['x'.repeat(41)], ["!#$%&'()*+,-.:;<=>?[]^_`{|}~"]])('%j is valid', (pw) => {
    expect(masterPasswordProblem(pw)).toBeUndefined();
  });
  it.each([
    ['short7!', /8–41/],
    ['x'.repeat(42), /8–41/],
    ['has space1', /printable ASCII without spaces/],
    ['tab\there1', /printable ASCII without spaces/],
    ['pässwörd1', /printable ASCII without spaces/],
    ['pass/word1', /must not contain/],
    ['pass"word1', /must not contain/],
    ['pass@word1', /must not contain/],
  ])('%j is refused: %s', (pw, why) => {
    expect(masterPasswordProblem(pw)).toMatch(why);
  });
});
