import type { DBInstanceMessage } from '@aws-sdk/client-rds';
import fs from 'node:fs';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAdmin } from '../../src/local/engine/index.js';
import type { OpsContext } from '../../src/local/ops/context.js';
import { checkStorageNow } from '../../src/local/ops/storage.js';
import type { Engine } from '../../src/local/engine/types.js';
import { inProcessOps, pidAlive } from './endpoint-harness.js';

/**
 * A replica that turns storage-full and back must stay read-only: lifting storage-full used to set
 * read_only=OFF on any instance. Driven through the operations in-process (the storage seam of
 * endpoint-storage.test.ts: a recorded quota the data already exceeds), on real mariadbd.
 */
let home: string;
let ctx: OpsContext;
let engine: Engine;
let call: Awaited<ReturnType<typeof inProcessOps>>['call'];

beforeAll(async () => {
  ({ home, ctx, engine, call } = await inProcessOps('rdsctl-ep-repl-storage-'));
}, 60_000);
afterAll(async () => {
  const pids = ['p', 'p-r'].map((id) => engine.runningPid(ctx.paths(id)));
  for (const id of ['p-r', 'p']) await engine.destroy(ctx.paths(id));
  fs.rmSync(home, { recursive: true, force: true });
  for (const pid of pids) if (pid) expect(pidAlive(pid)).toBe(false);
});

const status = async (id: string) => ((await call('DescribeDBInstances', { DBInstanceIdentifier: id })) as DBInstanceMessage).DBInstances![0].DBInstanceStatus;
const readOnly = () => withAdmin(ctx.paths('p-r'), async (c) => Number(((await c.query<RowDataPacket[]>('SELECT @@GLOBAL.read_only AS r'))[0])[0].r));

describe('a read replica and storage-full', () => {
  it('stays read-only when storage-full is lifted', async () => {
    await call('CreateDBInstance', {
      DBInstanceIdentifier: 'p', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: '20',
      MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!',
    });
    await ctx.jobs.idle();
    await call('CreateDBInstanceReadReplica', { DBInstanceIdentifier: 'p-r', SourceDBInstanceIdentifier: 'p' });
    await ctx.jobs.idle();
    expect(await status('p-r')).toBe('available');
    expect(await readOnly()).toBe(1);

    ctx.registry.update('p-r', (r) => { r.allocatedStorage = 0; }); // the seam
    await checkStorageNow(ctx, 'p-r');
    expect(await status('p-r')).toBe('storage-full');
    ctx.registry.update('p-r', (r) => { r.allocatedStorage = 20; });
    await checkStorageNow(ctx, 'p-r');
    expect(await status('p-r')).toBe('available');
    expect(await readOnly()).toBe(1);
  }, 120_000);
});
