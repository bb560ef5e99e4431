import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CREATE_PARAMS, MODIFY_PARAMS, paramsTableMarkdown, type ParamRule } from '../../src/local/ops/instance-params.js';
import { planCreate } from '../../src/local/ops/instances-validate.js';
import { planModify } from '../../src/local/ops/modify-plan.js';
import type { InstanceRecord } from '../../src/local/state/registry.js';
import { AwsFault } from '../../src/local/server/types.js';

/**
 * Every input member of CreateDBInstance / ModifyDBInstance in the SDK's own model is either honoured
 * (the plan changes with it) or refused with a named AWS error: a member a later SDK adds fails here
 * until someone decides which it is. Members come from the static schema (`<Op>$`, see server/shapes.ts).
 */
const rds = createRequire(import.meta.url)('@aws-sdk/client-rds') as Record<string, unknown>;
const deref = (x: unknown): unknown => (typeof x === 'function' ? (x as () => unknown)() : x);

interface InputMember { name: string; schema: unknown }
function inputMembers(op: string): InputMember[] {
  const opSchema = rds[`${op}$`] as unknown[];
  const input = deref(opSchema[4]) as unknown[];
  const names = input[4] as string[];
  const refs = input[5] as unknown[];
  return names.map((name, i) => ({ name, schema: refs[i] }));
}

/** A wire value of the member's type that is nobody's "off" value (true, 7, "x", one list entry). */
function sample(m: InputMember): Record<string, string> {
  let ref = deref(m.schema);
  if (Array.isArray(ref) && ref.length === 2) ref = deref(ref[0]);
  if (ref === 2) return { [m.name]: 'true' };
  if (ref === 1) return { [m.name]: '7' };
  if (typeof ref === 'number' && (ref & 64) === 64) return { [`${m.name}.member.1`]: 'x' };
  if (typeof ref === 'number') return { [m.name]: 'x' };
  const s = ref as unknown[];
  if (s[0] === 1) { // list: [1, ns, name, traits, member]
    const member = s[4] as unknown;
    const [inner, traits] = Array.isArray(member) && member.length === 2 ? [deref(member[0]), member[1] as { xmlName?: string }] : [deref(member), {}];
    const prefix = `${m.name}.${traits.xmlName ?? 'member'}.1`;
    if (Array.isArray(inner) && inner[0] === 3) return { [`${prefix}.${(inner[4] as string[])[0]}`]: 'x' };
    return { [prefix]: 'x' };
  }
  if (s[0] === 3) return { [`${m.name}.${(s[4] as string[])[0]}.member.1`]: 'x' };
  return { [m.name]: 'x' };
}

const env = { mysqlAvailable: false, engineVersion: '10.11.19' };
const create = {
  Action: 'CreateDBInstance', Version: '2014-10-31',
  DBInstanceIdentifier: 'shop', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: '20', MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!',
};
const rec: InstanceRecord = {
  id: 'shop', dbiResourceId: 'db-X', engine: 'mariadb', engineVersion: '10.11.19', instanceClass: 'db.t4g.micro', masterUsername: 'admin',
  manageMasterUserPassword: false, port: 4000, nodes: [{ id: 'shop', role: 'primary', port: 4000, serverId: 1 }], allocatedStorage: 100, storageType: 'gp3', iops: 3000,
  backupRetentionPeriod: 7, preferredBackupWindow: '03:00-03:30', preferredMaintenanceWindow: 'sun:05:00-sun:05:30', storageEncrypted: false,
  deletionProtection: false, createTime: '2026-01-01T00:00:00Z', status: 'available', desiredState: 'running', initCompleted: true, pending: {}, tags: [],
  availabilityZone: 'us-east-1a',
};
const modify = { Action: 'ModifyDBInstance', Version: '2014-10-31', DBInstanceIdentifier: 'shop' };

const ROLE = 'arn:aws:iam::123456789012:role/rds-monitoring-role';
/** Valid values for honoured members, each of which must change the plan. */
const HONOURED: Record<string, Record<string, string>> = {
  DBInstanceIdentifier: { DBInstanceIdentifier: 'other' },
  DBInstanceClass: { DBInstanceClass: 'db.r6g.large' },
  EngineVersion: { EngineVersion: '10.11' },
  DBName: { DBName: 'shop' },
  EnableIAMDatabaseAuthentication: { EnableIAMDatabaseAuthentication: 'true' },
  AllocatedStorage: { AllocatedStorage: '200' },
  MasterUsername: { MasterUsername: 'dba' },
  MasterUserPassword: { MasterUserPassword: 'An0ther-secret' },
  ManageMasterUserPassword: { ManageMasterUserPassword: 'true', MasterUserPassword: '' },
  MasterUserSecretKmsKeyId: { MasterUserSecretKmsKeyId: 'alias/mine' },
  VpcSecurityGroupIds: { 'VpcSecurityGroupIds.VpcSecurityGroupId.1': 'sg-0123456789abcdef0' },
  AvailabilityZone: { AvailabilityZone: 'us-east-1b' },
  DBSubnetGroupName: { DBSubnetGroupName: 'shop-subnets' },
  PreferredMaintenanceWindow: { PreferredMaintenanceWindow: 'mon:04:00-mon:04:30' },
  BackupRetentionPeriod: { BackupRetentionPeriod: '3' },
  PreferredBackupWindow: { PreferredBackupWindow: '01:00-01:30' },
  Port: { Port: '4406' },
  AutoMinorVersionUpgrade: { AutoMinorVersionUpgrade: 'false' },
  Iops: { StorageType: 'io1', AllocatedStorage: '100', Iops: '1000' },
  OptionGroupName: { OptionGroupName: 'default:mariadb-10-11' },
  Tags: { 'Tags.Tag.1.Key': 'env', 'Tags.Tag.1.Value': 'prod' },
  StorageType: { StorageType: 'gp2' },
  StorageEncrypted: { StorageEncrypted: 'true' },
  KmsKeyId: { StorageEncrypted: 'true', KmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
  CopyTagsToSnapshot: { CopyTagsToSnapshot: 'true' },
  EnableCloudwatchLogsExports: { 'EnableCloudwatchLogsExports.member.1': 'error' },
  CloudwatchLogsExportConfiguration: { 'CloudwatchLogsExportConfiguration.EnableLogTypes.member.1': 'slowquery' },
  DeletionProtection: { DeletionProtection: 'true' },
  MaxAllocatedStorage: { MaxAllocatedStorage: '500' },
  CACertificateIdentifier: { CACertificateIdentifier: 'rds-ca-rsa4096-g1' },
  EngineLifecycleSupport: { EngineLifecycleSupport: 'open-source-rds-extended-support-disabled' },
  ApplyImmediately: { ApplyImmediately: 'true' },
  // On an instance whose password RDS manages (REC_FOR below).
  RotateMasterUserPassword: { RotateMasterUserPassword: 'true', ApplyImmediately: 'true' },
  // Its existence is checked by the op (test/integration/endpoint-params.test.ts).
  DBParameterGroupName: { DBParameterGroupName: 'tuned' },
  MonitoringInterval: { MonitoringInterval: '5', MonitoringRoleArn: ROLE },
  MonitoringRoleArn: { MonitoringInterval: '5', MonitoringRoleArn: ROLE },
};
/** Honoured members whose only valid values change nothing here (said so in the table's note), per operation. */
const NO_EFFECT: Record<string, Record<string, Record<string, string>>> = {
  CreateDBInstance: {
    Engine: {}, // required: the base request carries it
  },
  ModifyDBInstance: {
    DBInstanceIdentifier: {},
    EngineVersion: { EngineVersion: '10.11' },
    StorageType: { StorageType: 'gp3' },
    Iops: { Iops: '3000' },
    AllowMajorVersionUpgrade: { AllowMajorVersionUpgrade: 'true' },
    CertificateRotationRestart: { CertificateRotationRestart: 'true' },
    UseDefaultProcessorFeatures: { UseDefaultProcessorFeatures: 'true' },
  },
};

/** The record a member's sample is planned against, where the member needs one (ModifyDBInstance). */
const REC_FOR: Record<string, Partial<InstanceRecord>> = { RotateMasterUserPassword: { manageMasterUserPassword: true } };

function faultCode(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (e) {
    if (e instanceof AwsFault) return e.code;
    throw e;
  }
}

const OPS: [string, Record<string, ParamRule>, (extra: Record<string, string>, on?: Partial<InstanceRecord>) => unknown][] = [
  ['CreateDBInstance', CREATE_PARAMS, (extra) => planCreate({ ...create, ...extra }, env)],
  ['ModifyDBInstance', MODIFY_PARAMS, (extra, on) => planModify({ ...modify, ...extra }, { ...structuredClone(rec), ...on })],
];

describe.each(OPS)('%s: every input member of the SDK model', (op, table, plan) => {
  const members = inputMembers(op);

  it('is in the table, and the table names only members of the model', () => {
    expect(members.length).toBeGreaterThan(50);
    expect(members.map((m) => m.name).filter((n) => !Object.hasOwn(table, n))).toEqual([]);
    expect(Object.keys(table).filter((n) => !members.some((m) => m.name === n))).toEqual([]);
  });

  it.each(members.map((m) => [m.name, m] as const))('%s is honoured or refused with its AWS error', (name, m) => {
    const rule = table[name];
    if (!rule.honoured) {
      expect(faultCode(() => plan(sample(m)))).toBe(rule.code);
      return;
    }
    const noEffect = NO_EFFECT[op][name];
    const extra = noEffect ?? HONOURED[name];
    expect(extra, `${name}: add a valid sample value to HONOURED (or NO_EFFECT)`).toBeDefined();
    if (noEffect) expect(plan(extra, REC_FOR[name])).toEqual(plan({}, REC_FOR[name]));
    else expect(plan(extra, REC_FOR[name])).not.toEqual(plan({}, REC_FOR[name]));
  });
});

describe('neutral values and unknown members', () => {
  it.each([
    ['MultiAZ', 'false'], ['PubliclyAccessible', 'false'], ['MonitoringInterval', '0'], ['LicenseModel', 'general-public-license'],
    ['NetworkType', 'IPV4'], ['EnablePerformanceInsights', 'false'], ['DedicatedLogVolume', 'false'], ['DatabaseInsightsMode', 'standard'],
  ])('%s=%s (what Terraform sends for "off") is accepted', (name, value) => {
    expect(faultCode(() => planCreate({ ...create, [name]: value }, env))).toBe('accepted');
  });

  it('refuses a member the model does not have', () => {
    expect(faultCode(() => planCreate({ ...create, NoSuchThing: 'x' }, env))).toBe('InvalidParameterValue');
  });

  it.each([
    [{ OptionGroupName: 'mine' }, 'OptionGroupNotFoundFault'],
    [{ CACertificateIdentifier: 'rds-ca-nope' }, 'CertificateNotFound'],
    [{ AvailabilityZone: 'us-west-2a' }, 'InvalidParameterValue'],
    [{ 'VpcSecurityGroupIds.VpcSecurityGroupId.1': 'default' }, 'InvalidParameterValue'],
    [{ 'EnableCloudwatchLogsExports.member.1': 'postgresql' }, 'InvalidParameterCombination'],
    [{ 'Tags.Tag.1.Key': 'aws:owner', 'Tags.Tag.1.Value': 'me' }, 'InvalidParameterValue'],
    [{ StorageEncrypted: 'true', KmsKeyId: 'alias/mine' }, 'KMSKeyNotAccessibleFault'],
  ])('refuses %o with %s', (extra, code) => {
    expect(faultCode(() => planCreate({ ...create, ...extra }, env))).toBe(code);
  });

  it('rotates a managed password only at once, only when RDS manages it, and never with a password of the caller', () => {
    const managed = { ...structuredClone(rec), manageMasterUserPassword: true };
    expect(faultCode(() => planModify({ ...modify, RotateMasterUserPassword: 'true' }, managed))).toBe('InvalidParameterCombination');
    expect(faultCode(() => planModify({ ...modify, RotateMasterUserPassword: 'true', ApplyImmediately: 'true' }, structuredClone(rec)))).toBe('InvalidParameterCombination');
    expect(faultCode(() => planModify({ ...modify, RotateMasterUserPassword: 'true', ApplyImmediately: 'true', ManageMasterUserPassword: 'false', MasterUserPassword: 'An0ther-secret' }, managed))).toBe('InvalidParameterCombination');
    expect(planModify({ ...modify, RotateMasterUserPassword: 'true', ApplyImmediately: 'true' }, managed)).toMatchObject({ rotateMasterUserPassword: true });
    expect(planModify({ ...modify, RotateMasterUserPassword: 'false' }, managed).rotateMasterUserPassword).toBeUndefined();
  });

  it('refuses another engine version on modify, accepts the installed one', () => {
    expect(faultCode(() => planModify({ ...modify, EngineVersion: '10.6.14' }, structuredClone(rec)))).toBe('InvalidParameterCombination');
    expect(faultCode(() => planModify({ ...modify, EngineVersion: '10.11.19' }, structuredClone(rec)))).toBe('accepted');
  });
});

describe('docs/LOCAL-ENDPOINT.md', () => {
  it('carries the generated parameter table (UPDATE_DOCS=1 rewrites it)', () => {
    const file = new URL('../../docs/LOCAL-ENDPOINT.md', import.meta.url);
    const doc = fs.readFileSync(file, 'utf8');
    const [begin, end] = ['<!-- params-table:begin (generated by test/unit/instance-params.test.ts) -->', '<!-- params-table:end -->'];
    const want = `${begin}\n${paramsTableMarkdown()}\n${end}`;
    const at = doc.indexOf(begin);
    const stop = doc.indexOf(end);
    expect(at, 'the markers are in the doc').toBeGreaterThan(0);
    const current = doc.slice(at, stop + end.length);
    if (current !== want && process.env.UPDATE_DOCS === '1') fs.writeFileSync(file, doc.replace(current, want));
    else expect(current).toBe(want);
  });
});
