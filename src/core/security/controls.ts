import type { SecurityInspection } from './facts.js';
import { AUDIT_OPTION as AUDIT_PLUGIN_OPTION } from '../audit-events.js';
import { masterUseFromLog } from './audit-log-evidence.js';
import { localControls } from './local-controls.js';

/**
 * `rdsctl audit`: the AWS Security Hub controls for RDS (securityhub/latest/userguide/rds-controls.html)
 * that apply to one RDS for MySQL/MariaDB DB instance, plus what a security review adds (TLS required,
 * the audit log, the master user's use) and, locally, the real thing under the API record. Pure.
 */
export type ControlStatus = 'pass' | 'fail' | 'not-applicable' | 'not-measurable';

/** How a failed control is fixed: a ModifyDBInstance member (rdsctl audit --fix), or by hand. */
export type Fix =
  | { kind: 'modify'; field: ModifyFixField; to: boolean | number | string[] }
  | { kind: 'manual'; how: string }
  /** Not a modify: the audit-log service puts MARIADB_AUDIT_PLUGIN into the instance's option group. */
  | { kind: 'audit-log'; how: string };

export type ModifyFixField =
  | 'DeletionProtection' | 'BackupRetentionPeriod' | 'CopyTagsToSnapshot' | 'AutoMinorVersionUpgrade'
  | 'EnableIAMDatabaseAuthentication' | 'PubliclyAccessible' | 'MultiAZ' | 'EnableLogTypes';

export interface ControlResult {
  id: string;
  title: string;
  status: ControlStatus;
  evidence: string[];
  fix?: Fix;
}

/** The DescribeDBInstances fields the controls read (the SDK's DBInstance fits it; core imports no SDK). */
export interface InstanceFacts {
  DBInstanceIdentifier?: string;
  Engine?: string;
  PubliclyAccessible?: boolean;
  StorageEncrypted?: boolean;
  KmsKeyId?: string;
  MultiAZ?: boolean;
  MonitoringInterval?: number;
  DeletionProtection?: boolean;
  EnabledCloudwatchLogsExports?: string[];
  IAMDatabaseAuthenticationEnabled?: boolean;
  BackupRetentionPeriod?: number;
  AutoMinorVersionUpgrade?: boolean;
  CopyTagsToSnapshot?: boolean;
  Endpoint?: { Port?: number };
  DbInstancePort?: number;
  MasterUsername?: string;
  ReadReplicaSourceDBInstanceIdentifier?: string;
}

export interface SnapshotFacts {
  id: string;
  type: string;
  encrypted: boolean;
  /** DescribeDBSnapshotAttributes `restore`: accounts it is shared with; `all` = public. Manual snapshots only. */
  restore?: string[];
}

export interface AuditFacts {
  target: 'local' | 'aws';
  instance: InstanceFacts;
  snapshots: SnapshotFacts[];
  /** Option names of the instance's option groups (DescribeOptionGroups of OptionGroupMemberships). */
  options: string[];
  /** aws: require_secure_transport as the instance's DB parameter group sets it (undefined: engine default, OFF). */
  requireSecureTransport?: string;
  /** local: what the control plane saw (InspectDBInstanceSecurity). */
  inspection?: SecurityInspection;
  /** The newest lines of audit/server_audit.log (DownloadDBLogFilePortion) when the audit log is on, or why it could not be read. */
  auditLog?: { text: string; window: string } | { error: string };
}

/** Security Hub RDS.9 for MySQL and MariaDB: these four log types exported. */
export const REQUIRED_LOG_EXPORTS = ['audit', 'error', 'general', 'slowquery'];
/** Security Hub RDS.11's default backupRetentionMinimum. */
export const MIN_BACKUP_RETENTION = 7;
/** Security Hub RDS.25 (AWS Config rds-instance-default-admin-check): these names are the defaults. */
export const DEFAULT_ADMIN_NAMES = ['admin', 'postgres'];
export const DEFAULT_MYSQL_PORT = 3306;

const on = (b: boolean | undefined) => (b ? 'true' : 'false');

function boolControl(id: string, title: string, value: boolean | undefined, field: ModifyFixField, member: string, want = true): ControlResult {
  const ok = Boolean(value) === want;
  return { id, title, status: ok ? 'pass' : 'fail', evidence: [`${member}=${on(value)}`], ...(ok ? {} : { fix: { kind: 'modify' as const, field, to: want } }) };
}

function snapshotControls(f: AuditFacts): ControlResult[] {
  const manual = f.snapshots.filter((s) => s.type === 'manual');
  const shared = manual.filter((s) => s.restore?.includes('all'));
  const rds1: ControlResult = manual.length === 0
    ? { id: 'RDS.1', title: 'Snapshots are private', status: 'not-applicable', evidence: ['no manual snapshots (automated ones cannot be shared)'] }
    : {
      id: 'RDS.1', title: 'Snapshots are private', status: shared.length ? 'fail' : 'pass',
      evidence: manual.map((s) => `${s.id}: restore=${s.restore?.length ? s.restore.join(',') : '(not shared)'}`),
      ...(shared.length ? { fix: { kind: 'manual' as const, how: shared.map((s) => `aws rds modify-db-snapshot-attribute --db-snapshot-identifier ${s.id} --attribute-name restore --values-to-remove all`).join('; ') } } : {}),
    };
  const plain = f.snapshots.filter((s) => !s.encrypted);
  const rds4: ControlResult = f.snapshots.length === 0
    ? { id: 'RDS.4', title: 'Snapshots encrypted at rest', status: 'not-applicable', evidence: ['no snapshots of this instance'] }
    : {
      id: 'RDS.4', title: 'Snapshots encrypted at rest', status: plain.length ? 'fail' : 'pass',
      evidence: f.snapshots.map((s) => `${s.id} (${s.type}): StorageEncrypted=${on(s.encrypted)}`),
      ...(plain.length ? { fix: { kind: 'manual' as const, how: f.target === 'aws'
        ? `copy each with a KMS key (aws rds copy-db-snapshot --source-db-snapshot-identifier ${plain[0].id} --target-db-snapshot-identifier ${plain[0].id}-enc --kms-key-id alias/aws/rds), then delete the unencrypted one`
        : `delete the unencrypted snapshots (rdsctl snapshot delete ${plain[0].id}) once the instance is encrypted; the local endpoint has no CopyDBSnapshot` } } : {}),
    };
  return [rds1, rds4];
}

function encryptionControl(f: AuditFacts): ControlResult {
  const id = f.instance.DBInstanceIdentifier ?? '?';
  // The key's id, not its whole ARN: one unbreakable word longer than a terminal line.
  const key = f.instance.KmsKeyId?.split('/').pop();
  const evidence = [`StorageEncrypted=${on(f.instance.StorageEncrypted)}${key ? ` (KMS key ${key})` : ''}`];
  const fix: Fix = { kind: 'manual', how: f.target === 'aws'
    ? `not by a modify: snapshot, copy with a KMS key, restore (aws rds create-db-snapshot --db-instance-identifier ${id} --db-snapshot-identifier ${id}-plain; aws rds copy-db-snapshot --source-db-snapshot-identifier ${id}-plain --target-db-snapshot-identifier ${id}-enc --kms-key-id alias/aws/rds; rdsctl restore --snapshot ${id}-enc --target ${id}-encrypted)`
    : `not by a modify, and the local endpoint has no CopyDBSnapshot: provision an encrypted instance (rdsctl provision ${id}-encrypted, encrypted by default) and move the data into it (mariadb-dump | mariadb)` };
  const base: ControlResult = { id: 'RDS.3', title: 'Encryption at rest', status: f.instance.StorageEncrypted ? 'pass' : 'fail', evidence, ...(f.instance.StorageEncrypted ? {} : { fix }) };
  return f.inspection ? localControls.encryption(base, f.inspection, fix) : base;
}

function logExports(f: AuditFacts): ControlResult {
  const have = f.instance.EnabledCloudwatchLogsExports ?? [];
  const missing = REQUIRED_LOG_EXPORTS.filter((t) => !have.includes(t));
  const evidence = [`EnabledCloudwatchLogsExports=${have.length ? have.join(',') : '(none)'}; RDS.9 wants ${REQUIRED_LOG_EXPORTS.join(',')}`];
  if (f.target === 'local') evidence.push('local: recorded only (no CloudWatch Logs here); the files are served by DownloadDBLogFilePortion');
  return { id: 'RDS.9', title: 'Logs published to CloudWatch Logs', status: missing.length ? 'fail' : 'pass', evidence,
    ...(missing.length ? { fix: { kind: 'modify' as const, field: 'EnableLogTypes' as const, to: missing } } : {}) };
}

function tlsControl(f: AuditFacts): ControlResult {
  const title = 'TLS required for connections';
  if (f.inspection) return localControls.tls(title, f.inspection);
  const v = f.requireSecureTransport;
  const ok = v !== undefined && ['1', 'on'].includes(v.toLowerCase());
  return { id: 'RDSCTL.TLS', title, status: ok ? 'pass' : 'fail', evidence: [`require_secure_transport=${v ?? '(engine default: OFF)'} in the DB parameter group`],
    ...(ok ? {} : { fix: { kind: 'manual' as const, how: 'set require_secure_transport=1 in a custom DB parameter group of the instance (rdsctl params), then reboot' } }) };
}

function auditLogControl(f: AuditFacts): ControlResult {
  const ok = f.options.includes(AUDIT_PLUGIN_OPTION);
  const id = f.instance.DBInstanceIdentifier ?? '?';
  const base: ControlResult = { id: 'RDSCTL.AUDIT-LOG', title: 'Audit log on (MARIADB_AUDIT_PLUGIN)', status: ok ? 'pass' : 'fail',
    evidence: [`option group options: ${f.options.length ? f.options.join(',') : '(none)'}`],
    ...(ok ? {} : { fix: { kind: 'audit-log' as const, how: `rdsctl audit-log enable ${id}` } }) };
  return f.inspection ? localControls.auditLog(base, f.inspection) : base;
}

function masterUse(f: AuditFacts): ControlResult {
  const base = { id: 'RDSCTL.MASTER-USE', title: 'Master user not used by applications' };
  const user = f.instance.MasterUsername ?? '?';
  const sessions = f.inspection ? localControls.masterSessions(f.inspection, user) : [];
  if (f.auditLog && 'text' in f.auditLog) {
    const v = masterUseFromLog(f.auditLog.text, user, f.auditLog.window);
    return { ...base, status: v.status, evidence: [...v.evidence, ...sessions.slice(0, 1)],
      ...(v.status === 'fail' ? { fix: { kind: 'manual' as const, how: `give each application its own user (rdsctl users create ${f.instance.DBInstanceIdentifier} app_rw --role app, or rdsctl iam grant) and keep the master password for administration` } } : {}) };
  }
  const unread = f.auditLog && 'error' in f.auditLog ? [`audit log not readable: ${f.auditLog.error}`] : [];
  if (f.inspection) return { ...base, status: 'not-measurable', evidence: [...sessions, ...unread] };
  return { ...base, status: 'not-measurable', evidence: [...unread, 'no RDS API shows sessions: turn the audit log on (its CONNECT events are read here) or use Performance Insights for the master user\'s clients'] };
}

/** Every control, in Security Hub order, then rdsctl's own. */
export function evaluateControls(f: AuditFacts): ControlResult[] {
  const i = f.instance;
  const local = f.target === 'local';
  const port = i.Endpoint?.Port ?? i.DbInstancePort;
  const user = i.MasterUsername ?? '';
  const na = (id: string, title: string, why: string): ControlResult => ({ id, title, status: 'not-applicable', evidence: [why] });
  const [rds1, rds4] = snapshotControls(f);
  const rds2 = boolControl('RDS.2', 'Not publicly accessible', i.PubliclyAccessible, 'PubliclyAccessible', 'PubliclyAccessible', false);
  const results: ControlResult[] = [
    rds1,
    f.inspection ? localControls.publicAccess(rds2, f.inspection) : rds2,
    encryptionControl(f),
    rds4,
    local ? na('RDS.5', 'Multi-AZ', 'local endpoint: one host, MultiAZ is refused') : boolControl('RDS.5', 'Multi-AZ', i.MultiAZ, 'MultiAZ', 'MultiAZ'),
    local ? na('RDS.6', 'Enhanced monitoring', 'local endpoint: no Enhanced Monitoring (MonitoringInterval must be 0)')
      : { id: 'RDS.6', title: 'Enhanced monitoring', status: (i.MonitoringInterval ?? 0) > 0 ? 'pass' : 'fail', evidence: [`MonitoringInterval=${i.MonitoringInterval ?? 0}`],
        ...((i.MonitoringInterval ?? 0) > 0 ? {} : { fix: { kind: 'manual' as const, how: `needs a monitoring role: aws rds modify-db-instance --db-instance-identifier ${i.DBInstanceIdentifier} --monitoring-interval 60 --monitoring-role-arn (your rds-monitoring-role ARN) --apply-immediately` } }) },
    boolControl('RDS.8', 'Deletion protection', i.DeletionProtection, 'DeletionProtection', 'DeletionProtection'),
    logExports(f),
    boolControl('RDS.10', 'IAM database authentication', i.IAMDatabaseAuthenticationEnabled, 'EnableIAMDatabaseAuthentication', 'IAMDatabaseAuthenticationEnabled'),
    i.ReadReplicaSourceDBInstanceIdentifier
      ? na('RDS.11', 'Automated backups (≥ 7 days)', `read replica of ${i.ReadReplicaSourceDBInstanceIdentifier}: backups are the source's`)
      : { id: 'RDS.11', title: 'Automated backups (≥ 7 days)', status: (i.BackupRetentionPeriod ?? 0) >= MIN_BACKUP_RETENTION ? 'pass' : 'fail', evidence: [`BackupRetentionPeriod=${i.BackupRetentionPeriod ?? 0}`],
        ...((i.BackupRetentionPeriod ?? 0) >= MIN_BACKUP_RETENTION ? {} : { fix: { kind: 'modify' as const, field: 'BackupRetentionPeriod' as const, to: MIN_BACKUP_RETENTION } }) },
    boolControl('RDS.13', 'Auto minor version upgrade', i.AutoMinorVersionUpgrade, 'AutoMinorVersionUpgrade', 'AutoMinorVersionUpgrade'),
    boolControl('RDS.17', 'Copy tags to snapshots', i.CopyTagsToSnapshot, 'CopyTagsToSnapshot', 'CopyTagsToSnapshot'),
    { id: 'RDS.23', title: 'Not the engine default port', status: port === DEFAULT_MYSQL_PORT ? 'fail' : 'pass', evidence: [`Endpoint.Port=${port ?? '?'} (default ${DEFAULT_MYSQL_PORT})`],
      ...(port === DEFAULT_MYSQL_PORT ? { fix: { kind: 'manual' as const, how: `rdsctl modify has no port change: aws rds modify-db-instance --db-instance-identifier ${i.DBInstanceIdentifier} --db-port-number 3307 --apply-immediately (clients must follow)` } } : {}) },
    { id: 'RDS.25', title: 'Custom master username', status: DEFAULT_ADMIN_NAMES.includes(user.toLowerCase()) ? 'fail' : 'pass', evidence: [`MasterUsername=${user}`],
      ...(DEFAULT_ADMIN_NAMES.includes(user.toLowerCase()) ? { fix: { kind: 'manual' as const, how: 'not by a modify (the name is fixed at creation): provision a new instance with --master-username and move the data' } } : {}) },
    tlsControl(f),
    auditLogControl(f),
    masterUse(f),
    ...(f.inspection ? localControls.host(f.inspection) : []),
  ];
  return results;
}

export function failed(results: ControlResult[]): ControlResult[] {
  return results.filter((r) => r.status === 'fail');
}
