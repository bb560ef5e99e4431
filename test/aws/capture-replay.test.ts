import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, oneJsonDoc, runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget, type RecordedRequest } from '../helpers/cli-replay-server.js';
import { startMariadb, type TestMariadb } from '../helpers/mariadb.js';

// analyze-queries <id> --capture on the aws target: documented RDS responses (fixtures/aws/README.md)
// replayed over HTTP to the real CLI and SDK; the requests it sends are the test, the restore included.
// The captured statements are EXPLAINed on a real mariadbd given with --dsn (RDS itself is never reached).
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
let db: TestMariadb;
const ID = 'myawsuser-dbi04';
const GROUP = 'mydbparametergroup01';
const dsn = () => `mysql://root@localhost/shop?socket=${encodeURIComponent(db.socketPath)}`;

beforeAll(async () => {
  db = await startMariadb();
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection(db.connectOptions());
  await conn.query('CREATE DATABASE shop');
  await conn.query('CREATE TABLE shop.orders (id INT PRIMARY KEY, customer_id INT, status VARCHAR(16), total INT, created_at DATETIME)');
  await conn.end();
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

const call = (r: RecordedRequest) => {
  const { Version, ...rest } = r.params;
  return rest;
};

const ROUTES = {
  DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-custom-pg.xml' },
  DescribeDBParameters: [{ file: 'rds/describe-db-parameters-mydbparametergroup01-page1.xml' }, { file: 'rds/describe-db-parameters-mydbparametergroup01-page2.xml' }],
  ModifyDBParameterGroup: { file: 'rds/modify-db-parameter-group.xml' },
  ResetDBParameterGroup: { file: 'rds/reset-db-parameter-group.xml' },
  DownloadDBLogFilePortion: [
    { file: 'rds/download-db-log-file-portion-slow-tail.xml' }, { file: 'rds/download-db-log-file-portion-slow-page1.xml' }, { file: 'rds/download-db-log-file-portion-slow-page2.xml' },
  ],
};

// What the capture sets, in the SDK's Query encoding; what it puts back: the user value set again, the rest reset.
const SET = {
  Action: 'ModifyDBParameterGroup', DBParameterGroupName: GROUP,
  'Parameters.Parameter.1.ParameterName': 'slow_query_log', 'Parameters.Parameter.1.ParameterValue': '1', 'Parameters.Parameter.1.ApplyMethod': 'immediate',
  'Parameters.Parameter.2.ParameterName': 'long_query_time', 'Parameters.Parameter.2.ParameterValue': '0', 'Parameters.Parameter.2.ApplyMethod': 'immediate',
  'Parameters.Parameter.3.ParameterName': 'log_output', 'Parameters.Parameter.3.ParameterValue': 'FILE', 'Parameters.Parameter.3.ApplyMethod': 'immediate',
};
const SET_BACK = {
  Action: 'ModifyDBParameterGroup', DBParameterGroupName: GROUP,
  'Parameters.Parameter.1.ParameterName': 'long_query_time', 'Parameters.Parameter.1.ParameterValue': '2', 'Parameters.Parameter.1.ApplyMethod': 'immediate',
};
const RESET = {
  Action: 'ResetDBParameterGroup', DBParameterGroupName: GROUP,
  'Parameters.Parameter.1.ParameterName': 'slow_query_log', 'Parameters.Parameter.1.ApplyMethod': 'immediate',
  'Parameters.Parameter.2.ParameterName': 'log_output', 'Parameters.Parameter.2.ApplyMethod': 'immediate',
};

describe('analyze-queries --capture --target aws (replayed)', () => {
  it('sets the slow-log parameters, downloads only what the log gained (Marker paging), restores them, and analyzes the capture', async () => {
    t.server.routes(ROUTES);
    const r = await runRdsctl([...t.awsArgs(), 'analyze-queries', ID, '--capture', '2s', '--yes', '--dsn', dsn(), '--json'], t.env);
    expect(r.code, r.stderr + r.stdout.slice(0, 1500)).toBe(0);
    const data = oneJsonDoc(r.stdout).data;
    expect(data.capture).toMatchObject({ seconds: 2, parameterGroup: GROUP, restored: [
      { name: 'slow_query_log', action: 'reset' }, { name: 'long_query_time', action: 'set', value: '2' }, { name: 'log_output', action: 'reset', shown: 'TABLE' },
    ] });
    expect(data.workload).toMatchObject({ events: 3 });
    expect(JSON.stringify(data)).toContain('customer_id');
    const sent = t.server.requests.map(call);
    expect(sent).toEqual([
      { Action: 'DescribeDBInstances', DBInstanceIdentifier: ID },
      { Action: 'DescribeDBParameters', DBParameterGroupName: GROUP, MaxRecords: '100' },
      { Action: 'DescribeDBParameters', DBParameterGroupName: GROUP, MaxRecords: '100', Marker: 'bG9uZ19xdWVyeV90aW1l' },
      SET,
      { Action: 'DescribeDBInstances', DBInstanceIdentifier: ID },
      // Where the slow log ends at the start: the last line's Marker; then only what follows it.
      { Action: 'DownloadDBLogFilePortion', DBInstanceIdentifier: ID, LogFileName: 'slowquery/mysql-slowquery.log', NumberOfLines: '1' },
      { Action: 'DownloadDBLogFilePortion', DBInstanceIdentifier: ID, LogFileName: 'slowquery/mysql-slowquery.log', NumberOfLines: '10000', Marker: '14:4485' },
      { Action: 'DownloadDBLogFilePortion', DBInstanceIdentifier: ID, LogFileName: 'slowquery/mysql-slowquery.log', NumberOfLines: '10000', Marker: '14:5300' },
      SET_BACK,
      RESET,
      { Action: 'DescribeDBInstances', DBInstanceIdentifier: ID },
    ]);
  }, 60_000);

  it('a default parameter group: one DescribeDBInstances, exit 5 with the commands to give the instance its own group, nothing modified', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' } });
    const r = await runRdsctl([...t.awsArgs(), 'analyze-queries', ID, '--capture', '10m', '--yes'], t.env);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/error: myawsuser-dbi04 uses the default parameter group default\.mysql5\.6, which cannot be modified/);
    expect(r.stderr).toContain('rdsctl params create myawsuser-dbi04-capture --family mysql5.6; rdsctl modify myawsuser-dbi04 --parameter-group myawsuser-dbi04-capture; rdsctl reboot myawsuser-dbi04');
    expect(t.server.requests.map((q) => q.params.Action)).toEqual(['DescribeDBInstances']);
  });

  it('bad input sends nothing: --capture banana, 0, 2h, with --queries (exit 2)', async () => {
    t.server.routes(ROUTES);
    for (const args of [['--capture', 'banana'], ['--capture', '0'], ['--capture', '2h'], ['--capture', '1m', '--queries', 'x.sql']]) {
      const r = await runRdsctl([...t.awsArgs(), 'analyze-queries', ID, ...args, '--yes'], t.env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^error: --capture/m);
    }
    expect(t.server.requests).toEqual([]);
  });

  it('a restore that fails after the capture is exit 7 with the commands that put the values back; nothing is analyzed', async () => {
    t.server.routes({ ...ROUTES, ResetDBParameterGroup: { file: 'rds/errors/invalid-db-parameter-group-state.xml', status: 400 } });
    const r = await runRdsctl([...t.awsArgs(), 'analyze-queries', ID, '--capture', '1s', '--yes', '--dsn', dsn()], t.env);
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(/error: Could not put the parameters of mydbparametergroup01 back: The DB parameter group is in use/);
    expect(r.stderr).toContain('hint: Put them back by hand: rdsctl params mydbparametergroup01 set long_query_time=2; rdsctl params mydbparametergroup01 reset slow_query_log log_output.');
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/connecting to/);
  }, 60_000);

  it('SIGINT during the countdown: the values are put back; a restore that fails is said with the commands (exit 130)', async () => {
    t.server.routes({ ...ROUTES, ResetDBParameterGroup: { file: 'rds/errors/invalid-db-parameter-group-state.xml', status: 400 } });
    const child = spawn(process.execPath, [BIN, ...t.awsArgs(), 'analyze-queries', ID, '--capture', '1m', '--yes', '--dsn', dsn()], { env: t.env });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    for (let i = 0; i < 200 && !stderr.includes('capturing myawsuser-dbi04'); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toMatch(/error: Interrupted \(Ctrl-C\): could not restore mydbparametergroup01: The DB parameter group is in use or is in an invalid state\..* — put them back with: rdsctl params mydbparametergroup01 set long_query_time=2; rdsctl params mydbparametergroup01 reset slow_query_log log_output\./);
    const actions = t.server.requests.map((q) => q.params.Action);
    expect(actions.slice(-2)).toEqual(['ModifyDBParameterGroup', 'ResetDBParameterGroup']); // set back, then the reset that failed
    expect(call(t.server.requests.at(-2)!)).toEqual(SET_BACK);
  }, 60_000);
});
