import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopLocalEndpoint } from '../../src/local/control/endpoint.js';
import { processesMentioning } from '../../src/local/ops/stragglers.js';
import { pidAlive } from './endpoint-harness.js';

const execFileP = promisify(execFile);
const BIN = path.resolve('bin/rdsctl.js');
let home: string;

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [BIN, ...args], { env: { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `export K='v'` lines → { K: v } (what `eval` would set). */
function parseExports(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
}

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-ep-cli-'));
});
afterAll(async () => {
  await stopLocalEndpoint(home);
  const strays = processesMentioning(home);
  strays.forEach((p) => process.kill(p, 'SIGKILL'));
  fs.rmSync(home, { recursive: true, force: true });
  expect(strays).toEqual([]);
});

describe('rdsctl local', () => {
  it('start, status, env (used by the AWS CLI), logs, stop', async () => {
    const start = await cli(['local', 'start', '--json']);
    expect(start.code).toBe(0);
    const info = JSON.parse(start.stdout).data as { url: string; pid: number; caFile: string };
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(info.caFile)).toBe(true);

    const again = JSON.parse((await cli(['local', 'start', '--json'])).stdout).data as { pid: number };
    expect(again.pid).toBe(info.pid); // one control plane per home

    const status = JSON.parse((await cli(['local', 'status', '--json'])).stdout).data;
    expect(status).toMatchObject({ running: true, url: info.url, pid: info.pid, caFile: info.caFile, instances: [] });

    const env = parseExports((await cli(['local', 'env'])).stdout);
    expect(env.AWS_ENDPOINT_URL).toBe(info.url);
    expect(env.AWS_ACCESS_KEY_ID).toMatch(/^AKIA/);
    const clientEnv = { ...process.env, ...env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    // boto3 takes everything from the exports; AWS CLI v1 ignores AWS_ENDPOINT_URL, so it gets --endpoint-url.
    const boto = await execFileP('python3', ['-c', 'import boto3; print(len(boto3.client("rds").describe_db_instances()["DBInstances"]))'], { env: clientEnv });
    expect(boto.stdout.trim()).toBe('0');
    const aws = await execFileP('aws', ['rds', 'describe-db-instances', '--output', 'json', '--endpoint-url', env.AWS_ENDPOINT_URL], { env: clientEnv });
    expect(JSON.parse(aws.stdout)).toEqual({ DBInstances: [] });

    const logs = await cli(['local', 'logs', '-n', '200']);
    expect(logs.stdout).toContain('rds DescribeDBInstances 200');
    expect(logs.stdout).not.toContain(env.AWS_SECRET_ACCESS_KEY);

    const stop = await cli(['local', 'stop', '--json']);
    expect(JSON.parse(stop.stdout).data).toEqual({ stopped: true });
    expect(pidAlive(info.pid)).toBe(false);
    expect(JSON.parse((await cli(['local', 'status', '--json'])).stdout).data.running).toBe(false);
  });

  it('a port in use is a clear conflict error (exit 5)', async () => {
    await stopLocalEndpoint(home);
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await cli(['local', 'start'], { RDSCTL_LOCAL_PORT: String(port) });
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });
});
