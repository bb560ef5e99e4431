import { execFile } from 'node:child_process';
import type { LocalEndpointInfo } from '../../src/local/control/types.js';

/** What `eval "$(rdsctl local env)"` exports, for clients nobody here wrote (boto3, the AWS CLI, Terraform). */
export function clientEnv(info: LocalEndpointInfo): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_ENDPOINT_URL: info.url, AWS_ACCESS_KEY_ID: info.accessKeyId, AWS_SECRET_ACCESS_KEY: info.secretAccessKey,
    AWS_REGION: info.region, AWS_DEFAULT_REGION: info.region, AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program to its end (never through a shell: the secret key travels in env only). */
export function run(cmd: string, args: string[], opts: { env: Record<string, string>; cwd?: string; timeoutMs: number }): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
