import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin', 'rdsctl.js');
export const AWS_FIXTURES = path.join(REPO, 'fixtures', 'aws');

/** Fake keys: the replay server never checks them, and real AWS would reject them. */
export const FAKE_KEYS = { AWS_ACCESS_KEY_ID: 'AKIDREPLAYTEST000001', AWS_SECRET_ACCESS_KEY: 'replay-secret-not-a-real-key' };

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The compiled CLI must exist: these tests run bin/rdsctl.js exactly as a user would. */
export function assertBuilt(): void {
  if (!existsSync(path.join(REPO, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` before the aws tests (npm test does it).');
  }
}

/**
 * An isolated environment: an empty HOME, AWS config files pointed at nothing, no AWS_* variable
 * from the developer's shell (so a real profile can never be used), no colours, not a TTY.
 */
export async function isolatedEnv(): Promise<{ env: Record<string, string>; dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-aws-test-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    RDSCTL_HOME: path.join(dir, 'rdsctl-home'),
    AWS_CONFIG_FILE: path.join(dir, 'no-such-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-such-credentials'),
    NO_COLOR: '1',
    CI: '1',
  };
  return { env, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `node bin/rdsctl.js …` as a child process with exactly `env` (nothing inherited). */
export function runRdsctl(args: string[], env: Record<string, string>, input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** stdout must be exactly one JSON document (the --json contract); returns it parsed. */
export function oneJsonDoc(stdout: string): any {
  const text = stdout.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw new Error(`stdout is not one JSON document:\n${stdout}`);
  return JSON.parse(text);
}
