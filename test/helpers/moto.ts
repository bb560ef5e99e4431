import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { assertBuilt, isolatedEnv, oneJsonDoc, runRdsctl } from './cli-aws.js';

/** moto_server: an independent implementation of the RDS API (metadata only), used as a second opinion. */
export interface MotoServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export const MOTO_INSTALL = "pip install 'moto[server]'";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.end(() => resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() - started > timeoutMs) throw new Error(`moto_server did not listen on ${port} within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts moto_server on a free 127.0.0.1 port; fails (never skips) with the install command when missing. */
export async function startMoto(motoEnv: Record<string, string> = {}): Promise<MotoServer> {
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`moto_server is not installed: run \`${MOTO_INSTALL}\` (see rdsctl doctor).`);
  }
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...motoEnv } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitForPort(port, child, () => output);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * One moto_server for a test file, and the real CLI pointed at it: `rdsctl(...args)` runs with
 * `--target aws --endpoint-url <moto> … --json` in an isolated environment and checks that the master
 * password never shows in its output. Call in the file's top scope (it registers beforeAll/afterAll).
 */
export function useMotoCli(password: string, accessKeyId = 'AKIDMOTOTEST00000001', motoEnv: Record<string, string> = {}) {
  let moto: MotoServer;
  let env: Record<string, string>;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    assertBuilt();
    moto = await startMoto(motoEnv);
    const iso = await isolatedEnv();
    env = { ...iso.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: 'moto-secret', RDSCTL_MASTER_PASSWORD: password };
    cleanup = iso.cleanup;
  });
  afterAll(async () => {
    await moto?.stop();
    await cleanup?.();
  });
  return {
    url: () => moto.url,
    env: () => env,
    async rdsctl(...args: string[]) {
      const r = await runRdsctl(['--target', 'aws', '--region', 'us-east-1', '--endpoint-url', moto.url, ...args, '--json'], env);
      expect(r.stdout + r.stderr).not.toContain(password);
      return { code: r.code, doc: oneJsonDoc(r.stdout), stderr: r.stderr };
    },
  };
}
