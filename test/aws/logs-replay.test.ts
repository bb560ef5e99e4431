import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';

// rdsctl logs --list / --file on the aws target: DescribeDBLogFiles followed through its Marker, and a
// rotated audit file read by the name RDS lists (fixtures/aws/README.md), replayed over HTTP.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const rdsctl = (...args: string[]) => runRdsctl([...t.awsArgs(), ...args], t.env);
const f = (name: string) => ({ file: `rds/${name}.xml` });
const calls = (action: string) => t.server.requests.filter((r: RecordedRequest) => r.params.Action === action).map((r) => r.params);

describe('logs --target aws (replayed)', () => {
  it('--list follows the Marker and lists the rotated audit files; --file reads one by that name', async () => {
    t.server.routes({
      DescribeDBInstances: f('describe-db-instances-mydatabase'),
      DescribeDBLogFiles: [f('describe-db-log-files-mydatabase-page1'), f('describe-db-log-files-mydatabase-page2')],
      DownloadDBLogFilePortion: f('download-db-log-file-portion-audit-tail'),
    });
    const r = await rdsctl('logs', 'mydatabase', '--list', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(oneJsonDoc(r.stdout).data.LogFiles.map((x: { LogFileName: string; Size: number }) => [x.LogFileName, x.Size])).toEqual([
      ['error/mysql-error.log', 2048], ['audit/server_audit.log', 901862], ['audit/server_audit.log.1', 1000159], ['audit/server_audit.log.2', 1000011],
    ]);
    expect(calls('DescribeDBLogFiles').map((p) => p.Marker)).toEqual([undefined, '2:audit/server_audit.log']);

    const read = await rdsctl('logs', 'mydatabase', '--file', 'audit/server_audit.log.1', '-n', '50');
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain('FAILED_CONNECT');
    expect(calls('DownloadDBLogFilePortion')).toEqual([expect.objectContaining({ DBInstanceIdentifier: 'mydatabase', LogFileName: 'audit/server_audit.log.1', NumberOfLines: '50' })]);
  });
});
