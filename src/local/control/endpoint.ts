import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RdsctlError, ExitCode } from '../../core/errors.js';
import { loadOrCreateCredentials } from '../state/credentials.js';
import { ensureHome, homeLayout } from '../state/home.js';
import { isAlive, liveControlPlanePid } from '../state/lock.js';
import { rotateLog } from '../state/log.js';
import { readInstanceRecords } from '../state/migrate.js';
import { servingNode } from '../state/registry.js';
import { controlPlaneEnv } from './child-env.js';
import { readEndpointFile, type EndpointFile } from './endpoint-file.js';
import type { LocalEndpointInfo } from './types.js';

const HEALTH_PATH = '/_rdsctl/health';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface EnsureOptions {
  /** Fixed port for a new control plane (else RDSCTL_LOCAL_PORT, else the remembered or a free one). */
  port?: number;
}

/** The control-plane entry (dist/local/main.js), also when this module runs from src/ under vitest. */
export function controlPlaneEntry(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.resolve(here, '../main.js');
  if (fs.existsSync(sibling)) return sibling;
  let dir = here;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const built = path.join(dir, 'dist', 'local', 'main.js');
  if (fs.existsSync(built)) return built;
  throw new RdsctlError('CONTROL_PLANE_MISSING', ExitCode.unexpected, `The control-plane program ${built} does not exist.`, { hint: 'Run npm run build.' });
}

/** true when the process on the port is this home's control plane (pid from its health answer). */
async function answers(port: number, pid: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${HEALTH_PATH}`, { signal: AbortSignal.timeout(2000) });
    return res.ok && ((await res.json()) as { pid: number }).pid === pid;
  } catch {
    return false;
  }
}

function toInfo(home: string, ep: EndpointFile): LocalEndpointInfo {
  const keys = loadOrCreateCredentials(home);
  return { home, url: ep.url, port: ep.port, pid: ep.pid, region: ep.region, accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey };
}

/** The running control plane of this home, or undefined. */
async function running(home: string): Promise<EndpointFile | undefined> {
  const pid = liveControlPlanePid(home);
  const ep = readEndpointFile(home);
  if (pid === undefined || !ep || ep.pid !== pid) return undefined;
  return (await answers(ep.port, pid)) ? ep : undefined;
}

function fatalLine(home: string): string | undefined {
  try {
    const lines = fs.readFileSync(homeLayout(home).logFile, 'utf8').trim().split('\n');
    return lines.reverse().find((l) => l.startsWith('fatal: '))?.slice('fatal: '.length);
  } catch {
    return undefined;
  }
}

function spawnControlPlane(home: string, port: number | undefined): number {
  const layout = ensureHome(home);
  rotateLog(layout.logFile); // before the child's stdout/stderr are bound to the file
  const out = fs.openSync(layout.logFile, 'a', 0o600);
  const args = [controlPlaneEntry(), '--home', layout.home, ...(port !== undefined ? ['--port', String(port)] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out], env: controlPlaneEnv(process.env) });
  fs.closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new RdsctlError('CONTROL_PLANE_START', ExitCode.unexpected, 'Could not start the local control plane.');
  return child.pid;
}

/** Starts (detached) or finds the home's control-plane process and returns how to reach it. */
export async function ensureLocalEndpoint(home: string, opts: EnsureOptions = {}): Promise<LocalEndpointInfo> {
  home = path.resolve(home);
  const existing = await running(home);
  if (existing && opts.port !== undefined && existing.port !== opts.port) {
    // Answering with the running URL would let `local start --port N` look like it worked.
    throw new RdsctlError('LOCAL_ALREADY_RUNNING', ExitCode.conflict, `The local endpoint already runs on port ${existing.port} (pid ${existing.pid}), not ${opts.port}.`, {
      hint: `Run \`rdsctl local stop\` first, then \`rdsctl local start --port ${opts.port}\`.`,
    });
  }
  if (existing) return { ...toInfo(home, existing), warnings: settingsNotUsed(existing) };
  // Checked here too, so a missing MariaDB or a bad port is a clear usage error (exit 2), not a failed start.
  const { assertBinaries } = await import('../../system/binaries.js');
  assertBinaries();
  assertPort(opts.port);
  const pid = spawnControlPlane(home, opts.port);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await sleep(100);
    const ep = readEndpointFile(home);
    if (ep && ep.pid === pid && (await answers(ep.port, pid))) return toInfo(home, ep);
    if (!isAlive(pid)) {
      const other = await running(home); // lost a start race to another rdsctl: use the winner
      if (other) return toInfo(home, other);
      // The winner holds the lock but may not answer yet (it is still listening / writing endpoint.json).
      if (liveControlPlanePid(home) !== undefined) continue;
      const why = fatalLine(home) ?? 'it exited during startup';
      if (/already in use/.test(why)) throw new RdsctlError('LOCAL_PORT_IN_USE', ExitCode.conflict, `The local control plane did not start: ${why}.`);
      throw new RdsctlError('CONTROL_PLANE_START', ExitCode.unexpected, `The local control plane did not start: ${why}.`, {
        hint: `See ${homeLayout(home).logFile} (rdsctl local logs).`,
      });
    }
  }
  throw new RdsctlError('CONTROL_PLANE_START', ExitCode.unexpected, `The local control plane (pid ${pid}) did not answer within ${START_TIMEOUT_MS / 1000}s.`, {
    hint: `See ${homeLayout(home).logFile} (rdsctl local logs).`,
  });
}

/**
 * The environment of a command reaches a control plane only when that command starts it: a running one
 * keeps the MariaDB it started with. Say so instead of ignoring RDSCTL_MARIADB_BINDIR silently.
 */
export function settingsNotUsed(ep: EndpointFile, env: NodeJS.ProcessEnv = process.env): string[] {
  const wanted = env.RDSCTL_MARIADB_BINDIR;
  if (!wanted || (ep.mariadbBindir && path.resolve(ep.mariadbBindir) === path.resolve(wanted))) return [];
  const uses = ep.mariadbBindir ? `RDSCTL_MARIADB_BINDIR=${ep.mariadbBindir}` : 'the MariaDB found on PATH';
  return [`RDSCTL_MARIADB_BINDIR=${wanted} is not used: the local control plane (pid ${ep.pid}) already runs with ${uses}. Run \`rdsctl local stop\`, then this command again, to use it.`];
}

/** The port a new control plane would be asked for (--port, else RDSCTL_LOCAL_PORT) must be 1–65535. */
function assertPort(port: number | undefined): void {
  const text = port !== undefined ? String(port) : process.env.RDSCTL_LOCAL_PORT;
  if (text === undefined || text === '') return;
  const n = Number(text);
  if (/^\d+$/.test(text) && n >= 1 && n <= 65535) return;
  throw new RdsctlError('INVALID_PORT', ExitCode.usage, `Invalid port "${text}" (${port !== undefined ? '--port' : 'RDSCTL_LOCAL_PORT'}): it must be a whole number from 1 to 65535.`, {
    hint: port !== undefined ? 'Pass e.g. --port 4566, or leave it out to let rdsctl choose.' : 'Set RDSCTL_LOCAL_PORT to e.g. 4566, or unset it to let rdsctl choose.',
  });
}

export interface LocalEndpointStatus {
  running: boolean;
  home: string;
  url?: string;
  port?: number;
  pid?: number;
  region?: string;
  caFile?: string;
  logFile: string;
  /** status is the control plane's last record: while it is not running, no instance is served (running: false). */
  instances: { id: string; status: string; port: number; pid?: number; running: boolean }[];
}

/** What `rdsctl local status` shows; reads files only (no secrets). */
export async function localEndpointStatus(home: string): Promise<LocalEndpointStatus> {
  home = path.resolve(home);
  const layout = homeLayout(home);
  const ep = await running(home);
  const known = readEndpointFile(home);
  return {
    running: Boolean(ep),
    home,
    url: ep?.url ?? known?.url,
    port: ep?.port ?? known?.port,
    pid: ep?.pid,
    region: known?.region,
    caFile: known?.caFile,
    logFile: layout.logFile,
    instances: listInstances(home),
  };
}

function listInstances(home: string): LocalEndpointStatus['instances'] {
  let records;
  try {
    records = readInstanceRecords(home);
  } catch {
    return [];
  }
  return records.map((rec) => {
    // The serving node's pid is shown only while that process lives (after `local stop` none does).
    const known = servingNode(rec)?.pid;
    const pid = known !== undefined && isAlive(known) ? known : undefined;
    return { id: rec.id, status: rec.status, port: rec.port, pid, running: pid !== undefined };
  });
}

/** Stops the control plane (which stops every mariadbd cleanly, keeping all state). true if one was running. */
export async function stopLocalEndpoint(home: string): Promise<boolean> {
  home = path.resolve(home);
  const pid = liveControlPlanePid(home);
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new RdsctlError('CONTROL_PLANE_STOP', ExitCode.unexpected, `The local control plane (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000}s.`, {
        hint: `See ${homeLayout(home).logFile}; kill ${pid} stops it without waiting.`,
      });
    }
    await sleep(100);
  }
  return true;
}

/** Shell lines for `eval "$(rdsctl local env)"`: any AWS client then talks to the local endpoint. */
export function localEnvExports(info: LocalEndpointInfo): string {
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  return [
    `export AWS_ENDPOINT_URL=${q(info.url)}`,
    `export AWS_ACCESS_KEY_ID=${q(info.accessKeyId)}`,
    `export AWS_SECRET_ACCESS_KEY=${q(info.secretAccessKey)}`,
    `export AWS_REGION=${q(info.region)}`,
    `export AWS_DEFAULT_REGION=${q(info.region)}`,
    'unset AWS_SESSION_TOKEN AWS_PROFILE',
  ].join('\n');
}
