import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gtidDistance } from '../../src/core/gtid.js';
import type { Engine } from '../../src/local/engine/types.js';
import { parseBinlogInfo } from '../../src/local/engine/backup.js';
import { instancePaths } from '../../src/local/engine/paths.js';
import { createOpsContext } from '../../src/local/ops/context.js';
import { createDBInstanceReadReplica } from '../../src/local/ops/replicas-create.js';
import { classify } from '../../src/local/ops/replicas-status.js';
import type { OpRequest } from '../../src/local/server/types.js';
import { ensureHome } from '../../src/local/state/home.js';
import type { InstanceRecord } from '../../src/local/state/registry.js';

/**
 * The refusals that need many instances (a 16th replica, a chain of 5) on real state files in a temp
 * home: each is refused before any engine call, so none is given; a 16-replica fleet of real mariadbd
 * would not fit this 2-core box.
 */
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-replicas-unit-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
ensureHome(home);
const ctx = createOpsContext({
  home, engine: {} as Engine, instancePaths, ca: { caCertFile: '', caKeyFile: '' }, engineVersion: '10.11.6', mysqlAvailable: false,
  log: { info: () => undefined, warn: () => undefined, error: () => undefined },
});
const create = createDBInstanceReadReplica(ctx);
const req = (flat: Record<string, string>) => ({ service: 'rds', action: 'CreateDBInstanceReadReplica', flat, requestId: 'r', accessKeyId: 'a', region: 'us-east-1' }) as OpRequest;

function save(id: string, change: Partial<InstanceRecord> = {}): void {
  ctx.registry.save({
    id, instanceClass: 'db.t4g.micro', engine: 'mariadb', allocatedStorage: 20, status: 'available', backupRetentionPeriod: 1,
    pending: {}, nodes: [{ id, role: change.source ? 'replica' : 'primary', port: 4000, serverId: 1 }], ...change,
  } as InstanceRecord);
}
async function codeOf(flat: Record<string, string>): Promise<string> {
  try {
    await create(req(flat));
    return 'created';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('CreateDBInstanceReadReplica refusals', () => {
  it('a 16th replica of one source is refused with InstanceQuotaExceeded, and nothing is recorded', async () => {
    save('big');
    for (let i = 1; i <= 15; i++) save(`big-r${i}`, { source: 'big' });
    expect(await codeOf({ DBInstanceIdentifier: 'big-r16', SourceDBInstanceIdentifier: 'big' })).toBe('InstanceQuotaExceeded');
    expect(ctx.registry.get('big-r16')).toBeUndefined();
  });

  it('a chain deeper than RDS allows (4 instances) is refused with InvalidDBInstanceState', async () => {
    save('c0');
    save('c1', { source: 'c0' });
    save('c2', { source: 'c1' });
    save('c3', { source: 'c2' });
    expect(await codeOf({ DBInstanceIdentifier: 'c4', SourceDBInstanceIdentifier: 'c3' })).toBe('InvalidDBInstanceState');
    expect(ctx.registry.get('c4')).toBeUndefined();
  });

  it('a source that is not available, or keeps no backups, is refused with InvalidDBInstanceState', async () => {
    save('busy', { status: 'modifying' });
    save('nobackup', { backupRetentionPeriod: 0 });
    save('small');
    expect(await codeOf({ DBInstanceIdentifier: 'x', SourceDBInstanceIdentifier: 'busy' })).toBe('InvalidDBInstanceState');
    expect(await codeOf({ DBInstanceIdentifier: 'x', SourceDBInstanceIdentifier: 'nobackup' })).toBe('InvalidDBInstanceState');
    expect(await codeOf({ DBInstanceIdentifier: 'x', SourceDBInstanceIdentifier: 'small', KmsKeyId: 'k' })).toBe('InvalidParameterCombination');
    expect(await codeOf({ DBInstanceIdentifier: 'x', SourceDBInstanceIdentifier: 'small', DBInstanceClass: 'db.x9.nope' })).toBe('InvalidParameterCombination');
    expect(ctx.registry.get('x')).toBeUndefined();
  });
});

describe('replication facts', () => {
  it('GTID distance counts what the replica has not applied, per domain', () => {
    expect(gtidDistance('0-1-120', '0-1-100')).toBe(20);
    expect(gtidDistance('0-1-120,1-5-7', '0-1-120')).toBe(7);
    expect(gtidDistance('0-1-100', '0-1-120')).toBe(0);
    expect(gtidDistance('', '')).toBe(0);
  });

  it('the GTID of a copy is the 3rd field of xtrabackup_binlog_info', () => {
    expect(parseBinlogInfo('binlog.000002\t1234\t0-1-57\n')).toBe('0-1-57');
    expect(parseBinlogInfo('')).toBe('');
  });

  it('StatusInfos: both threads running is replicating; an error names the server\'s message', () => {
    const base = { configured: true, secondsBehind: 0, lastIoError: '', lastSqlError: '', gtidSlavePos: '' };
    expect(classify({ ...base, ioRunning: 'Yes', sqlRunning: 'Yes', lastIoError: 'old' }).status).toBe('replicating');
    expect(classify({ ...base, ioRunning: 'Yes', sqlRunning: 'No', lastSqlError: 'Duplicate entry' })).toEqual({ status: 'error', normal: false, message: 'Duplicate entry' });
    expect(classify({ ...base, ioRunning: 'Connecting', sqlRunning: 'Yes', lastIoError: 'error reconnecting' }).status).toBe('error');
    expect(classify({ ...base, ioRunning: 'No', sqlRunning: 'No' }).status).toBe('stopped');
  });
});
