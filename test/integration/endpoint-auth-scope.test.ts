import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { startHarness, type Harness } from './endpoint-harness.js';

// A signature is only good for the scope it names: this endpoint's region and the request's service.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('ep-scope');
});
afterAll(async () => {
  await h?.close();
});

async function post(body: string, opts: { region?: string; service?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
  const url = new URL(h.info.url);
  const signer = new SignatureV4({ service: opts.service ?? 'rds', region: opts.region ?? 'us-east-1', sha256: Sha256, applyChecksum: false,
    credentials: { accessKeyId: h.info.accessKeyId, secretAccessKey: h.info.secretAccessKey } });
  const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', body,
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded', ...opts.headers } });
  const signed = await signer.sign(req, { signingDate: new Date() });
  const res = await fetch(h.info.url, { method: 'POST', headers: signed.headers, body });
  return { status: res.status, text: (await res.text()).replaceAll('&apos;', "'") };
}

const create = 'Action=CreateDBInstance&Version=2014-10-31&DBInstanceIdentifier=scoped&DBInstanceClass=db.t4g.micro&Engine=mariadb&AllocatedStorage=20&MasterUsername=admin&MasterUserPassword=Sup3r-secret!';
const instances = async () => (await h.rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];

describe('credential scope', () => {
  it.each([
    ['region eu-west-1', { region: 'eu-west-1' }, "valid region, not 'eu-west-1'"],
    ['service s3', { service: 's3' }, "correct service: 'rds'"],
    ['service iam for an RDS action', { service: 'iam' }, "correct service: 'rds'"],
  ])('refuses a body signed for %s with 403 SignatureDoesNotMatch and creates nothing', async (_what, scope, message) => {
    const r = await post(create, scope);
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(r.text).toContain(message);
    expect(await instances()).toEqual([]);
  });

  it('accepts the right scope for each protocol on the one port', async () => {
    expect((await post('Action=DescribeDBInstances&Version=2014-10-31')).status).toBe(200);
    const cw = await post('{}', { service: 'monitoring', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' } });
    expect(cw.text).not.toContain('SignatureDoesNotMatch');
    const cwAsRds = await post('{}', { headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' } });
    expect(cwAsRds.status).toBe(403);
  });
});

describe('action names that are Object.prototype members', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('Action=%s → 400 InvalidAction', async (action) => {
    const r = await post(`Action=${action}&Version=2014-10-31`);
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>InvalidAction</Code>');
  });

  it('a Version or x-amz-target prefix named like them is looked up in the tables\' own keys only', async () => {
    const v = await post('Action=DescribeDBInstances&Version=__proto__'); // unknown Version: the scope's service decides
    expect(v.status).toBe(200);
    expect(v.text).toContain('<DescribeDBInstancesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">');
    const t = await post('{}', { service: 'monitoring', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'constructor.toString' } });
    expect(t.status).toBe(400);
    expect(t.text).toContain('InvalidAction');
  });
});
