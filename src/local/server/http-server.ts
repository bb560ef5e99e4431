import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Logger } from '../state/log.js';
import { LOCAL_REGION } from '../state/credentials.js';
import { JSON_CONTENT_TYPE, classify, own, parseForm } from './protocol.js';
import { checkScope, verifySigV4 } from './sigv4.js';
import { AwsFault, type Authorizer, type KeyLookup, type OpRegistry, type OpResult, type ServiceName } from './types.js';
import { errorXml, successXml } from './xml.js';
import { jsonErrorType } from './shapes.js';

export interface ServerOptions {
  registry: OpRegistry;
  /** The access keys the endpoint accepts (root, IAM users' keys, STS sessions). */
  keys: KeyLookup;
  /** Non-root callers' permissions (their IAM policies); root may do everything. */
  authorize: Authorizer;
  log: Logger;
  /** 0 (or undefined) = any free port. */
  port?: number;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const SERVED = 'rds, monitoring (CloudWatch), iam, sts and secretsmanager';
export const HEALTH_PATH = '/_rdsctl/health';

/** The Query services' SigV4 error codes as JSON services (Secrets Manager) name them. */
const JSON_AUTH_CODES: Record<string, string> = {
  SignatureDoesNotMatch: 'InvalidSignatureException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  IncompleteSignature: 'IncompleteSignatureException',
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
};

/** Listens on 127.0.0.1 only; resolves once listening, rejects with EADDRINUSE etc. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    handle(req, res, opts).catch((err) => {
      opts.log.error(`request failed: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A gzip body, inflated up to a bound (a small bomb must not fill the memory). */
function gunzipBounded(body: Buffer): Buffer | AwsFault {
  try {
    return gunzipSync(body, { maxOutputLength: 8 * MAX_BODY });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return new AwsFault('RequestEntityTooLarge', 'Request body too large (uncompressed).', 413);
    return new AwsFault('InvalidParameterValue', 'The request body is marked Content-Encoding: gzip but is not valid gzip.', 400);
  }
}

interface Reply {
  service: ServiceName;
  json: boolean;
  requestId: string;
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, opts: ServerOptions): Promise<void> {
  const started = Date.now();
  const requestId = randomUUID();
  if (req.method === 'GET' && req.url === HEALTH_PATH) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pid: process.pid }));
    return;
  }
  const body = await readBody(req);
  const contentType = String(req.headers['content-type'] ?? '');
  const isJson = contentType.startsWith('application/x-amz-json');
  const guess: Reply = { service: guessService(body, req), json: isJson, requestId };
  if (body === undefined) return sendFault(res, guess, new AwsFault('RequestEntityTooLarge', 'Request body too large.', 413));

  const auth = verifySigV4({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body }, opts.keys);
  if ('code' in auth) {
    opts.log.warn(`rejected ${req.method} ${req.url}: ${auth.code}`);
    return sendFault(res, guess, new AwsFault(auth.code, auth.message, 403));
  }
  // The SDK gzips large PutMetricData bodies (the operation's requestCompression trait); SigV4 signs the gzip bytes.
  const payload = header(req, 'content-encoding')?.toLowerCase() === 'gzip' ? gunzipBounded(body) : body;
  if (payload instanceof AwsFault) return sendFault(res, guess, payload);
  const text = req.method === 'GET' ? new URL(req.url ?? '/', 'http://x').search.slice(1) : payload.toString('utf8');
  const c = classify(contentType, header(req, 'x-amz-target'), text, auth.service);
  if ('problem' in c) {
    // A client pointed at this endpoint for a service it does not serve (Secrets Manager, EC2 …): say so, and log it.
    opts.log.warn(`unserved request (signed for ${auth.service}): ${c.problem} ${requestId}`);
    const why = `${c.problem} This endpoint serves ${SERVED}; the request was signed for service ${auth.service}.`;
    return sendFault(res, guess, new AwsFault('InvalidAction', why, 400));
  }
  const reply: Reply = { service: c.service, json: c.protocol === 'json', requestId };
  const scope = checkScope(auth, { region: LOCAL_REGION, service: c.service });
  if (scope) {
    opts.log.warn(`rejected ${c.service} ${c.action}: ${scope.code} (scope ${auth.region}/${auth.service})`);
    return sendFault(res, reply, new AwsFault(scope.code, scope.message, 403));
  }

  const caller = auth.known.caller;
  const denied = caller.kind === 'root' ? undefined : opts.authorize(caller, c.service, c.action);
  if (denied) {
    opts.log.warn(`denied ${c.service} ${c.action} to ${caller.arn}`);
    return sendFault(res, reply, denied);
  }
  const actions = own(opts.registry, c.service);
  const handler = actions ? own(actions, c.action) : undefined;
  let status = 200;
  try {
    if (!handler) throw new AwsFault('InvalidAction', `The action ${c.action} is not valid for this endpoint (service ${c.service}).`, 400);
    const result = await handler({ service: c.service, action: c.action, flat: c.flat, json: c.json, requestId, accessKeyId: auth.accessKeyId, region: auth.region, caller });
    sendResult(res, reply, c.action, result);
  } catch (err) {
    const fault = err instanceof AwsFault ? err : internal(err, opts.log);
    status = fault.httpStatus;
    sendFault(res, reply, fault);
  } finally {
    // Never the body: the master password travels in it.
    opts.log.info(`${c.service} ${c.action} ${status} ${Date.now() - started}ms ${requestId}`);
  }
}

function internal(err: unknown, log: Logger): AwsFault {
  log.error(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  return new AwsFault('InternalFailure', 'The request processing has failed because of an unknown error.', 500, 'Receiver');
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function guessService(body: Buffer | undefined, req: http.IncomingMessage): ServiceName {
  const target = header(req, 'x-amz-target');
  if (target?.startsWith('GraniteService')) return 'monitoring';
  if (target?.startsWith('secretsmanager.')) return 'secretsmanager';
  const version = body ? parseForm(body.toString('utf8')).Version : undefined;
  return version === '2010-05-08' ? 'iam' : version === '2010-08-01' ? 'monitoring' : version === '2011-06-15' ? 'sts' : 'rds';
}

function sendResult(res: http.ServerResponse, r: Reply, action: string, result: OpResult): void {
  if (r.json) {
    // `this[k]`, not `v`: JSON.stringify has already turned a Date into its ISO string (toJSON) when the replacer sees v.
    const body = JSON.stringify(result, function (this: Record<string, unknown>, k, v: unknown) {
      const raw = this[k];
      return raw instanceof Date ? raw.getTime() / 1000 : v;
    });
    res.writeHead(200, { 'content-type': JSON_CONTENT_TYPE[r.service] ?? 'application/x-amz-json-1.0', 'x-amzn-requestid': r.requestId }).end(body);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': r.requestId }).end(successXml(r.service, action, result, r.requestId));
}

function sendFault(res: http.ServerResponse, r: Reply, f: AwsFault): void {
  if (r.json) {
    // Secrets Manager is no Query-compatible service: its errors are named by `__type` alone (and say `Message`),
    // and its signature errors carry the JSON services' names (InvalidSignatureException …).
    const sm = r.service === 'secretsmanager';
    const code = sm ? own(JSON_AUTH_CODES, f.code) ?? f.code : f.code;
    res.writeHead(f.httpStatus, {
      'content-type': JSON_CONTENT_TYPE[r.service] ?? 'application/x-amz-json-1.0',
      'x-amzn-requestid': r.requestId,
      ...(sm ? {} : { 'x-amzn-query-error': `${f.code};${f.type}` }),
    }).end(JSON.stringify(sm ? { __type: code, Message: f.message } : { __type: jsonErrorType(r.service, f.code) ?? f.code, message: f.message }));
    return;
  }
  res.writeHead(f.httpStatus, { 'content-type': 'text/xml', 'x-amzn-requestid': r.requestId })
    .end(errorXml(r.service, { code: f.code, message: f.message, type: f.type }, r.requestId));
}
