import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// rdsctl params on the aws target: documented RDS responses (fixtures/aws/README.md) replayed over HTTP to
// the real CLI and SDK; what a DBA sees, and exactly what is sent.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const GROUP = 'mydbparametergroup01';
const call = (r: RecordedRequest) => {
  const { Version, ...rest } = r.params;
  return rest;
};
const PAGES = [{ file: 'rds/describe-db-parameters-mydbparametergroup01-page1.xml' }, { file: 'rds/describe-db-parameters-mydbparametergroup01-page2.xml' }];
const DESCRIBE_BOTH_PAGES = [
  { Action: 'DescribeDBParameters', DBParameterGroupName: GROUP, MaxRecords: '100' },
  { Action: 'DescribeDBParameters', DBParameterGroupName: GROUP, MaxRecords: '100', Marker: 'bG9uZ19xdWVyeV90aW1l' },
];

describe('rdsctl params --target aws (replayed)', () => {
  it('params lists the groups (DescribeDBParameterGroups)', async () => {
    t.server.routes({ DescribeDBParameterGroups: { file: 'rds/describe-db-parameter-groups.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'params'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/default\.mysql5\.6\s+mysql5\.6\s+Default parameter group for mysql5\.6/);
    expect(r.stdout.match(/^default\./gm)).toHaveLength(3);
    expect(t.server.requests.map(call)).toEqual([{ Action: 'DescribeDBParameterGroups', MaxRecords: '100' }]);
  });

  it('params create sends the family and description; a taken name is exit 5', async () => {
    t.server.routes({ CreateDBParameterGroup: { file: 'rds/create-db-parameter-group.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'params', 'create', 'mydbparamgroup3', '--family', 'mysql5.1', '--description', 'My new DB Parameter Group'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Created parameter group mydbparamgroup3 (mysql5.1).');
    expect(t.server.requests.map(call)).toEqual([{ Action: 'CreateDBParameterGroup', DBParameterGroupName: 'mydbparamgroup3', DBParameterGroupFamily: 'mysql5.1', Description: 'My new DB Parameter Group' }]);

    t.server.routes({ CreateDBParameterGroup: { file: 'rds/errors/db-parameter-group-already-exists.xml', status: 400 } });
    const taken = await runRdsctl([...t.awsArgs(), 'params', 'create', 'mydbparamgroup3', '--json'], t.env);
    expect(taken.code).toBe(5);
    expect(oneJsonDoc(taken.stdout).error).toMatchObject({ code: 'PARAMETER_GROUP_EXISTS', awsName: 'DBParameterGroupAlreadyExistsFault' });
  });

  it('params <group> list follows the Marker to the last page', async () => {
    t.server.routes({ DescribeDBParameters: PAGES });
    const r = await runRdsctl([...t.awsArgs(), 'params', GROUP, 'list', '--json'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data.Parameters.map((p: { ParameterName: string }) => p.ParameterName)).toEqual(['basedir', 'log_output', 'long_query_time', 'slow_query_log']);
    expect(t.server.requests.map(call)).toEqual(DESCRIBE_BOTH_PAGES);
  });

  it('params <group> set: the plan reads every page, then one ModifyDBParameterGroup; a fixed parameter is refused before any change', async () => {
    t.server.routes({ DescribeDBParameters: PAGES, ModifyDBParameterGroup: { file: 'rds/modify-db-parameter-group.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'params', GROUP, 'set', 'long_query_time=1', 'slow_query_log=1'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${GROUP}: changed 2 parameters.`);
    expect(t.server.requests.map(call)).toEqual([...DESCRIBE_BOTH_PAGES, {
      Action: 'ModifyDBParameterGroup', DBParameterGroupName: GROUP,
      'Parameters.Parameter.1.ParameterName': 'long_query_time', 'Parameters.Parameter.1.ParameterValue': '1', 'Parameters.Parameter.1.ApplyMethod': 'immediate',
      'Parameters.Parameter.2.ParameterName': 'slow_query_log', 'Parameters.Parameter.2.ParameterValue': '1', 'Parameters.Parameter.2.ApplyMethod': 'immediate',
    }]);

    t.server.routes({ DescribeDBParameters: PAGES, ModifyDBParameterGroup: { file: 'rds/modify-db-parameter-group.xml' } });
    const fixed = await runRdsctl([...t.awsArgs(), 'params', GROUP, 'set', 'basedir=/tmp'], t.env);
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toMatch(/error: basedir cannot be modified/);
    expect(t.server.requests.map((q) => q.params.Action)).not.toContain('ModifyDBParameterGroup');
  });

  it('params <group> reset resets only user values (ResetDBParameterGroup)', async () => {
    t.server.routes({ DescribeDBParameters: PAGES, ResetDBParameterGroup: { file: 'rds/reset-db-parameter-group.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'params', GROUP, 'reset'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(t.server.requests.map(call)).toEqual([...DESCRIBE_BOTH_PAGES, {
      Action: 'ResetDBParameterGroup', DBParameterGroupName: GROUP,
      'Parameters.Parameter.1.ParameterName': 'long_query_time', 'Parameters.Parameter.1.ApplyMethod': 'immediate',
    }]);
  });

  it('params delete asks (--yes), sends DeleteDBParameterGroup; in use is exit 5; an unknown group is exit 4', async () => {
    t.server.routes({ DeleteDBParameterGroup: { file: 'rds/delete-db-parameter-group.xml' } });
    const noYes = await runRdsctl([...t.awsArgs(), 'params', 'delete', 'mydbparamgroup3'], t.env);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/Delete parameter group mydbparamgroup3\? needs confirmation/);
    expect(t.server.requests).toEqual([]);
    const r = await runRdsctl([...t.awsArgs(), 'params', 'delete', 'mydbparamgroup3', '--yes'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Deleted parameter group mydbparamgroup3.');
    expect(t.server.requests.map(call)).toEqual([{ Action: 'DeleteDBParameterGroup', DBParameterGroupName: 'mydbparamgroup3' }]);

    t.server.routes({ DeleteDBParameterGroup: { file: 'rds/errors/invalid-db-parameter-group-state.xml', status: 400 } });
    const inUse = await runRdsctl([...t.awsArgs(), 'params', 'delete', GROUP, '--yes', '--json'], t.env);
    expect(inUse.code).toBe(5);
    expect(oneJsonDoc(inUse.stdout).error.code).toBe('PARAMETER_GROUP_IN_USE');

    t.server.routes({ DescribeDBParameters: { file: 'rds/errors/db-parameter-group-not-found.xml', status: 404 } });
    const missing = await runRdsctl([...t.awsArgs(), 'params', 'nosuchgroup', 'list'], t.env);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/DBParameterGroup not found: nosuchgroup/);
  });
});
