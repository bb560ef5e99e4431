import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateDBInstanceCommand, DeleteDBInstanceCommand, waitUntilDBInstanceDeleted } from '@aws-sdk/client-rds';
import { localEndpointStatus, stopLocalEndpoint } from '../../src/local/control/endpoint.js';
import { connect, describe1, startHarness, waitAvailable, type Harness } from './endpoint-harness.js';

/**
 * A home written by the layout before the instance/node split: the record inside the node folder
 * (instances/<id>/instance.json) with serverId and pid on the instance. Made here from a real instance,
 * then served by the current control plane.
 */
let h: Harness;
let port: number;
const record = () => path.join(h.home, 'state', 'instances', 'legacy.json');
const oldRecord = () => path.join(h.home, 'instances', 'legacy', 'instance.json');

beforeAll(async () => {
  h = await startHarness('ep-mig');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'legacy', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!', DBName: 'app',
  }));
  await waitAvailable(h, 'legacy');
  port = (await describe1(h, 'legacy')).Endpoint!.Port!;
  const conn = await connect(h.home, 'legacy', 'app');
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY)');
  await conn.query('INSERT INTO t VALUES (7)');
  await conn.end();
  await stopLocalEndpoint(h.home);
  // Rewrite the home the old way.
  const { nodes, ...rest } = JSON.parse(fs.readFileSync(record(), 'utf8'));
  fs.writeFileSync(oldRecord(), JSON.stringify({ ...rest, serverId: nodes[0].serverId, pid: nodes[0].pid }), { mode: 0o600 });
  fs.rmSync(path.join(h.home, 'state'), { recursive: true });
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('a home laid out the old way', () => {
  it('is listed by local status before the control plane starts', async () => {
    const st = await localEndpointStatus(h.home);
    expect(st.running).toBe(false);
    expect(st.instances).toEqual([{ id: 'legacy', status: 'available', port, pid: undefined, running: false }]);
  });

  it('keeps working after a control-plane start: same endpoint, same data, the record moved out of the node folder', async () => {
    await h.restart();
    await waitAvailable(h, 'legacy');
    expect((await describe1(h, 'legacy')).Endpoint).toMatchObject({ Address: '127.0.0.1', Port: port });
    const conn = await connect(h.home, 'legacy', 'app');
    const [rows] = await conn.query('SELECT id FROM t');
    await conn.end();
    expect(rows).toEqual([{ id: 7 }]);
    expect(fs.existsSync(oldRecord())).toBe(false);
    expect(JSON.parse(fs.readFileSync(record(), 'utf8')).nodes).toMatchObject([{ id: 'legacy', role: 'primary', port }]);
  });

  it('deletes cleanly: no folder, no record', async () => {
    await h.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'legacy', SkipFinalSnapshot: true }));
    await waitUntilDBInstanceDeleted({ client: h.rds, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: 'legacy' });
    expect(fs.existsSync(path.join(h.home, 'instances', 'legacy'))).toBe(false);
    expect(fs.existsSync(record())).toBe(false);
  });
});
