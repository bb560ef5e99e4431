import type { DBInstance, DBInstanceMessage } from '@aws-sdk/client-rds';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsContext } from '../../src/local/ops/context.js';
import { checkStorageNow } from '../../src/local/ops/storage.js';
import { readSecret } from '../../src/local/state/secrets.js';
import type { Engine } from '../../src/local/engine/types.js';
import { inProcessOps, pidAlive } from './endpoint-harness.js';

/**
 * Storage enforcement on a real mariadbd, driven through the operations in-process. A 20 GiB minimum
 * cannot be filled in a test, so the test lowers the recorded quota under the instance (the one seam)
 * and checks what a user sees: storage-full, writes refused, and writable again after raising storage.
 */
let home: string;
let ctx: OpsContext;
let engine: Engine;
let call: Awaited<ReturnType<typeof inProcessOps>>['call'];

beforeAll(async () => {
  ({ home, ctx, engine, call } = await inProcessOps('rdsctl-ep-storage-'));
});
afterAll(async () => {
  const pid = ctx && engine.runningPid(ctx.paths('full'));
  if (ctx) await engine.destroy(ctx.paths('full'));
  fs.rmSync(home, { recursive: true, force: true });
  if (pid) expect(pidAlive(pid)).toBe(false);
});

async function insert(): Promise<void> {
  const mysql = await import('mysql2/promise');
  const secret = readSecret(home, 'full')!;
  const rec = ctx.registry.get('full')!;
  const conn = await mysql.createConnection({
    host: '127.0.0.1', port: rec.port, user: secret.username, password: secret.password, database: 'app',
    ssl: { ca: fs.readFileSync(ctx.ca.caCertFile, 'utf8'), verifyIdentity: true },
  });
  try {
    await conn.query('CREATE TABLE IF NOT EXISTS t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))');
    await conn.query("INSERT INTO t (v) VALUES ('x')");
  } finally {
    await conn.end();
  }
}

const status = async () => ((await call('DescribeDBInstances', { DBInstanceIdentifier: 'full' })) as DBInstanceMessage).DBInstances![0].DBInstanceStatus;

describe('storage quota', () => {
  it('turns storage-full and read-only when used ≥ allocated, and writable again when storage is raised', async () => {
    await call('CreateDBInstance', {
      DBInstanceIdentifier: 'full', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: '20',
      MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!', DBName: 'app',
    });
    await ctx.jobs.idle();
    expect(await status()).toBe('available');
    await insert();

    ctx.registry.update('full', (r) => { r.allocatedStorage = 0; }); // the seam: a quota the data already exceeds
    await checkStorageNow(ctx, 'full');
    expect(await status()).toBe('storage-full');
    await expect(insert()).rejects.toMatchObject({ errno: 1290 }); // ER_OPTION_PREVENTS_STATEMENT (read-only)
    expect(ctx.events.read().map((e) => e.Message).join('\n')).toContain('storage-full');

    const mod = await call('ModifyDBInstance', { DBInstanceIdentifier: 'full', AllocatedStorage: '20', ApplyImmediately: 'true' });
    expect((mod as { DBInstance: DBInstance }).DBInstance.DBInstanceStatus).toBe('modifying');
    await ctx.jobs.idle();
    expect(await status()).toBe('available');
    await insert();
  });
});
