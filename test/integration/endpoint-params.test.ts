import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateDBInstanceCommand, CreateDBParameterGroupCommand, DeleteDBInstanceCommand, DeleteDBParameterGroupCommand,
  DescribeDBParameterGroupsCommand, DescribeDBParametersCommand, DescribeEngineDefaultParametersCommand,
  ModifyDBInstanceCommand, ModifyDBParameterGroupCommand, RebootDBInstanceCommand, ResetDBParameterGroupCommand,
  waitUntilDBInstanceDeleted, type Parameter,
} from '@aws-sdk/client-rds';
import { connect, describe1, startHarness, waitAvailable, waitFor, type Harness } from './endpoint-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('ep-params');
});
afterAll(async () => {
  await h?.close();
});

/** What `SELECT @@GLOBAL.x` says on the instance, as the master user sees it over TLS. */
async function globalVar(id: string, name: string): Promise<string> {
  const conn = await connect(h.home, id);
  try {
    const [rows] = await conn.query(`SELECT @@GLOBAL.${name} AS v`);
    return String((rows as { v: unknown }[])[0].v);
  } finally {
    await conn.end();
  }
}

async function userValues(group: string): Promise<Record<string, string | undefined>> {
  const out = await h.rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: group, Source: 'user' }));
  return Object.fromEntries((out.Parameters ?? []).map((p) => [p.ParameterName!, p.ParameterValue]));
}

const modify = (group: string, ...params: Parameter[]) =>
  h.rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: group, Parameters: params }));
const applyStatus = (db: Awaited<ReturnType<typeof describe1>>) => db.DBParameterGroups?.[0]?.ParameterApplyStatus;

describe('DB parameter groups on the local endpoint', () => {
  it('lists the default group, pages the catalogue and refuses bad input with AWS\'s errors, changing nothing', async () => {
    const groups = await h.rds.send(new DescribeDBParameterGroupsCommand({}));
    expect(groups.DBParameterGroups?.map((g) => g.DBParameterGroupName)).toEqual(['default.mariadb10.11']);
    await expect(modify('default.mariadb10.11', { ParameterName: 'max_connections', ParameterValue: '50' })).rejects.toMatchObject({ name: 'InvalidParameterValue' });

    const created = await h.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'Tuned', DBParameterGroupFamily: 'mariadb10.11', Description: 'peak load' }));
    expect(created.DBParameterGroup).toMatchObject({ DBParameterGroupName: 'tuned', DBParameterGroupFamily: 'mariadb10.11', DBParameterGroupArn: expect.stringMatching(/:pg:tuned$/) });
    await expect(h.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'tuned', DBParameterGroupFamily: 'mariadb10.11', Description: 'x' })))
      .rejects.toMatchObject({ name: 'DBParameterGroupAlreadyExistsFault' });
    await expect(h.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'old', DBParameterGroupFamily: 'mysql8.0', Description: 'x' })))
      .rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(h.rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: 'nope' }))).rejects.toMatchObject({ name: 'DBParameterGroupNotFoundFault' });

    // Paging: MaxRecords=20 gives a Marker, and the pages together are the whole catalogue, each once.
    const first = await h.rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: 'tuned', MaxRecords: 20 }));
    expect(first.Parameters).toHaveLength(20);
    expect(first.Marker).toBeDefined();
    const names = first.Parameters!.map((p) => p.ParameterName);
    let marker = first.Marker;
    while (marker) {
      const next = await h.rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: 'tuned', MaxRecords: 20, Marker: marker }));
      names.push(...next.Parameters!.map((p) => p.ParameterName));
      marker = next.Marker;
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['innodb_buffer_pool_size', 'slow_query_log', 'performance_schema', 'datadir']));
    const all = (await h.rds.send(new DescribeEngineDefaultParametersCommand({ DBParameterGroupFamily: 'mariadb10.11', MaxRecords: 100 }))).EngineDefaults!.Parameters!;
    expect(all.find((p) => p.ParameterName === 'innodb_buffer_pool_size')).toMatchObject({ ParameterValue: '{DBInstanceClassMemory*3/4}', ApplyType: 'dynamic', IsModifiable: true, Source: 'engine-default', DataType: 'integer' });
    expect(all.find((p) => p.ParameterName === 'performance_schema')).toMatchObject({ ApplyType: 'static', AllowedValues: '0,1' });
    expect(all.find((p) => p.ParameterName === 'datadir')).toMatchObject({ IsModifiable: false, Source: 'system' });

    const bad: [Parameter, string][] = [
      [{ ParameterName: 'max_connections', ParameterValue: '0' }, 'InvalidParameterValue'],
      [{ ParameterName: 'log_output', ParameterValue: 'SYSLOG' }, 'InvalidParameterValue'],
      [{ ParameterName: 'datadir', ParameterValue: '/tmp' }, 'InvalidParameterValue'],
      [{ ParameterName: 'server_id', ParameterValue: '7' }, 'InvalidParameterValue'],
      [{ ParameterName: 'no_such_thing', ParameterValue: '1' }, 'InvalidParameterValue'],
      [{ ParameterName: 'performance_schema', ParameterValue: '1', ApplyMethod: 'immediate' }, 'InvalidParameterCombination'],
    ];
    for (const [p, code] of bad) {
      // A valid member next to the bad one must not be stored either.
      await expect(modify('tuned', { ParameterName: 'wait_timeout', ParameterValue: '60' }, p), p.ParameterName).rejects.toMatchObject({ name: code });
    }
    expect(await userValues('tuned')).toEqual({});
  });

  it('starts an instance with the group, sets dynamic values live, static ones at the reboot, and resets', async () => {
    // A formula, evaluated for db.t4g.micro (1 GiB): 1073741824 / 12582880 = 85.
    await modify('tuned', { ParameterName: 'max_connections', ParameterValue: '{DBInstanceClassMemory/12582880}' });
    await h.rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'pg1', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
      MasterUsername: 'admin', MasterUserPassword: 'Params-test-pass1', DBParameterGroupName: 'tuned',
    }));
    await waitAvailable(h, 'pg1');
    expect((await describe1(h, 'pg1')).DBParameterGroups).toEqual([{ DBParameterGroupName: 'tuned', ParameterApplyStatus: 'in-sync' }]);
    expect(await globalVar('pg1', 'max_connections')).toBe('85');

    // Dynamic, immediate: set by the control plane on the running server (the master user has no SUPER).
    await modify('tuned', { ParameterName: 'long_query_time', ParameterValue: '0.5' }, { ParameterName: 'slow_query_log', ParameterValue: 'ON' }, { ParameterName: 'sql_mode', ParameterValue: 'STRICT_TRANS_TABLES,NO_ZERO_DATE' });
    await waitFor(h, 'pg1', (db) => applyStatus(db) === 'in-sync', 'in-sync after the dynamic change');
    expect(await globalVar('pg1', 'long_query_time')).toBe('0.5');
    expect(await globalVar('pg1', 'slow_query_log')).toBe('1');
    expect(await globalVar('pg1', 'sql_mode')).toBe('STRICT_TRANS_TABLES,NO_ZERO_DATE');
    expect(await userValues('tuned')).toMatchObject({ slow_query_log: '1', long_query_time: '0.5', max_connections: '{DBInstanceClassMemory/12582880}' });

    // Static: pending-reboot until the reboot, then the server has it.
    await modify('tuned', { ParameterName: 'innodb_log_file_size', ParameterValue: '67108864', ApplyMethod: 'pending-reboot' });
    expect(applyStatus(await describe1(h, 'pg1'))).toBe('pending-reboot');
    expect(await globalVar('pg1', 'innodb_log_file_size')).toBe('50331648');
    await expect(h.rds.send(new DeleteDBParameterGroupCommand({ DBParameterGroupName: 'tuned' }))).rejects.toMatchObject({ name: 'InvalidDBParameterGroupStateFault' });
    await h.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'pg1' }));
    await waitAvailable(h, 'pg1');
    expect(applyStatus(await describe1(h, 'pg1'))).toBe('in-sync');
    expect(await globalVar('pg1', 'innodb_log_file_size')).toBe('67108864');
    expect(await globalVar('pg1', 'long_query_time')).toBe('0.5');

    // Reset a dynamic one immediately: back to the server's value at once.
    await h.rds.send(new ResetDBParameterGroupCommand({ DBParameterGroupName: 'tuned', Parameters: [{ ParameterName: 'long_query_time', ApplyMethod: 'immediate' }] }));
    await waitFor(h, 'pg1', (db) => applyStatus(db) === 'in-sync', 'in-sync after the reset');
    expect(await globalVar('pg1', 'long_query_time')).toBe('10');
    expect(Object.keys(await userValues('tuned')).sort()).toEqual(['innodb_log_file_size', 'max_connections', 'slow_query_log', 'sql_mode']);

    // Back to the default group: applies at the next reboot, as on RDS.
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'pg1', DBParameterGroupName: 'default.mariadb10.11' }));
    expect((await describe1(h, 'pg1')).DBParameterGroups).toEqual([{ DBParameterGroupName: 'default.mariadb10.11', ParameterApplyStatus: 'pending-reboot' }]);
    await expect(h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'pg1', DBParameterGroupName: 'missing' }))).rejects.toMatchObject({ name: 'DBParameterGroupNotFoundFault' });

    await h.rds.send(new ResetDBParameterGroupCommand({ DBParameterGroupName: 'tuned', ResetAllParameters: true }));
    expect(await userValues('tuned')).toEqual({});
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'pg1', SkipFinalSnapshot: true }));
    await waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 120, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: 'pg1' });
    await h.rds.send(new DeleteDBParameterGroupCommand({ DBParameterGroupName: 'tuned' }));
    await expect(h.rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: 'tuned' }))).rejects.toMatchObject({ name: 'DBParameterGroupNotFoundFault' });
  }, 300_000);
});
