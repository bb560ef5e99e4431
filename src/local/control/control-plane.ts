import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { Engine, InstancePaths } from '../engine/types.js';
import { buildOpRegistry } from '../ops/index.js';
import { authorizer, keyLookup } from '../ops/iam-principals.js';
import { startVerifyServer } from '../ops/iam-db-auth.js';
import { createOpsContext, type OpsContext } from '../ops/context.js';
import { recover } from '../ops/recovery.js';
import { startSupervisor } from '../ops/supervisor.js';
import { samplerIntervalMs, startMetricsSampler } from '../ops/metrics-sampler.js';
import { evaluatorIntervalMs, startAlarmEvaluator } from '../ops/alarms-evaluate.js';
import { startServer } from '../server/http-server.js';
import { loadOrCreateCredentials, LOCAL_REGION } from '../state/credentials.js';
import { ensureHome } from '../state/home.js';
import { acquireLock, releaseLock } from '../state/lock.js';
import { fileLogger, type Logger } from '../state/log.js';
import { migrateLegacyLayout } from '../state/migrate.js';
import { nodeIds } from '../state/registry.js';
import { readEndpointFile, writeEndpointFile } from './endpoint-file.js';

/** What the control-plane process is built from (src/local/main.ts passes the MariaDB engine). */
export interface ControlPlaneDeps {
  engine: Engine;
  instancePaths(home: string, id: string): InstancePaths;
  ensureHomeCa(home: string): Promise<{ caCertFile: string; caKeyFile: string }>;
  mysqlAvailable(): boolean;
  mariadbdPath(): string;
}

export interface ControlPlaneOptions {
  home: string;
  /** Explicit port (--port / RDSCTL_LOCAL_PORT): in use → error. */
  port?: number;
  superviseMs: number;
  storageCheckMs: number;
}

export class StartupError extends Error {}

/** `mariadbd --version` → "10.11.6" (what RDS shows as EngineVersion). */
export function engineVersionOf(binary: string): string {
  const out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  const m = /Ver\s+(\d+\.\d+\.\d+)/.exec(out);
  if (!m) throw new StartupError(`could not read the server version from "${out.trim()}"`);
  return m[1];
}

async function listen(opts: ControlPlaneOptions, registry: ReturnType<typeof buildOpRegistry>, keys: { accessKeyId: string; secretAccessKey: string }, log: Logger) {
  const remembered = readEndpointFile(opts.home)?.port;
  try {
    return await startServer({ registry, keys: keyLookup(opts.home, keys), authorize: authorizer(opts.home), log, port: opts.port ?? remembered ?? 0 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (opts.port !== undefined) {
      throw new StartupError(`port ${opts.port} is already in use on 127.0.0.1; set RDSCTL_LOCAL_PORT to a free port or unset it to let rdsctl choose`);
    }
    log.warn(`remembered port ${remembered} is in use; choosing another (the endpoint URL changes)`);
    return startServer({ registry, keys: keyLookup(opts.home, keys), authorize: authorizer(opts.home), log, port: 0 });
  }
}

/** Starts everything; resolves with a shutdown function once the endpoint answers. */
export async function runControlPlane(deps: ControlPlaneDeps, opts: ControlPlaneOptions): Promise<{ shutdown(): Promise<void> }> {
  const layout = ensureHome(opts.home);
  const log = fileLogger(opts.home);
  const lock = acquireLock(opts.home);
  if (!lock.ok) throw new StartupError(`another control plane (pid ${lock.holder}) already serves ${opts.home}`);
  try {
    const migrated = migrateLegacyLayout(opts.home);
    if (migrated.length > 0) log.info(`moved the records of ${migrated.join(', ')} from instances/<id>/instance.json to state/instances/`);
    const keys = loadOrCreateCredentials(opts.home);
    const ca = await deps.ensureHomeCa(opts.home);
    const ctx = createOpsContext({
      home: layout.home, engine: deps.engine, instancePaths: deps.instancePaths, ca, log,
      engineVersion: engineVersionOf(deps.mariadbdPath()), mysqlAvailable: deps.mysqlAvailable(),
      caValidTill: new Date(new X509Certificate(fs.readFileSync(ca.caCertFile)).validTo),
    });
    const server = await listen(opts, buildOpRegistry(ctx), keys, log);
    // Before recovery starts nodes: an IAM-enabled node's logins ask this socket.
    const verify = await startVerifyServer(ctx, keyLookup(opts.home, keys));
    writeEndpointFile(opts.home, {
      url: `http://127.0.0.1:${server.port}`, port: server.port, pid: process.pid, region: LOCAL_REGION,
      caFile: ca.caCertFile, logFile: layout.logFile, startedAt: new Date().toISOString(), portFixed: opts.port !== undefined,
      mariadbBindir: process.env.RDSCTL_MARIADB_BINDIR || undefined,
    });
    log.info(`control plane pid ${process.pid} listening on http://127.0.0.1:${server.port} (home ${layout.home})`);
    recover(ctx);
    const supervisor = startSupervisor(ctx, opts.superviseMs, opts.storageCheckMs);
    const basicMs = samplerIntervalMs(process.env);
    const sampler = basicMs === undefined ? undefined : startMetricsSampler(ctx, basicMs);
    const evaluator = startAlarmEvaluator(ctx, evaluatorIntervalMs(process.env));
    const background = { stop: async () => { evaluator.stop(); await sampler?.stop(); await supervisor.stop(); await verify.close(); } };
    return { shutdown: () => shutdown(ctx, server, background) };
  } catch (err) {
    releaseLock(opts.home);
    throw err;
  }
}

/** Stops serving, lets running jobs finish, stops every mariadbd cleanly; desired states stay as they are. */
async function shutdown(ctx: OpsContext, server: { close(): Promise<void> }, supervisor: { stop(): Promise<void> }): Promise<void> {
  ctx.log.info('shutting down: stopping the API, waiting for jobs, stopping mariadbd processes');
  await server.close();
  await supervisor.stop();
  await ctx.jobs.idle();
  await Promise.all(ctx.registry.list().flatMap((rec) => nodeIds(rec)).map(async (node) => {
    const paths = ctx.instancePaths(ctx.home, node);
    if (ctx.engine.runningPid(paths) === undefined) return;
    try {
      await ctx.engine.stop(paths);
      ctx.log.info(`stopped ${node}`);
    } catch (err) {
      ctx.log.error(`could not stop ${node}: ${(err as Error).message}`);
    }
  }));
  releaseLock(ctx.home);
  ctx.log.info('control plane stopped');
}
