import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that went through the capture proxy, with the endpoint's answer. */
export interface Captured {
  params: Record<string, string>;
  status: number;
  response: string;
}

/**
 * A recording HTTP proxy on 127.0.0.1 in front of a real endpoint: the CLI is pointed at it with
 * --endpoint-url, every request goes on unchanged (headers too, so SigV4 still verifies) and the test
 * reads the form parameters that were on the wire and what the endpoint answered.
 */
export async function startCaptureProxy(upstream: string): Promise<{ url: string; requests: Captured[]; close(): Promise<void> }> {
  const to = new URL(upstream);
  const requests: Captured[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const up = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        const out: Buffer[] = [];
        r.on('data', (c: Buffer) => out.push(c));
        r.on('end', () => {
          const response = Buffer.concat(out);
          requests.push({ params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), status: r.statusCode ?? 0, response: response.toString('utf8') });
          res.writeHead(r.statusCode ?? 502, r.headers);
          res.end(response);
        });
      });
      up.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
