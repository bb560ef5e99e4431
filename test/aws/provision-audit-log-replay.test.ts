import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// provision --audit-log on the aws target: the option group first (as rdsctl audit-log enable makes it),
// then CreateDBInstance on it; a refused create removes the group it made. Documented responses replayed
// over HTTP (fixtures/aws/README.md) to the real CLI and SDK.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const env = () => ({ ...t.env, RDSCTL_MASTER_PASSWORD: 'Sup3r-secret-pw!42' });
const provision = (...more: string[]) => runRdsctl([...t.awsArgs(), 'provision', 'myawsuser-dbi01', '--class', 'db.t4g.micro', '--engine-version', '8.0.35', '--no-wait', '--audit-log', ...more], env());
const actions = (reqs: RecordedRequest[]) => reqs.map((r) => r.params.Action);
const OG_NOT_FOUND = { file: 'rds/errors/option-group-not-found.xml', status: 404 };
const GROUP_CALLS = { DescribeOptionGroups: OG_NOT_FOUND, CreateOptionGroup: { file: 'rds/create-option-group-mydatabase-audit.xml' }, ModifyOptionGroup: { file: 'rds/modify-option-group-mydatabase-audit.xml' } };

describe('provision --audit-log --target aws (replayed)', () => {
  it('creates myawsuser-dbi01-audit with MARIADB_AUDIT_PLUGIN, then the instance on it', async () => {
    t.server.routes({ ...GROUP_CALLS, CreateDBInstance: { file: 'rds/create-db-instance.xml' } });
    const r = await provision('--audit-events', 'CONNECT,QUERY_DCL', '--json');
    expect(r.code, r.stderr).toBe(0);
    const reqs = t.server.requests;
    expect(actions(reqs)).toEqual(['DescribeOptionGroups', 'CreateOptionGroup', 'ModifyOptionGroup', 'CreateDBInstance']);
    expect(reqs[1]!.params).toMatchObject({ OptionGroupName: 'myawsuser-dbi01-audit', EngineName: 'mysql', MajorEngineVersion: '8.0' });
    expect(reqs[2]!.params).toMatchObject({
      OptionGroupName: 'myawsuser-dbi01-audit', 'OptionsToInclude.OptionConfiguration.1.OptionName': 'MARIADB_AUDIT_PLUGIN',
      'OptionsToInclude.OptionConfiguration.1.OptionSettings.OptionSetting.1.Value': 'CONNECT,QUERY_DCL',
    });
    expect(reqs[3]!.params).toMatchObject({ DBInstanceIdentifier: 'myawsuser-dbi01', OptionGroupName: 'myawsuser-dbi01-audit' });
    expect(oneJsonDoc(r.stdout).data.auditLog).toMatchObject({ optionGroup: 'myawsuser-dbi01-audit', createsGroup: true, events: 'CONNECT,QUERY_DCL' });
  });

  it('--dry-run reads only; a refused CreateDBInstance deletes the group it made (nothing left behind)', async () => {
    t.server.routes({ DescribeOptionGroups: OG_NOT_FOUND });
    const dry = await provision('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('  - create option group myawsuser-dbi01-audit (mysql 8.0)');
    expect(actions(t.server.requests)).toEqual(['DescribeOptionGroups']);

    t.server.routes({
      ...GROUP_CALLS, CreateDBInstance: { file: 'rds/errors/db-parameter-group-not-found.xml', status: 404 }, DeleteOptionGroup: { file: 'rds/delete-option-group.xml' },
    });
    const r = await provision('--parameter-group', 'nosuchgroup');
    expect(r.code).toBe(4);
    expect(actions(t.server.requests)).toEqual(['DescribeOptionGroups', 'CreateOptionGroup', 'ModifyOptionGroup', 'CreateDBInstance', 'DeleteOptionGroup']);
    expect(t.server.requests.at(-1)!.params).toMatchObject({ OptionGroupName: 'myawsuser-dbi01-audit' });
  });
});
