import { describe, expect, it } from 'vitest';
import { labelWithDatabase } from '../../src/db/dsn.js';
import { resolveLoadTargets } from '../../src/services/loadtest-target.js';

// QA: `loadtest prepare` printed the instance's own database (its DBName, or the DSN's) in the URL,
// while the store lives in --database (default loadtest). The labels name the store's database.
describe('load targets name the store database', () => {
  it.each([
    ['mysql://admin@127.0.0.1:4001/app (shop)', 'mysql://admin@127.0.0.1:4001/loadtest (shop)'],
    ['mysql://admin@127.0.0.1:4001/ (shop)', 'mysql://admin@127.0.0.1:4001/loadtest (shop)'],
    ['mysql://u@localhost/app?socket=/run/m.sock', 'mysql://u@localhost/loadtest?socket=/run/m.sock'],
  ])('%s → %s', (label, want) => {
    expect(labelWithDatabase(label, 'loadtest')).toBe(want);
  });

  it('--dsn with another database and --replica-dsn: every label shows the store', async () => {
    const t = await resolveLoadTargets({ dsn: 'mysql://u:pw@db.example:3306/app', replicaDsns: ['mysql://u@r1.example:3306/app'], target: 'local', home: '/nonexistent' });
    expect(t.database).toBe('app');
    const other = await resolveLoadTargets({ dsn: 'mysql://u:pw@db.example:3306/app', database: 'store', replicaDsns: ['mysql://u@r1.example:3306/'], target: 'local', home: '/nonexistent' });
    expect([other.primary.label, other.replicas[0].label]).toEqual(['mysql://u@db.example:3306/store', 'mysql://u@r1.example:3306/store']);
  });
});
