import { readFile } from 'node:fs/promises';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';

// `rdsctl loadtest run <id> --read-replicas` against a real local read replica made by
// `rdsctl scale-replicas <id> --count 1`: reads go to the replica, writes to the primary (their own
// counters say so), the report splits the work per endpoint and reports the replica's lag.
const PASSWORD = 'Lt-replica-pass-93';

describe('loadtest --read-replicas on the local target', () => {
  let home: string;
  const conns: Record<string, mysql.Connection> = {};
  const env = () => ({ RDSCTL_HOME: home, RDSCTL_DB_PASSWORD: PASSWORD, RDSCTL_MASTER_PASSWORD: PASSWORD });
  const cli = (args: string[]) => runCli(args, { env: env(), timeoutMs: 300_000 });
  const status = async (id: string, name: string) => Number((await conns[id].query<any[]>(`SHOW GLOBAL STATUS LIKE '${name}'`))[0][0].Value);
  const writes = async (id: string) => (await status(id, 'Com_insert')) + (await status(id, 'Com_update')) + (await status(id, 'Com_delete'));

  beforeAll(async () => {
    home = await tempHome('rdsctl-lt-replicas-');
    const p = await cli(['provision', 'shop', '--class', 'db.t4g.micro', '--no-encrypted', '--json']);
    if (p.code !== 0) throw new Error(`provision failed: ${p.stderr}${p.stdout}`);
    const s = await cli(['scale-replicas', 'shop', '--count', '1', '--json']);
    if (s.code !== 0) throw new Error(`scale-replicas failed: ${s.stderr}${s.stdout}`);
    for (const id of ['shop', 'shop-replica-1']) {
      const c = (await cli(['credentials', id, '--json'])).json.data;
      conns[id] = await mysql.createConnection({ host: c.host, port: c.port, user: c.username, password: PASSWORD, ssl: { ca: await readFile(c.caFile), verifyIdentity: true } });
    }
  }, 400_000);
  afterAll(async () => {
    for (const c of Object.values(conns)) await c.end().catch(() => undefined);
    if (home) await cleanupHome(home);
  }, 180_000);

  it('reads go to the replica, writes to the primary; the report splits both and shows the replica lag', async () => {
    const prep = await cli(['loadtest', 'prepare', 'shop', '--scale', '1', '--json']);
    expect(prep.code, prep.stderr).toBe(0);
    // The store reaches the replica through replication before any read is sent there.
    for (let i = 0; i < 120; i++) {
      const [[row]] = await conns['shop-replica-1'].query<any[]>("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'loadtest' AND table_name = 'reviews'");
      if (Number(row.n) === 1 && Number((await conns['shop-replica-1'].query<any[]>('SELECT COUNT(*) AS n FROM loadtest.reviews'))[0][0].n) === 2000) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const before = { rSel: await status('shop-replica-1', 'Com_select'), rWrites: await writes('shop-replica-1'), pWrites: await writes('shop') };

    const r = await cli(['loadtest', 'run', 'shop', '--read-replicas', '--duration', '3s', '--concurrency', '4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json.data;
    expect(d.endpoints.map((e: any) => [e.role, e.endpoint])).toEqual([
      ['primary', expect.stringMatching(/^mysql:\/\/\w+@127\.0\.0\.1:\d+\/loadtest \(shop\)$/)],
      ['replica', expect.stringMatching(/^mysql:\/\/\w+@127\.0\.0\.1:\d+\/loadtest \(shop-replica-1\)$/)],
    ]);
    expect(d.endpoints[0].transactions).toBeGreaterThan(0); // checkouts, carts
    expect(d.endpoints[1].transactions).toBeGreaterThan(0); // browsing, product pages, search, history
    expect(await status('shop-replica-1', 'Com_select') - before.rSel).toBeGreaterThanOrEqual(d.endpoints[1].queries);
    // Every read transaction ran on the replica and every write one on the primary (the report's split).
    const of = (access: string) => d.byType.filter((t: any) => t.access === access).reduce((a: number, t: any) => a + t.ok + t.soldOut + t.errors, 0);
    expect([d.endpoints[0].transactions, d.endpoints[1].transactions]).toEqual([of('write'), of('read')]);
    // The replica is read-only: a client write sent there would fail (1290) and show in errors. Its write
    // counters move only with what replication applies from the primary, never past the primary's.
    expect(d.errors).toEqual({});
    expect(Number((await conns['shop-replica-1'].query<any[]>('SELECT @@read_only AS ro'))[0][0].ro)).toBe(1);
    const pWrites = await writes('shop') - before.pWrites;
    expect(pWrites).toBeGreaterThan(0);
    expect(await writes('shop-replica-1') - before.rWrites).toBeLessThanOrEqual(pWrites);
    expect(d.replicaLag).toEqual([expect.objectContaining({ endpoint: d.endpoints[1].endpoint, maxSeconds: expect.any(Number) })]);
    expect(d.replicaLag[0].samples).toBeGreaterThanOrEqual(2);
    expect(d.check).toMatchObject({ ok: true });

    const human = await cli(['loadtest', 'run', 'shop', '--read-replicas', '--duration', '2s', '--concurrency', '2']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/shop-replica-1/);
    expect(human.stdout).toMatch(/^replica\s+max lag seen\s+samples$/m);
    expect(human.stdout).toMatch(/shop-replica-1\)\s+\d+s\s+\d+$/m);
  }, 300_000);
});
