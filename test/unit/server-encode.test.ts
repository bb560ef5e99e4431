import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { renderInstance } from '../../src/local/ops/instances-render.js';
import { describeEvents } from '../../src/local/ops/events-describe.js';
import { listTagsForResource } from '../../src/local/ops/instances-tags.js';
import { describeDBInstances } from '../../src/local/ops/instances-describe.js';
import { successXml } from '../../src/local/server/xml.js';
import { EventLog } from '../../src/local/state/events.js';
import { ensureHome } from '../../src/local/state/home.js';

/**
 * Typed op results encoded by the operation shapes (from the SDK model) give the same bytes as the
 * XML-shaped results written by hand before: server-encode.golden.xml was produced by that code.
 */
const rec: any = {
  id: 'shop', dbiResourceId: 'db-ABC', engine: 'mariadb', engineVersion: '10.11.6', instanceClass: 'db.t4g.micro', masterUsername: 'admin',
  manageMasterUserPassword: true, dbName: 'app', port: 4000, serverId: 1, nodes: [{ id: 'shop', role: 'primary', port: 4000, serverId: 1 }],
  allocatedStorage: 100, maxAllocatedStorage: 200, storageType: 'gp3', backupRetentionPeriod: 7,
  preferredBackupWindow: '03:00-03:30', preferredMaintenanceWindow: 'sun:05:00-sun:05:30', storageEncrypted: true, deletionProtection: false,
  createTime: '2026-01-01T00:00:00.123Z', status: 'available', desiredState: 'running', initCompleted: true, pending: { DBInstanceClass: 'db.t4g.small' },
  tags: [{ Key: 'a', Value: 'b' }, { Key: 'c&', Value: '' }], availabilityZone: 'us-east-1a', autoMinorVersionUpgrade: false,
};
const req = (flat: Record<string, string>) => ({ service: 'rds' as const, action: 'x', flat, requestId: 'r', accessKeyId: 'k', region: 'us-east-1' });

it('Query XML of Create/DescribeDBInstances, ListTags, AddTags and DescribeEvents is byte-identical to the hand-shaped XML', async () => {
  const out: string[] = [];
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-'));
  ensureHome(home);
  // DescribeDBInstances reads the automated-backup store for LatestRestorableTime: an empty home has none.
  const ctx: any = { home, registry: { get: () => rec, list: () => [rec, { ...rec, id: 'zed', initCompleted: false, tags: [] }] }, caValidTill: new Date(0) };
  out.push(successXml('rds', 'CreateDBInstance', { DBInstance: renderInstance(rec, new Date(0)) }, 'r'));
  out.push(successXml('rds', 'DescribeDBInstances', await describeDBInstances(ctx)(req({})), 'r'));
  out.push(successXml('rds', 'ListTagsForResource', await listTagsForResource(ctx)(req({ ResourceName: 'arn:aws:rds:us-east-1:000000000000:db:shop' })), 'r'));
  out.push(successXml('rds', 'AddTagsToResource', {}, 'r'));
  const events = new EventLog(home);
  events.append({ Date: '2026-01-01T10:00:00.000Z', SourceIdentifier: 'shop', Message: 'm1 <x>', EventCategories: ['creation', 'notification'], SourceArn: 'arn:aws:rds:us-east-1:000000000000:db:shop' });
  events.append({ Date: '2026-01-01T11:00:00.000Z', SourceIdentifier: 'shop', Message: 'm2', EventCategories: [] });
  out.push(successXml('rds', 'DescribeEvents', await describeEvents({ events } as any)(req({ StartTime: '2026-01-01T00:00:00Z', EndTime: '2026-01-02T00:00:00Z' })), 'r'));
  fs.rmSync(home, { recursive: true, force: true });
  const text = out.join('\n\n');
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(new URL('./server-encode.golden.xml', import.meta.url), text);
  expect(text).toBe(fs.readFileSync(new URL('./server-encode.golden.xml', import.meta.url), 'utf8'));
});
