import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RDSClient } from '@aws-sdk/client-rds';
import { ensureLocalEndpoint, localEndpointStatus, stopLocalEndpoint } from '../../src/local/control/endpoint.js';
import type { LocalEndpointInfo } from '../../src/local/control/types.js';
import { readLocalCredentials } from '../../src/local/control/credentials.js';
import { processesMentioning } from '../../src/local/ops/stragglers.js';
import { instancePaths } from '../../src/local/engine/paths.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A temp RDSCTL_HOME with its own control plane; remembers every pid it saw so afterAll can prove they are gone. */
export interface Harness {
  home: string;
  info: LocalEndpointInfo;
  rds: RDSClient;
  seenPids: Set<number>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function rdsClient(info: LocalEndpointInfo, secret = info.secretAccessKey, accessKeyId = info.accessKeyId): Promise<RDSClient> {
  const { RDSClient } = await import('@aws-sdk/client-rds');
  return new RDSClient({ endpoint: info.url, region: info.region, credentials: { accessKeyId, secretAccessKey: secret }, maxAttempts: 1 });
}

export async function startHarness(prefix: string): Promise<Harness> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `rdsctl-${prefix}-`));
  const h: Harness = {
    home,
    info: await ensureLocalEndpoint(home),
    rds: undefined as unknown as RDSClient,
    seenPids: new Set(),
    async restart() {
      h.info = await ensureLocalEndpoint(home);
      h.rds = await rdsClient(h.info);
      h.seenPids.add(h.info.pid);
    },
    async close() {
      const status = await localEndpointStatus(home);
      for (const i of status.instances) if (i.pid) h.seenPids.add(i.pid);
      await stopLocalEndpoint(home);
      // Instances left in the home are stopped by the control plane; anything else still alive is a leak.
      for (const pid of h.seenPids) {
        for (let i = 0; i < 100 && pidAlive(pid); i++) await sleep(100);
        if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      // Anything still running from this home (by command line) is a leak too: end it, then fail.
      const strays = processesMentioning(home);
      strays.forEach((pid) => process.kill(pid, 'SIGKILL'));
      const leaked = [...[...h.seenPids].filter(pidAlive), ...strays];
      fs.rmSync(home, { recursive: true, force: true });
      if (leaked.length > 0) throw new Error(`processes left running: ${leaked.join(', ')}`);
    },
  };
  h.rds = await rdsClient(h.info);
  h.seenPids.add(h.info.pid);
  return h;
}

/** A db.t4g.micro MariaDB instance with database `app`, created through the SDK and waited for. */
export async function createAvailable(h: Harness, id: string, extra: Record<string, unknown> = {}): Promise<void> {
  const { CreateDBInstanceCommand } = await import('@aws-sdk/client-rds');
  await h.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: id, DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!', DBName: 'app', ...extra,
  }));
  await waitAvailable(h, id);
}

export async function waitAvailable(h: Harness, id: string): Promise<void> {
  const { waitUntilDBInstanceAvailable } = await import('@aws-sdk/client-rds');
  await waitUntilDBInstanceAvailable({ client: h.rds, maxWaitTime: 180, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: id });
}

export async function describe1(h: Harness, id: string) {
  const { DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
  const out = await h.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  return out.DBInstances![0];
}

/** Polls Describe until `pred` holds (status transitions are what a user watches). */
export async function waitFor(h: Harness, id: string, pred: (db: Awaited<ReturnType<typeof describe1>>) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (pred(await describe1(h, id))) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${id}: ${what}`);
}

export function instancePid(home: string, id: string): number | undefined {
  try {
    return Number(fs.readFileSync(instancePaths(home, id).pidFile, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** A mysql2 connection as a user would open it: TLS with the home CA and host-name verification. */
export async function connect(home: string, id: string, database?: string) {
  const mysql = await import('mysql2/promise');
  const c = await readLocalCredentials(home, id);
  return mysql.createConnection({
    host: c.host, port: c.port, user: c.username, password: c.password, database,
    ssl: { ca: fs.readFileSync(c.caFile!, 'utf8'), verifyIdentity: true, rejectUnauthorized: true },
  });
}

/** The SDK error name a request fails with ('no error' when it succeeds): what a caller matches on. */
export async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as Error).name;
  }
}

/**
 * The endpoint's operations in-process on a fresh home (real engine, real mariadbd), for tests that
 * need a seam the HTTP path does not give (a lowered storage quota). `call` sends one RDS action.
 */
export async function inProcessOps(prefix: string) {
  const { createMariadbEngine, ensureHomeCa, requireBinary } = await import('../../src/local/engine/index.js');
  const { engineVersionOf } = await import('../../src/local/control/control-plane.js');
  const { createOpsContext } = await import('../../src/local/ops/context.js');
  const { buildOpRegistry } = await import('../../src/local/ops/index.js');
  const { ensureHome } = await import('../../src/local/state/home.js');
  const { fileLogger } = await import('../../src/local/state/log.js');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  ensureHome(home);
  const engine = createMariadbEngine();
  const ca = await ensureHomeCa(home);
  const ctx = createOpsContext({ home, engine, instancePaths, ca, engineVersion: engineVersionOf(requireBinary('mariadbd')), mysqlAvailable: false, log: fileLogger(home) });
  const ops = buildOpRegistry(ctx).rds;
  const call = (action: string, flat: Record<string, string>) =>
    ops[action]({ service: 'rds', action, flat: { Action: action, ...flat }, requestId: 'test', accessKeyId: 'AKIA', region: 'us-east-1' });
  return { home, engine, ctx, call };
}
