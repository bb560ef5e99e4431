import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// `rdsctl audit` on the aws target: the Security Hub RDS controls read from documented RDS responses
// (fixtures/aws/README.md), replayed over HTTP to the real CLI and SDK.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const env = t.env;
const aws = () => t.awsArgs();
const actions = (reqs: RecordedRequest[]) => reqs.map((r) => r.params.Action);
type Control = { id: string; status: string; evidence: string[] };
const failing = (data: { controls: Control[] }) => data.controls.filter((c) => c.status === 'fail').map((c) => c.id);

const MYDATABASE = {
  DescribeDBInstances: { file: 'rds/describe-db-instances-mydatabase.xml' },
  DescribeDBSnapshots: { file: 'rds/describe-db-snapshots-mydatabase.xml' },
  DescribeDBSnapshotAttributes: { file: 'rds/describe-db-snapshot-attributes-public.xml' },
  DescribeOptionGroups: { file: 'rds/describe-option-groups-default-mysql-5-6.xml' },
};

describe('audit --target aws (replayed)', () => {
  it('the documented mydatabase instance fails the controls its description shows; exit 6', async () => {
    t.server.routes(MYDATABASE);
    const r = await runRdsctl([...aws(), 'audit', 'mydatabase', '--json'], env);
    expect(r.code, r.stderr).toBe(6);
    const data = oneJsonDoc(r.stdout).data;
    expect(failing(data)).toEqual(['RDS.1', 'RDS.2', 'RDS.3', 'RDS.4', 'RDS.5', 'RDS.6', 'RDS.8', 'RDS.9', 'RDS.10', 'RDS.17', 'RDS.23', 'RDSCTL.TLS', 'RDSCTL.AUDIT-LOG']);
    const by = (id: string) => data.controls.find((c: Control) => c.id === id);
    expect(by('RDS.1').evidence).toEqual(['manual-snapshot1: restore=all']);
    expect(by('RDS.25')).toMatchObject({ status: 'pass', evidence: ['MasterUsername=myawsuser'] });
    expect(by('RDSCTL.TLS').evidence[0]).toMatch(/engine default: OFF/);
    expect(by('RDSCTL.MASTER-USE').status).toBe('not-measurable');
    expect(data.controls.some((c: Control) => c.id.startsWith('RDSCTL.OS-USER'))).toBe(false);
    // A default.* parameter group sets nothing: no DescribeDBParameters; reads only.
    expect(actions(t.server.requests).sort()).toEqual(['DescribeDBInstances', 'DescribeDBSnapshotAttributes', 'DescribeDBSnapshots', 'DescribeOptionGroups']);
    expect(t.server.requests.find((q) => q.params.Action === 'DescribeOptionGroups')!.params.OptionGroupName).toBe('default:mysql-5-6');
  });

  it('an instance set up as docs/SECURITY.md says for aws passes every control: exit 0', async () => {
    t.server.routes({
      DescribeDBInstances: { file: 'rds/describe-db-instances-securedb.xml' },
      DescribeDBSnapshots: { file: 'rds/describe-db-snapshots-empty.xml' },
      DescribeOptionGroups: { file: 'rds/describe-option-groups-audit.xml' },
      DescribeDBParameters: { file: 'rds/describe-db-parameters-secure-mysql.xml' },
      DownloadDBLogFilePortion: { file: 'rds/download-db-log-file-portion-audit-tail.xml' },
    });
    const r = await runRdsctl([...aws(), 'audit', 'securedb'], env);
    expect(r.code, r.stderr).toBe(0);
    // The audit log is on: its CONNECT events measure the master user's use (a failed login is not a use).
    expect(r.stdout).toMatch(/^Security controls of securedb \(aws\): 15 pass, 0 fail, 2 n\/a, 0 unmeasured$/m);
    expect(r.stdout).toMatch(/^pass\s+RDSCTL\.MASTER-USE\s+Master user not used by applications\n\s+· audit\/server_audit\.log \(newest 10000 lines, 20240115 09:00:01 –\s+20240115 09:06:02\): 3 CONNECT event\(s\), 0 login\(s\) of myawsuser,\s+1\s+failed$/m);
    const dl = t.server.requests.find((q) => q.params.Action === 'DownloadDBLogFilePortion')!.params;
    expect(dl).toMatchObject({ DBInstanceIdentifier: 'securedb', LogFileName: 'audit/server_audit.log', NumberOfLines: '10000' });
    expect(r.stdout).toMatch(/^pass\s+RDSCTL\.TLS\s+TLS required for connections\n\s+· require_secure_transport=1 in the DB parameter group$/m);
    expect(r.stdout.split('\n').every((l) => l.length <= 80)).toBe(true);
    const params = t.server.requests.find((q) => q.params.Action === 'DescribeDBParameters')!.params;
    expect(params).toMatchObject({ DBParameterGroupName: 'secure-mysql', Source: 'user' });
  });

  it('--fix --dry-run sends no ModifyDBInstance and names what a modify cannot fix', async () => {
    t.server.routes(MYDATABASE);
    const r = await runRdsctl([...aws(), 'audit', 'mydatabase', '--fix', '--dry-run'], env);
    expect(r.code).toBe(6);
    expect(actions(t.server.requests)).not.toContain('ModifyDBInstance');
    expect(r.stdout).toMatch(/RDS\.8\s+DeletionProtection=true/);
    expect(r.stdout).toMatch(/^Audit log, an option group change, no restart \(--fix applies it\):\n\s+RDSCTL\.AUDIT-LOG\s+rdsctl audit-log enable mydatabase$/m);
    expect(r.stdout).toMatch(/RDS\.3\s+not by a modify: snapshot, copy with a KMS key, restore/);
    expect(r.stdout).toMatch(/RDS\.1\s+aws rds modify-db-snapshot-attribute\s+--db-snapshot-identifier\s+manual-snapshot1/);
  });

  it('--fix --yes sends one ModifyDBInstance per fix, ApplyImmediately, DeletionProtection among them; then the audit log as audit-log enable does', async () => {
    t.server.routes({
      ...MYDATABASE, ModifyDBInstance: { file: 'rds/modify-db-instance.xml' },
      // The audit's look at the default group, audit-log's look for mydatabase-audit (none yet), the second audit's look.
      DescribeOptionGroups: [MYDATABASE.DescribeOptionGroups, { file: 'rds/errors/option-group-not-found.xml', status: 404 }, MYDATABASE.DescribeOptionGroups],
      CreateOptionGroup: { file: 'rds/create-option-group-mydatabase-audit.xml' },
      ModifyOptionGroup: { file: 'rds/modify-option-group-mydatabase-audit.xml' },
    });
    const r = await runRdsctl([...aws(), 'audit', 'mydatabase', '--fix', '--yes', '--json'], env);
    expect(r.code).toBe(6); // the description replayed afterwards is unchanged: still failing
    const mods = t.server.requests.filter((q) => q.params.Action === 'ModifyDBInstance').map((q) => q.params);
    expect(mods).toContainEqual({ Action: 'ModifyDBInstance', Version: '2014-10-31', DBInstanceIdentifier: 'mydatabase', ApplyImmediately: 'true', DeletionProtection: 'true' });
    expect(mods.map((m) => Object.keys(m).filter((k) => !['Action', 'Version', 'DBInstanceIdentifier', 'ApplyImmediately'].includes(k)))).toEqual([
      ['PubliclyAccessible'], ['MultiAZ'], ['DeletionProtection'], ['CloudwatchLogsExportConfiguration.EnableLogTypes.member.1', 'CloudwatchLogsExportConfiguration.EnableLogTypes.member.2', 'CloudwatchLogsExportConfiguration.EnableLogTypes.member.3', 'CloudwatchLogsExportConfiguration.EnableLogTypes.member.4'], ['EnableIAMDatabaseAuthentication'], ['CopyTagsToSnapshot'], ['OptionGroupName'],
    ]);
    expect(mods.at(-1)).toMatchObject({ OptionGroupName: 'mydatabase-audit' });
    const og = t.server.requests.filter((q) => ['CreateOptionGroup', 'ModifyOptionGroup'].includes(q.params.Action));
    expect(og.map((q) => [q.params.Action, q.params.OptionGroupName])).toEqual([['CreateOptionGroup', 'mydatabase-audit'], ['ModifyOptionGroup', 'mydatabase-audit']]);
    expect(og[1]!.params['OptionsToInclude.OptionConfiguration.1.OptionName']).toBe('MARIADB_AUDIT_PLUGIN');
    const applied = oneJsonDoc(r.stdout).data.applied;
    expect(applied.every((a: { ok: boolean }) => a.ok)).toBe(true);
    expect(applied.at(-1)).toMatchObject({ control: 'RDSCTL.AUDIT-LOG', field: 'OptionGroup mydatabase-audit: MARIADB_AUDIT_PLUGIN' });
  });
});
