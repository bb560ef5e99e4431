import { createHash } from 'node:crypto';
import type { SecurityInspection } from '../../core/security/facts.js';
import { canonicalRequest, signature } from '../server/sigv4.js';
import { ensureLocalEndpoint } from './endpoint.js';

const TARGET = 'RdsctlLocal_20261201.InspectDBInstanceSecurity';

/**
 * Calls the local endpoint's rdsctl-only InspectDBInstanceSecurity (no AWS SDK client models it), signed
 * with SigV4 for rds like every other request, so the control plane does the privileged looking (the
 * datadir, /proc, file modes) and the CLI never reads a node's folder itself.
 */
export async function inspectLocalInstance(home: string, id: string): Promise<SecurityInspection> {
  const ep = await ensureLocalEndpoint(home);
  const body = JSON.stringify({ DBInstanceIdentifier: id });
  const url = new URL(ep.url);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-date': amzDate,
    'x-amz-target': TARGET,
  };
  const signed = Object.keys(headers).sort();
  const hash = createHash('sha256').update(body).digest('hex');
  const canonical = canonicalRequest({ method: 'POST', url: '/', headers, body: Buffer.from(body) }, signed, hash);
  const scope = [amzDate.slice(0, 8), ep.region, 'rds'];
  const sig = signature(ep.secretAccessKey, amzDate, scope, canonical);
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${ep.accessKeyId}/${scope.join('/')}/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${sig}`;
  const res = await fetch(new URL('/', ep.url), { method: 'POST', headers, body });
  const json = (await res.json()) as SecurityInspection & { __type?: string; message?: string };
  if (!res.ok) {
    const name = (json.__type ?? 'InternalFailure').split('#').pop()!;
    throw Object.assign(new Error(json.message ?? `InspectDBInstanceSecurity answered ${res.status}`), { name, $metadata: { httpStatusCode: res.status } });
  }
  return json;
}
