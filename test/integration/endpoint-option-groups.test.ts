import { spawn } from 'node:child_process';
import fs from 'node:fs';
import {
  CreateOptionGroupCommand, DescribeDBLogFilesCommand, DescribeOptionGroupsCommand, DownloadDBLogFilePortionCommand, ModifyDBInstanceCommand,
  DeleteOptionGroupCommand, ModifyOptionGroupCommand, RebootDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instancePaths } from '../../src/local/engine/paths.js';
import { clientEnv, run } from '../helpers/aws-clients.js';
import { BIN, runCli } from '../helpers/local-cli.js';
import { connect, createAvailable, describe1, errorName, instancePid, sleep, startHarness, waitAvailable, waitFor, type Harness } from './endpoint-harness.js';

// ModifyOptionGroup's ApplyImmediately and the rotated audit files, on one real mariadbd with
// MARIADB_AUDIT_PLUGIN: what a DBA sees through the SDK and the AWS CLI, and what the server really runs.
let h: Harness;
const ID = 'og1';
const audit = (settings: Record<string, string>) => [{ OptionName: 'MARIADB_AUDIT_PLUGIN', OptionSettings: Object.entries(settings).map(([Name, Value]) => ({ Name, Value })) }];
const membership = async () => (await describe1(h, ID)).OptionGroupMemberships?.[0];
const eventsSetting = async () => (await h.rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: 'audited' })))
  .OptionGroupsList?.[0].Options?.[0].OptionSettings?.find((s) => s.Name === 'SERVER_AUDIT_EVENTS')?.Value;

async function serverEvents(): Promise<string> {
  const conn = await connect(h.home, ID);
  const [rows] = await conn.query('SELECT @@GLOBAL.server_audit_events AS v');
  await conn.end();
  return (rows as { v: string }[])[0].v;
}

beforeAll(async () => {
  h = await startHarness('ep-og');
  await h.rds.send(new CreateOptionGroupCommand({ OptionGroupName: 'audited', EngineName: 'mariadb', MajorEngineVersion: '10.11', OptionGroupDescription: 'audit' }));
  await h.rds.send(new ModifyOptionGroupCommand({ OptionGroupName: 'audited', ApplyImmediately: true, OptionsToInclude: audit({ SERVER_AUDIT_EVENTS: 'CONNECT,QUERY_DDL' }) }));
  await createAvailable(h, ID, { OptionGroupName: 'audited' });
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('ModifyOptionGroup ApplyImmediately', () => {
  it('false (also the default): the group changes at once, the instance keeps its settings until its next reboot, pending-maintenance-apply meanwhile', async () => {
    expect(await membership()).toEqual({ OptionGroupName: 'audited', Status: 'in-sync' });
    expect(await serverEvents()).toBe('CONNECT,QUERY_DDL');
    const pid = instancePid(h.home, ID);

    const out = await h.rds.send(new ModifyOptionGroupCommand({ OptionGroupName: 'audited', ApplyImmediately: false, OptionsToInclude: audit({ SERVER_AUDIT_EVENTS: 'CONNECT,QUERY' }) }));
    expect(out.OptionGroup?.Options?.[0].OptionSettings?.find((s) => s.Name === 'SERVER_AUDIT_EVENTS')?.Value).toBe('CONNECT,QUERY');
    expect(await eventsSetting()).toBe('CONNECT,QUERY');
    expect(await membership()).toEqual({ OptionGroupName: 'audited', Status: 'pending-maintenance-apply' });
    await sleep(1500); // nothing applies it in the background
    expect(await serverEvents()).toBe('CONNECT,QUERY_DDL');
    expect((await describe1(h, ID)).DBInstanceStatus).toBe('available');

    // The AWS CLI v1 (its ModifyOptionGroup is add-option-to-option-group; ApplyImmediately omitted) sees the same.
    const env = clientEnv(h.info);
    const aws = (...args: string[]) => run('aws', [...args, '--endpoint-url', h.info.url, '--output', 'json'], { env, timeoutMs: 60_000 });
    const mod = await aws('rds', 'add-option-to-option-group', '--option-group-name', 'audited',
      '--options', JSON.stringify(audit({ SERVER_AUDIT_QUERY_LOG_LIMIT: '2048' })));
    expect(mod.code, mod.stderr).toBe(0);
    const cli = await aws('rds', 'describe-db-instances', '--db-instance-identifier', ID);
    expect(JSON.parse(cli.stdout).DBInstances[0].OptionGroupMemberships).toEqual([{ OptionGroupName: 'audited', Status: 'pending-maintenance-apply' }]);
    expect(instancePid(h.home, ID)).toBe(pid);

    await h.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: ID }));
    await waitFor(h, ID, (db) => db.DBInstanceStatus === 'rebooting', 'rebooting');
    await waitAvailable(h, ID);
    expect(await membership()).toEqual({ OptionGroupName: 'audited', Status: 'in-sync' });
    expect(await serverEvents()).toBe('CONNECT,QUERY');
    const conn = await connect(h.home, ID);
    const [rows] = await conn.query('SELECT @@GLOBAL.server_audit_query_log_limit AS v');
    await conn.end();
    expect(rows).toEqual([{ v: 2048 }]);
  }, 180_000);

  it('a pending change is applied by ModifyDBInstance with ApplyImmediately=true, without a restart', async () => {
    const pid = instancePid(h.home, ID);
    await h.rds.send(new ModifyOptionGroupCommand({ OptionGroupName: 'audited', OptionsToInclude: audit({ SERVER_AUDIT_EVENTS: 'CONNECT,QUERY_DDL,QUERY_DCL' }) }));
    expect(await membership()).toEqual({ OptionGroupName: 'audited', Status: 'pending-maintenance-apply' });
    expect(await serverEvents()).toBe('CONNECT,QUERY');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, ApplyImmediately: true, DeletionProtection: false }));
    await waitFor(h, ID, (db) => db.OptionGroupMemberships?.[0]?.Status === 'in-sync', 'in-sync');
    expect(await serverEvents()).toBe('CONNECT,QUERY_DDL,QUERY_DCL');
    expect(instancePid(h.home, ID)).toBe(pid);
  }, 120_000);
});

describe('rotated audit log files', () => {
  it('are listed as audit/server_audit.log.1 … (newest first after the current file) and downloadable; other names are not found', async () => {
    await h.rds.send(new ModifyOptionGroupCommand({
      OptionGroupName: 'audited', ApplyImmediately: true,
      OptionsToInclude: audit({ SERVER_AUDIT_EVENTS: 'CONNECT,QUERY', SERVER_AUDIT_FILE_ROTATE_SIZE: '4096', SERVER_AUDIT_FILE_ROTATIONS: '3' }),
    }));
    await waitFor(h, ID, (db) => db.OptionGroupMemberships?.[0]?.Status === 'in-sync', 'in-sync');
    const conn = await connect(h.home, ID);
    for (let i = 0; i < 200; i++) await conn.query(`SELECT ${i} AS rotation_marker_${i}`);
    await conn.end();

    const files = (await h.rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: ID, FilenameContains: 'audit' }))).DescribeDBLogFiles!;
    expect(files.map((f) => f.LogFileName)).toEqual(['audit/server_audit.log', 'audit/server_audit.log.1', 'audit/server_audit.log.2', 'audit/server_audit.log.3']);
    for (const f of files.slice(1)) expect(f.Size).toBeGreaterThan(4000);
    const all = (await h.rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: ID }))).DescribeDBLogFiles!;
    expect(all.map((f) => f.LogFileName)).toEqual(['error/mysql-error.log', ...files.map((f) => f.LogFileName)]);

    const one = await h.rds.send(new DownloadDBLogFilePortionCommand({ DBInstanceIdentifier: ID, LogFileName: 'audit/server_audit.log.1', Marker: '0', NumberOfLines: 10_000 }));
    const onDisk = fs.readFileSync(`${instancePaths(h.home, ID).datadir}/server_audit.log.1`, 'utf8');
    expect(one.LogFileData).toBe(onDisk);
    expect(one.LogFileData).toMatch(/QUERY,\w*,'SELECT \d+ AS rotation_marker_\d+'/);
    expect(one.AdditionalDataPending).toBe(false);
    // .3 is the oldest: its markers come before .1's.
    const marker = (text: string) => Number(/rotation_marker_(\d+)/.exec(text)?.[1]);
    const three = await h.rds.send(new DownloadDBLogFilePortionCommand({ DBInstanceIdentifier: ID, LogFileName: 'audit/server_audit.log.3', Marker: '0' }));
    expect(marker(three.LogFileData!)).toBeLessThan(marker(one.LogFileData!));

    // rdsctl logs: --list shows them, --file reads one; a file not there is exit 4 naming it.
    const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: h.home } });
    const listed = await cli(['logs', ID, '--list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json.data.LogFiles.map((f: { LogFileName: string }) => f.LogFileName)).toEqual(all.map((f) => f.LogFileName));
    const table = await cli(['logs', ID, '--list']);
    expect(table.stdout).toMatch(/^FILE\s+BYTES\s+LAST WRITTEN\n/);
    expect(table.stdout).toMatch(/\naudit\/server_audit\.log\.3\s+\d{4,}\s+\d{4}-\d\d-\d\dT/);
    const read = await cli(['logs', ID, '--file', 'audit/server_audit.log.1', '-n', '10000', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.json.data).toMatchObject({ LogFileName: 'audit/server_audit.log.1', LogFileData: onDisk });
    const missing = await cli(['logs', ID, '--file', 'audit/server_audit.log.7']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('audit/server_audit.log.7');
    expect(missing.stderr).toContain(`rdsctl logs ${ID} --list`);
    const both = await cli(['logs', ID, '--audit', '--file', 'audit/server_audit.log.1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Pick one: --error, --slow, --general, --audit, --file or --list.');

    for (const name of ['audit/server_audit.log.4', 'audit/server_audit.log.x', 'audit/server_audit.log./../../my.cnf', 'audit/server_audit.log.1/']) {
      expect(await errorName(h.rds.send(new DownloadDBLogFilePortionCommand({ DBInstanceIdentifier: ID, LogFileName: name })))).toBe('DBLogFileNotFoundFault');
    }
  }, 120_000);

  it('rdsctl logs --audit --follow prints every line once across rotations, several between two polls included', async () => {
    await h.rds.send(new ModifyOptionGroupCommand({
      OptionGroupName: 'audited', ApplyImmediately: true,
      OptionsToInclude: audit({ SERVER_AUDIT_EVENTS: 'CONNECT,QUERY', SERVER_AUDIT_FILE_ROTATE_SIZE: '4096', SERVER_AUDIT_FILE_ROTATIONS: '9' }),
    }));
    await waitFor(h, ID, (db) => db.OptionGroupMemberships?.[0]?.Status === 'in-sync', 'in-sync');
    const follow = spawn(process.execPath, [BIN, 'logs', ID, '--audit', '-n', '1', '--follow'], { env: { ...process.env, RDSCTL_HOME: h.home, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    follow.stdout.on('data', (d) => { out += String(d); });
    follow.stderr.on('data', (d) => { err += String(d); });
    const closed = new Promise((r) => follow.on('close', r));
    const N = 240;
    try {
      await sleep(2500); // following: its first listing is taken
      const conn = await connect(h.home, ID);
      // Bursts: about 40 audited statements fill 4 KB, so a burst of 90 rotates twice between two polls.
      for (let i = 0; i < N; i++) {
        await conn.query(`SELECT ${i} AS follow_marker_${i}`);
        if (i % 90 === 89) await sleep(1500);
      }
      await conn.end();
      for (let i = 0; i < 100 && !out.includes(`follow_marker_${N - 1}'`); i++) await sleep(100);
    } finally {
      follow.kill('SIGINT');
      await closed;
    }
    const files = (await h.rds.send(new DescribeDBLogFilesCommand({ DBInstanceIdentifier: ID, FilenameContains: 'audit' }))).DescribeDBLogFiles!;
    expect(files.length).toBeGreaterThanOrEqual(6); // it did rotate, several times
    const times = (i: number) => out.split(`AS follow_marker_${i}'`).length - 1;
    const wrong = Array.from({ length: N }, (_v, i) => [i, times(i)]).filter(([, n]) => n !== 1);
    expect(wrong, err).toEqual([]);
    expect(err).not.toMatch(/may be missing/);
  }, 120_000);
});

describe('ModifyDBInstance to another option group', () => {
  it('without ApplyImmediately it waits for the maintenance window (here the next reboot), both memberships say so; ApplyImmediately moves at once', async () => {
    await h.rds.send(new CreateOptionGroupCommand({ OptionGroupName: 'connects', EngineName: 'mariadb', MajorEngineVersion: '10.11', OptionGroupDescription: 'connections only' }));
    await h.rds.send(new ModifyOptionGroupCommand({ OptionGroupName: 'connects', ApplyImmediately: true, OptionsToInclude: audit({ SERVER_AUDIT_EVENTS: 'CONNECT' }) }));
    const memberships = async () => (await describe1(h, ID)).OptionGroupMemberships;
    const before = await serverEvents();
    expect(before).not.toBe('CONNECT');
    const pid = instancePid(h.home, ID);

    const answer = await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, OptionGroupName: 'connects' }));
    const waiting = [{ OptionGroupName: 'audited', Status: 'pending-maintenance-removal' }, { OptionGroupName: 'connects', Status: 'pending-maintenance-apply' }];
    expect(answer.DBInstance?.OptionGroupMemberships).toEqual(waiting);
    await sleep(1500);
    expect(await memberships()).toEqual(waiting);
    expect(await serverEvents()).toBe(before); // still the old group's settings
    expect((await describe1(h, ID)).DBInstanceStatus).toBe('available');
    // The group it is moving to is in use already.
    expect(await errorName(h.rds.send(new DeleteOptionGroupCommand({ OptionGroupName: 'connects' })))).toBe('InvalidOptionGroupStateFault');

    await h.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: ID }));
    await waitAvailable(h, ID);
    expect(await memberships()).toEqual([{ OptionGroupName: 'connects', Status: 'in-sync' }]);
    expect(await serverEvents()).toBe('CONNECT');
    expect(instancePid(h.home, ID)).not.toBe(pid);

    // Back, deferred, then any ApplyImmediately modification takes the move with it, without a restart.
    const rebooted = instancePid(h.home, ID);
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, OptionGroupName: 'audited' }));
    expect((await memberships())?.map((m) => m.Status)).toEqual(['pending-maintenance-removal', 'pending-maintenance-apply']);
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, ApplyImmediately: true, DeletionProtection: false }));
    await waitFor(h, ID, (db) => db.OptionGroupMemberships?.length === 1 && db.OptionGroupMemberships[0].Status === 'in-sync', 'in-sync');
    expect(await memberships()).toEqual([{ OptionGroupName: 'audited', Status: 'in-sync' }]);
    expect(await serverEvents()).toBe(before);
    expect(instancePid(h.home, ID)).toBe(rebooted);

    // A deferred move back to the group it is on drops the waiting one; with ApplyImmediately it moves at once.
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, OptionGroupName: 'connects' }));
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, OptionGroupName: 'audited' }));
    expect(await memberships()).toEqual([{ OptionGroupName: 'audited', Status: 'in-sync' }]);
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, OptionGroupName: 'connects', ApplyImmediately: true }));
    await waitFor(h, ID, (db) => db.OptionGroupMemberships?.[0]?.OptionGroupName === 'connects' && db.OptionGroupMemberships[0].Status === 'in-sync', 'in-sync on connects');
    expect(await serverEvents()).toBe('CONNECT');
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: ID, OptionGroupName: 'audited', ApplyImmediately: true }));
    await waitFor(h, ID, (db) => db.OptionGroupMemberships?.[0]?.OptionGroupName === 'audited' && db.OptionGroupMemberships[0].Status === 'in-sync', 'in-sync on audited');
    await h.rds.send(new DeleteOptionGroupCommand({ OptionGroupName: 'connects' }));
  }, 180_000);
});
