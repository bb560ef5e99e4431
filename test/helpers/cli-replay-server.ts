import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AWS_FIXTURES } from './cli-aws.js';

/** What the replay server answers for one Action: a fixture file (relative to fixtures/aws) and a status. */
export interface Reply {
  file: string;
  status?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The form-encoded body, decoded (Action, Version, DBInstanceIdentifier, …). */
  params: Record<string, string>;
}

export interface ReplayServer {
  url: string;
  requests: RecordedRequest[];
  /**
   * Replace the Action → reply table (each test sets what it expects to be called). A list is
   * answered in order, one entry per call; the last entry repeats.
   */
  routes(table: Record<string, Reply | Reply[]>): void;
  close(): Promise<void>;
}

const UNKNOWN = (action: string) =>
  `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>InvalidAction</Code>` +
  `<Message>replay server: no fixture routed for Action=${action}</Message></Error><RequestId>replay-unrouted</RequestId></ErrorResponse>`;

/**
 * A tiny RDS Query-protocol replay endpoint on 127.0.0.1: records every request, answers the routed
 * fixture for its Action. An unrouted Action gets a 400 so a test sees the unexpected call.
 */
export async function startReplayServer(): Promise<ReplayServer> {
  let table: Record<string, Reply | Reply[]> = {};
  const calls = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      // CloudWatch JSON 1.0 (current SDK): the action is in x-amz-target, the body is JSON; RDS: form-encoded.
      const target = String(req.headers['x-amz-target'] ?? '');
      const params: Record<string, string> = target ? { Action: target.split('.')[1] ?? '' } : Object.fromEntries(new URLSearchParams(body));
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, params });
      const action = params.Action ?? '';
      const routed = table[action];
      const n = calls.get(action) ?? 0;
      calls.set(action, n + 1);
      const reply = Array.isArray(routed) ? routed[Math.min(n, routed.length - 1)] : routed;
      const xml = reply ? readFileSync(path.join(AWS_FIXTURES, reply.file), 'utf8') : UNKNOWN(action);
      // JSON: Secrets Manager speaks 1.1, CloudWatch 1.0.
      const type = reply?.file.endsWith('.json') ? `application/x-amz-json-${reply.file.startsWith('secretsmanager/') ? '1.1' : '1.0'}` : 'text/xml';
      res.writeHead(reply ? reply.status ?? 200 : 400, { 'content-type': type, 'x-amzn-requestid': `replay-${requests.length}` });
      res.end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    routes(t) {
      table = t;
      calls.clear();
      requests.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReplayTarget {
  server: ReplayServer;
  /** Isolated env with fake keys (no developer AWS config can leak in). */
  env: Record<string, string>;
  /** Global flags that send the CLI to the replay server as `--target aws` in us-east-1. */
  awsArgs(): string[];
}

/**
 * Registers vitest hooks for one test file: the replay server and an isolated env are created
 * before all tests and removed after; the routes and recorded requests reset before each test.
 */
export async function useReplayTarget(hooks: {
  beforeAll: (fn: () => Promise<void>) => void;
  afterAll: (fn: () => Promise<void>) => void;
  beforeEach: (fn: () => void) => void;
}): Promise<ReplayTarget> {
  const { assertBuilt, isolatedEnv, FAKE_KEYS } = await import('./cli-aws.js');
  const target = { env: {} } as ReplayTarget;
  let cleanup: (() => Promise<void>) | undefined;
  hooks.beforeAll(async () => {
    assertBuilt();
    target.server = await startReplayServer();
    const iso = await isolatedEnv();
    Object.assign(target.env, iso.env, FAKE_KEYS);
    cleanup = iso.cleanup;
  });
  hooks.afterAll(async () => {
    await target.server?.close();
    await cleanup?.();
  });
  hooks.beforeEach(() => target.server.routes({}));
  target.awsArgs = () => ['--target', 'aws', '--region', 'us-east-1', '--endpoint-url', target.server.url];
  return target;
}

/** The Actions the CLI sent, in order. */
export const requestActions = (reqs: RecordedRequest[]): string[] => reqs.map((r) => r.params.Action ?? '');

/** A request's parameters without Action and Version. */
export function requestParams(req: RecordedRequest): Record<string, string> {
  const { Action: _a, Version: _v, ...rest } = req.params;
  return rest;
}
