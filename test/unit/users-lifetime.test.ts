import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyUsersOnDelete, usersOnDelete, usersOnDeleteText, type DeleteFacts } from '../../src/services/users-lifetime.js';
import { listUserSecrets, userSecretsDir, writeUserSecret } from '../../src/local/state/user-secrets.js';

// `rdsctl delete` and the passwords `rdsctl users` kept (docs/SECURITY.md, "Deleting the instance"): on AWS rdsctl
// itself removes them when nothing can restore the users, and keeps them (saying where) otherwise; on the
// local target the control plane does it (test/integration/cli-users-lifetime-local.test.ts), this only says so.
const homes: string[] = [];
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })));

function homeWithUsers(scope: string): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'rdsctl-users-life-'));
  homes.push(home);
  for (const username of ['app_rw', 'ro']) writeUserSecret(home, scope, 'shop', { username, password: `pw-${username}`, role: 'app', database: 'shop', host: '%' });
  return home;
}

const facts = (home: string, over: Partial<DeleteFacts> = {}): DeleteFacts => ({
  home, target: 'aws', region: 'eu-west-1', id: 'shop', keptBackups: false, snapshots: async () => [], ...over,
});

describe('users on delete, target aws', () => {
  it('nothing can restore the users: removed after the delete, and said so', async () => {
    const home = homeWithUsers('aws-eu-west-1');
    const plan = (await usersOnDelete(facts(home)))!;
    expect(plan).toEqual({ users: ['app_rw', 'ro'], removed: true, keptWith: [] });
    expect(usersOnDeleteText(plan)).toBe('The kept passwords of the database users app_rw, ro (rdsctl users) are removed with it: nothing that could restore those users is left.');
    await applyUsersOnDelete(facts(home), plan);
    expect(existsSync(userSecretsDir(home, 'aws-eu-west-1', 'shop'))).toBe(false);
  });

  it('a final snapshot, kept backups or an existing snapshot can restore them: kept, and the folder named', async () => {
    const home = homeWithUsers('aws-eu-west-1');
    const f = facts(home, { finalSnapshot: 'shop-final', keptBackups: true, snapshots: async () => ['shop-final', 'nightly'] });
    const plan = (await usersOnDelete(f))!;
    expect(plan.removed).toBe(false);
    expect(plan.keptWith).toEqual(['snapshot shop-final', 'the retained automated backups', 'the snapshots taken while they existed (nightly)']);
    expect(usersOnDeleteText(plan)).toContain(`stay in ${userSecretsDir(home, 'aws-eu-west-1', 'shop')}: snapshot shop-final and`);
    await applyUsersOnDelete(f, plan);
    expect(listUserSecrets(home, 'aws-eu-west-1', 'shop').map((s) => s.username)).toEqual(['app_rw', 'ro']);
    expect(JSON.stringify(plan)).not.toContain('pw-');
  });

  it('another region or the local target is not touched; no kept users: nothing to say, snapshots not even asked', async () => {
    const home = homeWithUsers('local');
    let asked = false;
    expect(await usersOnDelete(facts(home, { snapshots: async () => { asked = true; return []; } }))).toBeUndefined();
    expect(asked).toBe(false);
    const local = facts(home, { target: 'local' });
    const plan = (await usersOnDelete(local))!;
    expect(plan).toEqual({ users: ['app_rw', 'ro'], removed: true, keptWith: [] });
    await applyUsersOnDelete(local, plan); // the control plane removes them itself
    expect(listUserSecrets(home, 'local', 'shop')).toHaveLength(2);
  });
});
