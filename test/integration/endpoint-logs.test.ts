import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateDBInstanceCommand, CreateDBParameterGroupCommand, DescribeDBLogFilesCommand, DownloadDBLogFilePortionCommand, ModifyDBParameterGroupCommand,
} from '@aws-sdk/client-rds';
import { instancePaths } from '../../src/local/engine/paths.js';
import { connect, startHarness, waitAvailable, waitFor, type Harness } from './endpoint-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('ep-logs');
});
afterAll(async () => {
  await h?.close();
});

const download = (LogFileName: string, Marker?: string, NumberOfLines?: number) =>
  h.rds.send(new DownloadDBLogFilePortionCommand({ DBInstanceIdentifier: 'logs1', LogFileName, Marker, NumberOfLines }));

describe('DB log files on the local endpoint', () => {
  it('lists and pages the error, slow and general logs under RDS MariaDB\'s names', async () => {
    await h.rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: 'logging', DBParameterGroupFamily: 'mariadb10.11', Description: 'logs' }));
    await h.rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'logs1', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
      MasterUsername: 'admin', MasterUserPassword: 'Logs-test-pass1', DBParameterGroupName: 'logging',
    }));
    await waitAvailable(h, 'logs1');
    const before = await h.rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'logs1' }));
    expect(before.DescribeDBLogFiles?.map((f) => f.LogFileName)).toEqual(['error/mysql-error.log']);
    await expect(download('slowquery/mysql-slowquery.log')).rejects.toMatchObject({ name: 'DBLogFileNotFoundFault' });

    // The master user cannot turn the slow log on (no SUPER); the parameter group can.
    await h.rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: 'logging', Parameters: [
      { ParameterName: 'slow_query_log', ParameterValue: '1', ApplyMethod: 'immediate' },
      { ParameterName: 'long_query_time', ParameterValue: '0', ApplyMethod: 'immediate' },
      { ParameterName: 'general_log', ParameterValue: '1', ApplyMethod: 'immediate' },
    ] }));
    await waitFor(h, 'logs1', (db) => db.DBParameterGroups?.[0]?.ParameterApplyStatus === 'in-sync', 'in-sync');
    const conn = await connect(h.home, 'logs1');
    for (let i = 0; i < 40; i++) await conn.query(`SELECT ${i} AS marker_${i}`);
    await conn.end();

    const files = (await h.rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'logs1' }))).DescribeDBLogFiles!;
    expect(files.map((f) => f.LogFileName)).toEqual(['error/mysql-error.log', 'slowquery/mysql-slowquery.log', 'general/mysql-general.log']);
    for (const f of files) expect(f.Size).toBeGreaterThan(0);
    const slowOnly = await h.rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'logs1', FilenameContains: 'slow' }));
    expect(slowOnly.DescribeDBLogFiles?.map((f) => f.LogFileName)).toEqual(['slowquery/mysql-slowquery.log']);

    const error = await download('error/mysql-error.log');
    expect(error.LogFileData).toContain('ready for connections');
    const tail = await download('slowquery/mysql-slowquery.log', undefined, 5);
    expect(tail.LogFileData!.trimEnd().split('\n')).toHaveLength(5);
    expect(tail.AdditionalDataPending).toBe(false);

    // Paging from the start in blocks of 7 lines gives the whole file, in order.
    let marker = '0';
    let text = '';
    let pages = 0;
    for (;;) {
      const part = await download('slowquery/mysql-slowquery.log', marker, 7);
      text += part.LogFileData ?? '';
      pages++;
      marker = part.Marker!;
      if (!part.AdditionalDataPending) break;
    }
    expect(pages).toBeGreaterThan(3);
    const onDisk = fs.readFileSync(`${instancePaths(h.home, 'logs1').datadir}/mysql-slowquery.log`, 'utf8');
    expect(text.length).toBeGreaterThan(0);
    expect(onDisk.startsWith(text)).toBe(true);
    expect(text).toContain('SELECT 39 AS marker_39');
    const general = await download('general/mysql-general.log', '0', 10_000);
    expect(general.LogFileData).toContain('SELECT 12 AS marker_12');

    await expect(download('audit/server_audit.log')).rejects.toMatchObject({ name: 'DBLogFileNotFoundFault' });
    await expect(h.rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: 'nope' }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
  }, 300_000);
});
