import { describe, expect, it } from 'vitest';
import {
  connectPolicyDocument, dbUserArn, evaluatePolicies, parsePolicyDocument, samePolicy, trustAllows, wildcardMatch, type PolicyDocument,
} from '../../src/core/iam-policy.js';
import { RateWindow } from '../../src/core/rate-window.js';
import { createIamUserSql, roleNameOf, showSql } from '../../src/core/iam-grant.js';

const arn = dbUserArn('us-east-1', '000000000000', 'db-ABC', 'app');
const doc = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement });

describe('IAM policy evaluation (rds-db:connect on a dbuser ARN)', () => {
  it('builds the dbuser ARN RDS documents', () => {
    expect(arn).toBe('arn:aws:rds-db:us-east-1:000000000000:dbuser:db-ABC/app');
  });

  it.each([
    ['the exact grant', [doc({ Effect: 'Allow', Action: 'rds-db:connect', Resource: arn })], 'allow'],
    ['no policy at all', [], 'implicit-deny'],
    ['another user', [doc({ Effect: 'Allow', Action: 'rds-db:connect', Resource: dbUserArn('us-east-1', '000000000000', 'db-ABC', 'other') })], 'implicit-deny'],
    ['another instance', [doc({ Effect: 'Allow', Action: 'rds-db:connect', Resource: 'arn:aws:rds-db:us-east-1:000000000000:dbuser:db-XYZ/app' })], 'implicit-deny'],
    ['a wildcard over the instance\'s users', [doc({ Effect: 'Allow', Action: 'rds-db:*', Resource: 'arn:aws:rds-db:us-east-1:000000000000:dbuser:db-ABC/*' })], 'allow'],
    ['action case differs (actions are case-insensitive)', [doc({ Effect: 'Allow', Action: 'RDS-DB:Connect', Resource: arn })], 'allow'],
    ['resource case differs (resources are not)', [doc({ Effect: 'Allow', Action: 'rds-db:connect', Resource: arn.replace('app', 'APP') })], 'implicit-deny'],
    ['? matches one character', [doc({ Effect: 'Allow', Action: 'rds-db:connect', Resource: arn.replace('app', 'a?p') })], 'allow'],
    ['explicit Deny wins over Allow', [doc({ Effect: 'Allow', Action: '*', Resource: '*' }), doc({ Effect: 'Deny', Action: 'rds-db:connect', Resource: arn })], 'deny'],
    ['NotAction excludes it', [doc({ Effect: 'Allow', NotAction: 'rds-db:*', Resource: '*' })], 'implicit-deny'],
    ['an Allow with a Condition is not evaluated (fail closed)', [doc({ Effect: 'Allow', Action: 'rds-db:connect', Resource: arn, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })], 'implicit-deny'],
  ] as const)('%s → %s', (_what, docs, decision) => {
    expect(evaluatePolicies(docs as unknown as PolicyDocument[], 'rds-db:connect', arn)).toBe(decision);
  });

  it('wildcards are anchored and regex characters are literal', () => {
    expect(wildcardMatch('db-A.C', 'db-ABC')).toBe(false);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('app', 'app2')).toBe(false);
  });

  it('parses documents or names what is malformed', () => {
    expect(parsePolicyDocument('{')).toEqual({ problem: 'Syntax errors in policy.' });
    expect(parsePolicyDocument('{"Statement":[]}')).toMatchObject({ problem: expect.stringContaining('Statement') });
    expect(parsePolicyDocument('{"Statement":{"Effect":"Maybe","Action":"x"}}')).toMatchObject({ problem: expect.stringContaining('Effect') });
    expect(parsePolicyDocument('{"Statement":{"Effect":"Allow","Action":"x"}}')).toMatchObject({ Statement: [{ Effect: 'Allow' }] });
  });

  it('trust policies: the account root lets the account in; a named user only that user; Deny wins', () => {
    const account = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' });
    const one = doc({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::000000000000:user/batch'] }, Action: 'sts:AssumeRole' });
    expect(trustAllows(account, 'arn:aws:iam::000000000000:user/anyone', '000000000000')).toBe(true);
    expect(trustAllows(one, 'arn:aws:iam::000000000000:user/batch', '000000000000')).toBe(true);
    expect(trustAllows(one, 'arn:aws:iam::000000000000:user/other', '000000000000')).toBe(false);
    expect(trustAllows(doc(...account.Statement, { Effect: 'Deny', Principal: '*', Action: 'sts:*' }), 'arn:aws:iam::000000000000:user/x', '000000000000')).toBe(false);
  });

  it('samePolicy ignores key order and action case (grant\'s idempotence check)', () => {
    const a = connectPolicyDocument(arn);
    expect(samePolicy(a, doc({ Resource: [arn], Action: 'RDS-DB:connect', Effect: 'Allow' }))).toBe(true);
    expect(samePolicy(a, connectPolicyDocument(arn.replace('app', 'other')))).toBe(false);
  });
});

describe('grant naming and SQL', () => {
  it('takes a role name or ARN (with a path)', () => {
    expect(roleNameOf('app-role')).toBe('app-role');
    expect(roleNameOf('arn:aws:iam::123456789012:role/team/app-role')).toBe('app-role');
  });

  it('creates IAM users for the target\'s plugin, always REQUIRE SSL', () => {
    expect(showSql(createIamUserSql('aws'), 'app')).toBe("CREATE USER 'app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL");
    expect(showSql(createIamUserSql('local'), 'app')).toBe("CREATE USER 'app'@'%' IDENTIFIED VIA pam USING 'rdsctl-iam' REQUIRE SSL");
  });
});

describe('RateWindow (≈200 new IAM connections per second, as RDS)', () => {
  it('admits the limit within one second, refuses the next, admits again a second later', () => {
    const w = new RateWindow(200);
    const admitted = Array.from({ length: 201 }, (_, i) => w.take(1000 + i));
    expect(admitted.filter(Boolean)).toHaveLength(200);
    expect(admitted[200]).toBe(false);
    expect(w.take(2000)).toBe(true);
  });
});
