import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MASTER_USERNAME } from '../../src/core/identifiers.js';
import { planModify } from '../../src/core/plans/modify-plan.js';
import { evaluateControls, type AuditFacts, type ControlResult, type InstanceFacts } from '../../src/core/security/controls.js';
import type { EncryptionProbe, SecurityInspection } from '../../src/core/security/facts.js';
import { fixLabel, planFixes } from '../../src/core/security/fix-plan.js';
import { dataFileKind, grepTree } from '../../src/local/engine/encryption-probe.js';
import { modeOk } from '../../src/local/ops/security-inspect.js';

// Issue 12 §4: the Security Hub RDS controls as pure rules over the API record and the local evidence.
const compliant: InstanceFacts = {
  DBInstanceIdentifier: 'shop', Engine: 'mariadb', PubliclyAccessible: false, StorageEncrypted: true, MultiAZ: true, MonitoringInterval: 60,
  DeletionProtection: true, EnabledCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'], IAMDatabaseAuthenticationEnabled: true,
  BackupRetentionPeriod: 7, AutoMinorVersionUpgrade: true, CopyTagsToSnapshot: true, Endpoint: { Port: 3307 }, MasterUsername: 'dbmaster',
};
const aws = (instance: Partial<InstanceFacts> = {}, more: Partial<AuditFacts> = {}): AuditFacts => ({
  target: 'aws', instance: { ...compliant, ...instance }, snapshots: [], options: ['MARIADB_AUDIT_PLUGIN'], requireSecureTransport: '1', ...more,
});
const status = (rs: ControlResult[], id: string) => rs.find((r) => r.id === id)?.status;
const failing = (f: AuditFacts) => evaluateControls(f).filter((r) => r.status === 'fail').map((r) => r.id);

describe('evaluateControls (aws facts)', () => {
  it('a compliant instance fails nothing; snapshots absent → RDS.1/RDS.4 n/a; master use is unmeasured', () => {
    const rs = evaluateControls(aws());
    expect(failing(aws())).toEqual([]);
    expect([status(rs, 'RDS.1'), status(rs, 'RDS.4'), status(rs, 'RDSCTL.MASTER-USE')]).toEqual(['not-applicable', 'not-applicable', 'not-measurable']);
  });

  it.each([
    [{ PubliclyAccessible: true }, 'RDS.2'],
    [{ StorageEncrypted: false }, 'RDS.3'],
    [{ MultiAZ: false }, 'RDS.5'],
    [{ MonitoringInterval: 0 }, 'RDS.6'],
    [{ DeletionProtection: false }, 'RDS.8'],
    [{ EnabledCloudwatchLogsExports: ['error'] }, 'RDS.9'],
    [{ IAMDatabaseAuthenticationEnabled: false }, 'RDS.10'],
    [{ BackupRetentionPeriod: 6 }, 'RDS.11'],
    [{ AutoMinorVersionUpgrade: false }, 'RDS.13'],
    [{ CopyTagsToSnapshot: false }, 'RDS.17'],
    [{ Endpoint: { Port: 3306 } }, 'RDS.23'],
    [{ MasterUsername: 'admin' }, 'RDS.25'],
    [{ MasterUsername: 'Postgres' }, 'RDS.25'],
  ] as [Partial<InstanceFacts>, string][])('%o fails exactly %s', (change, id) => {
    expect(failing(aws(change))).toEqual([id]);
  });

  it('snapshots: a public manual one fails RDS.1, an unencrypted one RDS.4; automated ones are never shared', () => {
    const snapshots = [
      { id: 's1', type: 'manual', encrypted: true, restore: ['all'] },
      { id: 's2', type: 'automated', encrypted: false },
    ];
    expect(failing(aws({}, { snapshots }))).toEqual(['RDS.1', 'RDS.4']);
    expect(failing(aws({}, { snapshots: [{ id: 's1', type: 'manual', encrypted: true, restore: ['123456789012'] }] }))).toEqual([]);
  });

  it('TLS, audit log: parameter group value and option name', () => {
    expect(failing(aws({}, { requireSecureTransport: undefined }))).toEqual(['RDSCTL.TLS']);
    expect(failing(aws({}, { requireSecureTransport: 'ON' }))).toEqual([]);
    expect(failing(aws({}, { requireSecureTransport: '0' }))).toEqual(['RDSCTL.TLS']);
    expect(failing(aws({}, { options: [] }))).toEqual(['RDSCTL.AUDIT-LOG']);
  });

  it('a read replica: backups are its source\'s (RDS.11 n/a)', () => {
    expect(status(evaluateControls(aws({ BackupRetentionPeriod: 0, ReadReplicaSourceDBInstanceIdentifier: 'shop' })), 'RDS.11')).toBe('not-applicable');
  });

  it('the new default master username passes RDS.25', () => {
    expect(status(evaluateControls(aws({ MasterUsername: DEFAULT_MASTER_USERNAME })), 'RDS.25')).toBe('pass');
  });
});

const probe = (p: Partial<EncryptionProbe> = {}): EncryptionProbe => ({ marker: 'm', filesScanned: 10, bytesScanned: 1 << 20, hits: [], binlogged: true, unencryptedTablespaces: 0, userAriaTables: [], ...p });
const inspection = (p: Partial<SecurityInspection> = {}): SecurityInspection => ({
  DBInstanceIdentifier: 'shop', Process: { NodeId: 'shop', Pid: 42, Uid: 999, OsUser: 'rdsctl-mysql', Source: '/proc/42/status' },
  Variables: { require_secure_transport: 'ON', have_ssl: 'YES', bind_address: '127.0.0.1', tls_version: 'TLSv1.2,TLSv1.3', server_audit_logging: 'ON' },
  Encryption: probe(), FileModes: [{ path: '/h', mode: '0700', ok: true, rule: 'r' }], MasterSessions: [], PerformanceSchema: 'OFF', ...p,
});
const local = (ins: SecurityInspection, instance: Partial<InstanceFacts> = {}): AuditFacts => ({
  target: 'local', instance: { ...compliant, MultiAZ: false, MonitoringInterval: 0, ...instance }, snapshots: [], options: ['MARIADB_AUDIT_PLUGIN'], inspection: ins,
});

describe('evaluateControls (local evidence from the real thing)', () => {
  it('Multi-AZ and Enhanced Monitoring do not exist locally (n/a); process and file modes pass', () => {
    const rs = evaluateControls(local(inspection()));
    expect(failing(local(inspection()))).toEqual([]);
    expect([status(rs, 'RDS.5'), status(rs, 'RDS.6'), status(rs, 'RDSCTL.OS-USER'), status(rs, 'RDSCTL.FILE-MODES')]).toEqual(['not-applicable', 'not-applicable', 'pass', 'pass']);
  });

  it('the marker in a tablespace, redo log or binlog fails RDS.3 even when the record says encrypted', () => {
    const ins = inspection({ Encryption: probe({ hits: [{ file: 'binlog.000001', kind: 'binlog' }] }) });
    expect(failing(local(ins))).toEqual(['RDS.3']);
  });

  it('the marker only in aria_log.* passes, reported as the documented residual; user Aria tables fail', () => {
    const residual = probe({ hits: [{ file: 'aria_log.00000001', kind: 'aria-log' }] });
    const rs = evaluateControls(local(inspection({ Encryption: residual })));
    expect(status(rs, 'RDS.3')).toBe('pass');
    expect(rs.find((r) => r.id === 'RDS.3')!.evidence.join('\n')).toMatch(/known residual: Aria redo log aria_log\.00000001/);
    const aria = evaluateControls(local(inspection({ Encryption: probe({ userAriaTables: ['shop.t'] }) }))).find((r) => r.id === 'RDS.3')!;
    expect(aria.status).toBe('fail');
    expect(aria.fix).toEqual({ kind: 'manual', how: 'convert the user Aria tables to InnoDB (ALTER TABLE shop.t ENGINE=InnoDB)' });
  });

  it('a failed probe leaves an encrypted record unmeasured, never passed', () => {
    expect(status(evaluateControls(local(inspection({ Encryption: { Error: 'boom' } }))), 'RDS.3')).toBe('not-measurable');
  });

  it.each([
    [{ Variables: { require_secure_transport: 'OFF', have_ssl: 'YES', bind_address: '127.0.0.1', server_audit_logging: 'ON' } }, ['RDSCTL.TLS']],
    [{ Variables: { require_secure_transport: 'ON', have_ssl: 'YES', bind_address: '0.0.0.0', server_audit_logging: 'ON' } }, ['RDS.2']],
    // The option group has the option but the server does not log (or has no server_audit): the real thing wins.
    [{ Variables: { require_secure_transport: 'ON', have_ssl: 'YES', bind_address: '127.0.0.1', server_audit_logging: 'OFF' } }, ['RDSCTL.AUDIT-LOG']],
    [{ Variables: { require_secure_transport: 'ON', have_ssl: 'YES', bind_address: '127.0.0.1' } }, ['RDSCTL.AUDIT-LOG']],
    [{ Process: { NodeId: 'shop', Pid: 42, Uid: 0, OsUser: 'root', Source: '/proc/42/status' } }, ['RDSCTL.OS-USER']],
    [{ FileModes: [{ path: '/h/secrets/shop.json', mode: '0644', ok: false, rule: 'owner only' }] }, ['RDSCTL.FILE-MODES']],
  ] as [Partial<SecurityInspection>, string[]][])('%o fails %o', (p, ids) => {
    expect(failing(local(inspection(p)))).toEqual(ids);
  });

  it('the master user\'s sessions are evidence, not a verdict', () => {
    const ins = inspection({ MasterSessions: [{ Id: 7, Host: '127.0.0.1:5555', Command: 'Sleep', Time: 3 }] });
    const r = evaluateControls(local(ins)).find((x) => x.id === 'RDSCTL.MASTER-USE')!;
    expect(r.status).toBe('not-measurable');
    expect(r.evidence[0]).toBe('1 session(s) of dbmaster in PROCESSLIST now from 127.0.0.1');
  });
});

describe('RDSCTL.MASTER-USE from the audit log (CONNECT events)', () => {
  const log = [
    '20261201 12:00:01,vm,root,localhost,5,0,CONNECT,,,0',
    "20261201 12:00:01,vm,root,localhost,5,7,QUERY,,'CREATE DATABASE x',0",
    '20261201 12:00:02,vm,dbmaster,127.0.0.1,8,0,FAILED_CONNECT,,,1045',
    '20261201 12:00:03,vm,app,127.0.0.1,9,0,CONNECT,shop,,0',
  ];
  const withLog = (text: string, target: 'aws' | 'local' = 'aws') => {
    const f = target === 'aws' ? aws({}, { auditLog: { text, window: 'newest 10000 lines' } }) : { ...local(inspection()), auditLog: { text, window: 'newest 10000 lines' } };
    return evaluateControls(f).find((x) => x.id === 'RDSCTL.MASTER-USE')!;
  };

  it('no login of the master user in the window passes, with the window and the failed logins as evidence', () => {
    const r = withLog(log.join('\n'));
    expect(r.status).toBe('pass');
    expect(r.evidence[0]).toBe('audit/server_audit.log (newest 10000 lines, 20261201 12:00:01 – 20261201 12:00:03): 3 CONNECT event(s), 0 login(s) of dbmaster, 1 failed');
  });

  it('a login of the master user fails, naming hosts, connection ids and times, with the fix', () => {
    const r = withLog([...log, '20261201 12:05:00,vm,dbmaster,10.0.0.7,12,0,CONNECT,shop,,0', '20261201 12:06:00,vm,dbmaster,10.0.0.7,13,0,CONNECT,,,0'].join('\n'), 'local');
    expect(r.status).toBe('fail');
    expect(r.evidence[1]).toBe('dbmaster logged in from 10.0.0.7 ×2; latest: #12 20261201 12:05:00, #13 20261201 12:06:00');
    expect(r.fix).toMatchObject({ kind: 'manual', how: expect.stringContaining('rdsctl users create shop app_rw --role app') });
    expect(planFixes([r]).manual.map((m) => m.control)).toEqual(['RDSCTL.MASTER-USE']);
  });

  it('an unreadable log keeps it unmeasured, saying why; without the audit log it stays unmeasured', () => {
    const r = evaluateControls(aws({}, { auditLog: { error: 'DBLogFileNotFoundFault' } })).find((x) => x.id === 'RDSCTL.MASTER-USE')!;
    expect(r).toMatchObject({ status: 'not-measurable', evidence: [expect.stringContaining('audit log not readable: DBLogFileNotFoundFault'), expect.any(String)] });
    expect(status(evaluateControls(aws()), 'RDSCTL.MASTER-USE')).toBe('not-measurable');
  });
});

describe('planFixes and the modify plan', () => {
  it('the audit log is fixed through the audit-log service, not a modify and not by hand', () => {
    const plan = planFixes(evaluateControls(aws({ DeletionProtection: false }, { options: [] })));
    expect(plan.auditLog).toEqual({ control: 'RDSCTL.AUDIT-LOG', how: 'rdsctl audit-log enable shop' });
    expect(plan.modifies.map((m) => m.control)).toEqual(['RDS.8']);
    expect(plan.manual).toEqual([]);
  });

  it('a modify for each switch, by hand for the rest', () => {
    const f = aws({ DeletionProtection: false, BackupRetentionPeriod: 1, EnabledCloudwatchLogsExports: ['error'], StorageEncrypted: false, MasterUsername: 'admin' });
    const plan = planFixes(evaluateControls(f));
    expect(plan.modifies.map(fixLabel)).toEqual(['DeletionProtection=true', 'CloudwatchLogsExportConfiguration: EnableLogTypes=audit,general,slowquery', 'BackupRetentionPeriod=7']);
    expect(plan.manual.map((m) => m.control)).toEqual(['RDS.3', 'RDS.25']);
    expect(plan.manual[0].how).toMatch(/copy-db-snapshot .*--kms-key-id/);
  });

  it('planModify turns the switches and log exports into changes, and nothing when already set', () => {
    const cur = { CopyTagsToSnapshot: false, AutoMinorVersionUpgrade: true, IAMDatabaseAuthenticationEnabled: false, EnabledCloudwatchLogsExports: ['error'] };
    expect(planModify(cur, { CopyTagsToSnapshot: true, AutoMinorVersionUpgrade: true, EnableIAMDatabaseAuthentication: true, EnableLogTypes: ['error', 'audit'] })).toEqual([
      { field: 'CopyTagsToSnapshot', from: false, to: true },
      { field: 'EnableIAMDatabaseAuthentication', from: false, to: true },
      { field: 'CloudwatchLogsExportConfiguration', from: 'error', to: 'audit', note: 'adds these log exports' },
    ]);
  });
});

describe('local evidence helpers', () => {
  it.each([
    ['shop/orders.ibd', 'innodb-tablespace'], ['ibdata1', 'innodb-tablespace'], ['undo001', 'innodb-tablespace'], ['ib_logfile0', 'innodb-redo'],
    ['binlog.000003', 'binlog'], ['relay-bin.000002', 'relay-log'], ['aria_log.00000001', 'aria-log'], ['mysql/db.MAD', 'aria-data'], ['shop/t.frm', 'other'],
  ])('%s is %s', (file, kind) => {
    expect(dataFileKind(file)).toBe(kind);
  });

  it.each([[0o600, 0o077, true], [0o640, 0o077, false], [0o640, 0o027, true], [0o644, 0o027, false], [0o710, 0o067, true], [0o750, 0o067, false]])('mode %o with forbidden %o → %s', (mode, forbidden, ok) => {
    expect(modeOk(mode, { forbidden, rule: '' })).toBe(ok);
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdsctl-grep-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('grepTree finds a marker across the 4 MiB read boundary and reports the file relative to the datadir', async () => {
    const marker = 'rdsctl-probe-0123456789abcdef';
    const big = Buffer.alloc(4 * 1024 * 1024 + 100, 0x61);
    big.write(marker, 4 * 1024 * 1024 - 10); // straddles the first chunk's end
    writeFileSync(path.join(dir, 'ibdata1'), big);
    writeFileSync(path.join(dir, 'clean'), 'nothing here');
    const r = await grepTree(dir, marker);
    expect(r.hits).toEqual(['ibdata1']);
    expect(r.files).toBe(2);
  });
});
