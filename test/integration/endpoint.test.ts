import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateDBInstanceCommand, DeleteDBInstanceCommand, ModifyDBInstanceCommand, RebootDBInstanceCommand,
  StartDBInstanceCommand, StopDBInstanceCommand, waitUntilDBInstanceDeleted,
} from '@aws-sdk/client-rds';
import { connect, describe1, instancePid, pidAlive, startHarness, waitAvailable, waitFor, type Harness } from './endpoint-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('ep-life');
});
afterAll(async () => {
  await h?.close();
});

async function bufferPool(id: string): Promise<number> {
  const conn = await connect(h.home, id);
  try {
    const [rows] = await conn.query('SELECT @@innodb_buffer_pool_size AS b');
    return Number((rows as { b: number }[])[0].b);
  } finally {
    await conn.end();
  }
}

async function count(id: string): Promise<number> {
  const conn = await connect(h.home, id, 'shop');
  try {
    const [rows] = await conn.query('SELECT COUNT(*) AS n FROM orders');
    return Number((rows as { n: number }[])[0].n);
  } finally {
    await conn.end();
  }
}

describe('instance lifecycle through @aws-sdk/client-rds', () => {
  it('creates, connects over verified TLS, modifies, reboots, stops/starts and deletes a real mariadbd', async () => {
    const created = await h.rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'Life', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
      MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!', DBName: 'shop', Tags: [{ Key: 'env', Value: 'test' }],
    }));
    expect(created.DBInstance).toMatchObject({ DBInstanceIdentifier: 'life', DBInstanceStatus: 'creating' });
    await waitAvailable(h, 'life');

    const db = await describe1(h, 'life');
    const version = /Ver\s+(\d+\.\d+\.\d+)/.exec(execFileSync('mariadbd', ['--version'], { encoding: 'utf8' }))![1];
    expect(db).toMatchObject({
      DBInstanceStatus: 'available', Engine: 'mariadb', EngineVersion: version, MasterUsername: 'admin', DBName: 'shop',
      AllocatedStorage: 20, DBInstanceClass: 'db.t4g.micro', MultiAZ: false, PubliclyAccessible: false,
      DBInstanceArn: 'arn:aws:rds:us-east-1:000000000000:db:life', TagList: [{ Key: 'env', Value: 'test' }],
      Endpoint: { Address: '127.0.0.1' },
    });
    expect(db.DbiResourceId).toMatch(/^db-[A-Z0-9]{26}$/);
    const pid1 = instancePid(h.home, 'life')!;
    h.seenPids.add(pid1);

    const conn = await connect(h.home, 'life', 'shop');
    await conn.query('CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20))');
    await conn.query("INSERT INTO orders VALUES (1, 'tea'), (2, 'cake')");
    const [tls] = await conn.query("SHOW STATUS LIKE 'Ssl_version'");
    expect((tls as { Value: string }[])[0].Value).toMatch(/^TLSv1\.[23]$/);
    await conn.end();
    const poolBefore = await bufferPool('life');

    // Class change now: the status leaves available (modifying), then comes back with a bigger buffer pool.
    const mod = await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'life', DBInstanceClass: 'db.t4g.large', ApplyImmediately: true }));
    expect(mod.DBInstance?.DBInstanceStatus).toBe('modifying');
    await waitAvailable(h, 'life');
    expect((await describe1(h, 'life')).DBInstanceClass).toBe('db.t4g.large');
    expect(await bufferPool('life')).toBeGreaterThan(poolBefore);

    // Without ApplyImmediately the change waits in PendingModifiedValues until the next reboot.
    await h.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'life', DBInstanceClass: 'db.t4g.medium' }));
    const pending = await describe1(h, 'life');
    expect(pending).toMatchObject({ DBInstanceStatus: 'available', DBInstanceClass: 'db.t4g.large', PendingModifiedValues: { DBInstanceClass: 'db.t4g.medium' } });
    const reboot = await h.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'life' }));
    expect(reboot.DBInstance?.DBInstanceStatus).toBe('rebooting');
    await waitAvailable(h, 'life');
    const rebooted = await describe1(h, 'life');
    expect(rebooted.DBInstanceClass).toBe('db.t4g.medium');
    expect(rebooted.PendingModifiedValues?.DBInstanceClass).toBeUndefined();
    const pid2 = instancePid(h.home, 'life')!;
    h.seenPids.add(pid2);
    expect(pid2).not.toBe(pid1);
    expect(pidAlive(pid1)).toBe(false);

    await h.rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'life' }));
    await waitFor(h, 'life', (d) => d.DBInstanceStatus === 'stopped', 'stopped');
    expect(pidAlive(pid2)).toBe(false);
    await h.rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: 'life' }));
    await waitAvailable(h, 'life');
    h.seenPids.add(instancePid(h.home, 'life')!);
    expect(await count('life')).toBe(2);

    const pid3 = instancePid(h.home, 'life')!;
    const del = await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'life', SkipFinalSnapshot: true }));
    expect(del.DBInstance?.DBInstanceStatus).toBe('deleting');
    await waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 120, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: 'life' });
    expect(pidAlive(pid3)).toBe(false);
    expect(fs.existsSync(`${h.home}/instances/life`)).toBe(false);
    expect(fs.existsSync(`${h.home}/secrets/life.json`)).toBe(false);
    // The password travelled in request bodies: it must not be in the control-plane log.
    expect(fs.readFileSync(`${h.home}/control-plane.log`, 'utf8')).not.toContain('Sup3r-secret!');
  });
});
