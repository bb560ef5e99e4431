import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// rdsctl audit-log on the aws target: what the real CLI and SDK send (option group calls, then the
// instance's move), against documented responses (fixtures/aws/README.md) replayed over HTTP.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const rdsctl = (...args: string[]) => runRdsctl([...t.awsArgs(), ...args], t.env);
const actions = (reqs: RecordedRequest[]) => reqs.map((r) => r.params.Action);
const f = (name: string) => ({ file: `rds/${name}.xml` });
const params = (req: RecordedRequest) => {
  const { Action, Version, ...rest } = req.params;
  return rest;
};
const OG_NOT_FOUND = { file: 'rds/errors/option-group-not-found.xml', status: 404 };

describe('audit-log --target aws (replayed)', () => {
  it('enable on the default group: creates <id>-audit, adds MARIADB_AUDIT_PLUGIN, moves the instance, waits for in-sync', async () => {
    t.server.routes({
      DescribeDBInstances: [f('describe-db-instances-mydatabase'), f('describe-db-instances-mydatabase'), f('describe-db-instances-mydatabase-audit')],
      DescribeOptionGroups: OG_NOT_FOUND,
      CreateOptionGroup: f('create-option-group-mydatabase-audit'),
      ModifyOptionGroup: f('modify-option-group-mydatabase-audit'),
      ModifyDBInstance: f('modify-db-instance'),
    });
    const r = await rdsctl('audit-log', 'enable', 'mydatabase', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data.plan).toMatchObject({ optionGroup: 'mydatabase-audit', createsGroup: true, restarts: false });
    const reqs = t.server.requests;
    expect(actions(reqs)).toEqual(['DescribeDBInstances', 'DescribeOptionGroups', 'DescribeDBInstances', 'CreateOptionGroup', 'ModifyOptionGroup', 'ModifyDBInstance', 'DescribeDBInstances']);
    expect(params(reqs[3]!)).toEqual({ OptionGroupName: 'mydatabase-audit', EngineName: 'mysql', MajorEngineVersion: '5.6', OptionGroupDescription: 'Audit log of mydatabase (rdsctl audit-log)' });
    expect(params(reqs[4]!)).toEqual({
      OptionGroupName: 'mydatabase-audit', ApplyImmediately: 'true',
      'OptionsToInclude.OptionConfiguration.1.OptionName': 'MARIADB_AUDIT_PLUGIN',
      'OptionsToInclude.OptionConfiguration.1.OptionSettings.OptionSetting.1.Name': 'SERVER_AUDIT_EVENTS',
      'OptionsToInclude.OptionConfiguration.1.OptionSettings.OptionSetting.1.Value': 'CONNECT,QUERY_DDL,QUERY_DCL',
    });
    expect(params(reqs[5]!)).toEqual({ DBInstanceIdentifier: 'mydatabase', OptionGroupName: 'mydatabase-audit', ApplyImmediately: 'true' });
  });

  it('enable --dry-run sends only Describe calls; disable removes the option from the group', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-mydatabase'), DescribeOptionGroups: OG_NOT_FOUND });
    const dry = await rdsctl('audit-log', 'enable', 'mydatabase', '--events', 'connect,query_ddl', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('add MARIADB_AUDIT_PLUGIN with SERVER_AUDIT_EVENTS=CONNECT,QUERY_DDL to mydatabase-audit');
    expect(dry.stdout).toContain('Nothing restarts');
    expect(actions(t.server.requests).every((a) => a.startsWith('Describe'))).toBe(true);

    t.server.routes({
      DescribeDBInstances: f('describe-db-instances-mydatabase-audit'),
      DescribeOptionGroups: f('describe-option-groups-mydatabase-audit'),
      ModifyOptionGroup: f('modify-option-group-mydatabase-audit-removed'),
    });
    const off = await rdsctl('audit-log', 'disable', 'mydatabase', '--json');
    expect(off.code, off.stderr).toBe(0);
    expect(oneJsonDoc(off.stdout).data).toMatchObject({ changed: true, optionGroup: 'mydatabase-audit' });
    const mod = t.server.requests.find((q) => q.params.Action === 'ModifyOptionGroup')!;
    expect(params(mod)).toEqual({ OptionGroupName: 'mydatabase-audit', ApplyImmediately: 'true', 'OptionsToRemove.member.1': 'MARIADB_AUDIT_PLUGIN' });
  });

  it('logs --audit asks DownloadDBLogFilePortion for audit/server_audit.log; not there yet: exit 4 and how to turn it on', async () => {
    t.server.routes({ DescribeDBInstances: f('describe-db-instances-mydatabase'), DownloadDBLogFilePortion: { file: 'rds/errors/db-log-file-not-found.xml', status: 404 } });
    const r = await rdsctl('logs', 'mydatabase', '--audit', '--json');
    expect(r.code).toBe(4);
    expect(oneJsonDoc(r.stdout).error).toMatchObject({ code: 'LOG_FILE_NOT_FOUND', hint: expect.stringContaining('rdsctl audit-log enable mydatabase') });
    const dl = t.server.requests.find((q) => q.params.Action === 'DownloadDBLogFilePortion')!;
    expect(dl.params.LogFileName).toBe('audit/server_audit.log');
  });
});
