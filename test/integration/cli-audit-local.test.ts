import { readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { endTmuxServer, killTmux, startTmux } from '../helpers/tmux.js';

// Issue 12 §4 on the local target: `rdsctl audit` against the Security Hub RDS controls, checked on the
// real thing (the control plane writes a marker and greps the datadir), exit 6, --fix --dry-run, --fix.
let home: string;
const PASSWORD = 'Audit-CLI-Passw0rd-12';
const env = () => ({ RDSCTL_HOME: home, RDSCTL_MASTER_PASSWORD: PASSWORD });
const cli = (args: string[]) => runCli(args, { env: env() });

type Control = { id: string; status: string; evidence: string[] };
const failing = (data: { controls: Control[] }) => data.controls.filter((c) => c.status === 'fail').map((c) => c.id);
const control = (data: { controls: Control[] }, id: string) => data.controls.find((c) => c.id === id)!;

/** The one command docs/SECURITY.md recommends, read from the doc so the doc stays true. */
function recommendedCommand(): string[] {
  const doc = readFileSync(path.join(REPO, 'docs/SECURITY.md'), 'utf8');
  const m = /<!-- audit:recommended -->\s*```sh\n(rdsctl [^\n]+)\n```/.exec(doc);
  if (!m) throw new Error('docs/SECURITY.md has no recommended rdsctl provision command');
  return m[1].split(/\s+/).slice(1);
}

beforeAll(async () => {
  home = await tempHome('rdsctl-cli-audit-');
  const r = await cli(['provision', 'plain', '--class', 'db.t4g.micro', '--no-encrypted', '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
}, 180_000);
afterAll(async () => {
  await killTmux('audit-fix');
  await endTmuxServer();
  await cleanupHome(home);
}, 120_000);

describe('rdsctl audit, local target', () => {
  it('an unencrypted instance without deletion protection fails (exit 6), naming RDS.3 and RDS.8, with the marker found in plaintext', async () => {
    const r = await cli(['audit', 'plain', '--json']);
    expect(r.code, r.stderr).toBe(6);
    const data = r.json.data;
    expect(failing(data)).toEqual(expect.arrayContaining(['RDS.3', 'RDS.8']));
    const enc = control(data, 'RDS.3').evidence.join('\n');
    expect(enc).toMatch(/StorageEncrypted=false/);
    // The real thing: the marker the control plane wrote is readable in the InnoDB tablespace, redo log and binlog.
    expect(enc).toMatch(/marker in plaintext: .*\.ibd \(innodb-tablespace\)/);
    expect(enc).toMatch(/ib_logfile0 \(innodb-redo\)/);
    expect(enc).toMatch(/binlog\.\d+ \(binlog\)/);
    expect(control(data, 'RDS.8').evidence).toEqual(['DeletionProtection=false']);
    expect(control(data, 'RDS.25')).toMatchObject({ status: 'pass', evidence: ['MasterUsername=dbmaster'] });
    expect(control(data, 'RDSCTL.TLS').evidence[0]).toMatch(/require_secure_transport=ON, have_ssl=YES/);
    expect(control(data, 'RDSCTL.OS-USER').evidence[0]).toMatch(/^\/proc\/\d+\/status: Uid \d+/);
    expect(control(data, 'RDSCTL.MASTER-USE').status).toBe('not-measurable');
    // The scratch database the control plane made for the marker is gone again.
    const c = (await cli(['credentials', 'plain', '--json'])).json.data;
    const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: PASSWORD, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
    const [dbs] = await conn.query("SHOW DATABASES LIKE 'rdsctl\\_probe%'").finally(() => conn.end());
    expect(dbs).toEqual([]);
    const { stdout } = await cli(['audit', 'plain']);
    expect(stdout).toMatch(/^FAIL\s+RDS\.3\s+Encryption at rest$/m);
    expect(stdout.split('\n').every((l) => l.length <= 80)).toBe(true);
    const err = (await cli(['audit', 'plain'])).stderr;
    expect(err).toMatch(/error: \d+ control\(s\) failed on plain: .*RDS\.3.*RDS\.8/);
  }, 120_000);

  it('bad input: an unknown instance is exit 4 naming it; --dry-run without --fix is exit 2 naming the flags', async () => {
    const missing = await cli(['audit', 'nosuch', '--json']);
    expect(missing.code).toBe(4);
    expect(missing.json.error.message).toMatch(/nosuch/);
    const dry = await cli(['audit', 'plain', '--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/^error: --dry-run goes with --fix: nothing was checked\.\nhint: rdsctl audit plain --fix --dry-run$/m);
  }, 60_000);

  it('--fix --dry-run prints the plan and changes nothing', async () => {
    const before = (await cli(['describe', 'plain', '--json'])).json.data.DBInstance;
    const r = await cli(['audit', 'plain', '--fix', '--dry-run']);
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/RDS\.8\s+DeletionProtection=true/);
    expect(r.stdout).toMatch(/Not fixed by a modify:\n\s+RDS\.3\s+not by a modify/);
    expect(r.stdout.split('\n').every((l) => l.length <= 80)).toBe(true);
    const after = (await cli(['describe', 'plain', '--json'])).json.data.DBInstance;
    expect(after.DeletionProtection).toBe(false);
    expect(r.stdout).toMatch(/RDS\.10\s+EnableIAMDatabaseAuthentication=true/);
    expect(r.stdout).toMatch(/^Audit log, an option group change, no restart \(--fix applies it\):\n\s+RDSCTL\.AUDIT-LOG\s+rdsctl audit-log enable plain$/m);
    const settings = (d: Record<string, unknown>) => [d.DeletionProtection, d.BackupRetentionPeriod, d.EnabledCloudwatchLogsExports, d.CopyTagsToSnapshot, d.AutoMinorVersionUpgrade, d.PendingModifiedValues, d.IAMDatabaseAuthenticationEnabled, d.OptionGroupMemberships];
    expect(settings(after)).toEqual(settings(before));
  }, 120_000);

  it('--fix without a terminal needs --yes: nothing changes', async () => {
    const r = await cli(['audit', 'plain', '--fix', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('CONFIRMATION_REQUIRED');
    expect((await cli(['describe', 'plain', '--json'])).json.data.DBInstance.DeletionProtection).toBe(false);
  }, 120_000);

  it('--fix asks on a terminal, then fixes deletion protection and IAM auth through ModifyDBInstance, the audit log through its option group, and audits again', async () => {
    const t = await startTmux('audit-fix', { env: { ...env(), NO_COLOR: '1' } });
    await t.run(`${process.execPath} ${BIN} audit plain --fix -q`);
    await t.waitFor(/Apply \d+ change\(s\) to plain\? \[y\/N\]\s*$/m, 60_000);
    // Joined: a line the terminal had to wrap would come back longer than 80 columns.
    expect((await t.joined()).split('\n').filter((l) => l.length > 80)).toEqual([]);
    await t.keys('y', 'Enter');
    expect(await t.exitCode(150_000)).toBe(6); // RDS.3 stays failed: a modify cannot encrypt
    const seen = await t.history();
    expect(seen).toMatch(/^Applied:\n\s+RDS\.8\s+fixed \(DeletionProtection\)$/m);
    // The local endpoint now runs IAM database authentication (auth_pam): the modify applies (a restart).
    expect(seen).toMatch(/^\s+RDS\.10\s+fixed \(EnableIAMDatabaseAuthentication\)$/m);
    expect(seen).toMatch(/^\s+RDSCTL\.AUDIT-LOG\s+fixed \(OptionGroup plain-audit: MARIADB_AUDIT_PLUGIN\)$/m);
    await t.kill();
    const db = (await cli(['describe', 'plain', '--json'])).json.data.DBInstance;
    expect([db.DeletionProtection, db.IAMDatabaseAuthenticationEnabled, db.OptionGroupMemberships]).toEqual([true, true, [{ OptionGroupName: 'plain-audit', Status: 'in-sync' }]]);
    const again = await cli(['audit', 'plain', '--json']);
    expect(['RDS.8', 'RDS.10', 'RDSCTL.AUDIT-LOG'].map((id) => control(again.json.data, id).status)).toEqual(['pass', 'pass', 'pass']);
    expect(control(again.json.data, 'RDSCTL.AUDIT-LOG').evidence).toContain('SHOW VARIABLES: server_audit_logging=ON, server_audit_events=CONNECT,QUERY_DDL,QUERY_DCL');
    expect(failing(again.json.data)).toEqual(['RDS.3']);
  }, 240_000);

  it('a manual snapshot of the unencrypted instance: private (RDS.1 pass, DescribeDBSnapshotAttributes), not encrypted (RDS.4 fail)', async () => {
    const snap = await cli(['snapshot', 'create', 'plain', 'plain-s1', '--json']);
    expect(snap.code, snap.stderr).toBe(0);
    const r = await cli(['audit', 'plain', '--json']);
    expect(control(r.json.data, 'RDS.1')).toMatchObject({ status: 'pass', evidence: ['plain-s1: restore=(not shared)'] });
    expect(control(r.json.data, 'RDS.4')).toMatchObject({ status: 'fail', evidence: ['plain-s1 (manual): StorageEncrypted=false'] });
  }, 180_000);

  it('an instance provisioned with the command docs/SECURITY.md recommends passes every applicable control: exit 0', async () => {
    const args = recommendedCommand();
    expect(args[0]).toBe('provision');
    const p = await cli([...args, '--json']);
    expect(p.code, p.stderr + p.stdout).toBe(0);
    const id = args[1];
    expect(p.json.data.auditLog).toMatchObject({ optionGroup: `${id}-audit`, events: 'CONNECT,QUERY_DDL,QUERY_DCL' });
    const r = await cli(['audit', id, '--json']);
    expect(failing(r.json.data)).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
    const enc = control(r.json.data, 'RDS.3');
    expect(enc.status).toBe('pass');
    expect(enc.evidence.join('\n')).toMatch(/marker in no InnoDB tablespace, redo log, binlog or Aria data file/);
    expect(control(r.json.data, 'RDS.10')).toMatchObject({ status: 'pass', evidence: ['IAMDatabaseAuthenticationEnabled=true'] });
    // The audit log: the option group says it, and the server really logs.
    expect(control(r.json.data, 'RDSCTL.AUDIT-LOG')).toMatchObject({ status: 'pass', evidence: ['option group options: MARIADB_AUDIT_PLUGIN', 'SHOW VARIABLES: server_audit_logging=ON, server_audit_events=CONNECT,QUERY_DDL,QUERY_DCL'] });
    // Measured from the audit log's CONNECT events: the control plane works as root, nobody logged in as the master user.
    const use = control(r.json.data, 'RDSCTL.MASTER-USE');
    expect(use.status).toBe('pass');
    expect(use.evidence[0]).toMatch(/^audit\/server_audit\.log \(newest 10000 lines, \d{8} [\d:]+ – \d{8} [\d:]+\): \d+ CONNECT event\(s\), 0 login\(s\) of dbmaster$/);
    expect(r.json.data.controls.filter((c: Control) => c.status === 'not-applicable').map((c: Control) => c.id)).toEqual(['RDS.1', 'RDS.4', 'RDS.5', 'RDS.6']);

    // An application logging in as the master user: the next audit fails RDSCTL.MASTER-USE, naming the connection.
    const c = (await cli(['credentials', id, '--json'])).json.data;
    const conn = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: c.password, ssl: { ca: readFileSync(c.caFile), verifyIdentity: true } });
    const [[{ cid }]] = await conn.query('SELECT CONNECTION_ID() AS cid') as any;
    await conn.end();
    const after = await cli(['audit', id, '--json']);
    expect(after.code).toBe(6);
    expect(failing(after.json.data)).toEqual(['RDSCTL.MASTER-USE']);
    expect(control(after.json.data, 'RDSCTL.MASTER-USE').evidence[1]).toMatch(new RegExp(`^dbmaster logged in from 127\\.0\\.0\\.1 ×1; latest: #${cid} \\d{8}`));
  }, 240_000);

  it('provision --audit-log --dry-run shows the option group steps and creates nothing', async () => {
    const r = await cli(['provision', 'dry1', '--manage-master-password', '--audit-log', '--audit-events', 'connect,query_ddl', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"OptionGroupName": "dry1-audit"');
    expect(r.stdout).toMatch(/^Audit log:\n  - create option group dry1-audit \(mariadb 10\.\d+\)\n  - add MARIADB_AUDIT_PLUGIN with SERVER_AUDIT_EVENTS=CONNECT,QUERY_DDL to dry1-audit\n  - create dry1 on dry1-audit$/m);
    expect((await cli(['describe', 'dry1', '--json'])).code).toBe(4);
    const bad = await cli(['provision', 'dry1', '--manage-master-password', '--audit-events', 'CONNECT']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --audit-events goes with --audit-log: nothing was created\.\nhint: rdsctl provision dry1 --audit-log --audit-events CONNECT$/m);
  }, 60_000);
});
