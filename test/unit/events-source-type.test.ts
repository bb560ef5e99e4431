import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEvents } from '../../src/local/ops/events-describe.js';
import { EventLog } from '../../src/local/state/events.js';
import { ensureHome } from '../../src/local/state/home.js';
import type { OpRequest } from '../../src/local/server/types.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-events-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const request = (flat: Record<string, string>): OpRequest =>
  ({ service: 'rds', action: 'DescribeEvents', flat, requestId: 'r', accessKeyId: 'k', region: 'us-east-1' });

describe('events carry their SourceType', () => {
  ensureHome(home);
  const events = new EventLog(home);
  events.append({ SourceIdentifier: 'shop', Message: 'DB instance created', EventCategories: ['creation'] });
  events.append({ SourceIdentifier: 'shop-final', SourceType: 'db-snapshot', Message: 'Creating manual snapshot', EventCategories: ['creation'] });
  const describe_ = describeEvents({ events });
  const messages = async (flat: Record<string, string>) => {
    const out = await describe_(request(flat));
    return out.Events!.map((e) => `${e.SourceType} ${e.Message}`);
  };

  it('an event without a type is a db-instance event; one with a type keeps it', () => {
    expect(events.read().map((e) => e.SourceType)).toEqual(['db-instance', 'db-snapshot']);
  });

  it('DescribeEvents filters by SourceType, and without one returns every type', async () => {
    expect(await messages({ SourceType: 'db-instance' })).toEqual(['db-instance DB instance created']);
    expect(await messages({ SourceType: 'db-snapshot' })).toEqual(['db-snapshot Creating manual snapshot']);
    expect(await messages({ SourceType: 'db-cluster' })).toEqual([]);
    expect(await messages({})).toHaveLength(2);
  });
});
