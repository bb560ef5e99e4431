/**
 * What `rdsctl delete` does with the passwords `rdsctl users` kept for the instance (docs/SECURITY.md,
 * "Database users"): they live as long as something can bring those users back. On the local target the
 * control plane does it for every client (ops/user-secrets-keep.ts: the instance's copy removed, a copy with
 * each snapshot and with retained automated backups); this only says so. On AWS rdsctl cannot follow the
 * snapshots' lives, so it removes them when nothing can restore the users, and otherwise keeps them and says where.
 */
export interface UsersOnDelete {
  users: string[];
  /** true: rdsctl removed (or the local endpoint removes) the instance's kept passwords. */
  removed: boolean;
  /** What still holds a copy for a restore (or, on AWS, why they are kept). */
  keptWith: string[];
  /** On AWS when kept: the folder, to remove by hand once no snapshot needs them. */
  folder?: string;
}

export interface DeleteFacts {
  home: string;
  target: 'local' | 'aws';
  region?: string;
  id: string;
  finalSnapshot?: string;
  /** Automated backups retained (retention > 0 and --keep-automated-backups). */
  keptBackups: boolean;
  /** Manual snapshots of the instance that exist now (asked only when it has kept users). */
  snapshots: () => Promise<string[]>;
}

const scopeOf = (f: Pick<DeleteFacts, 'target' | 'region'>) => (f.target === 'local' ? 'local' : `aws-${f.region ?? 'default'}`);

/** Before the delete: the users kept for the instance and what will happen to their passwords; undefined when there are none. */
export async function usersOnDelete(f: DeleteFacts): Promise<UsersOnDelete | undefined> {
  const { listUserSecrets, userSecretsDir } = await import('../local/state/user-secrets.js');
  const users = listUserSecrets(f.home, scopeOf(f), f.id).map((s) => s.username);
  if (users.length === 0) return undefined;
  const snapshots = (await f.snapshots()).filter((s) => s !== f.finalSnapshot);
  const keptWith = [
    ...(f.finalSnapshot ? [`snapshot ${f.finalSnapshot}`] : []),
    ...(f.keptBackups ? ['the retained automated backups'] : []),
    ...(snapshots.length > 0 ? [`the snapshots taken while they existed (${snapshots.join(', ')})`] : []),
  ];
  if (f.target === 'local') return { users, removed: true, keptWith };
  return keptWith.length === 0 ? { users, removed: true, keptWith } : { users, removed: false, keptWith, folder: userSecretsDir(f.home, scopeOf(f), f.id) };
}

/** After AWS accepted the delete: removes them when nothing can restore those users (the local endpoint does its own). */
export async function applyUsersOnDelete(f: DeleteFacts, plan: UsersOnDelete | undefined): Promise<void> {
  if (!plan || f.target === 'local' || !plan.removed) return;
  (await import('../local/state/user-secrets.js')).removeUserSecrets(f.home, scopeOf(f), f.id);
}

/** One line for the human output. */
export function usersOnDeleteText(p: UsersOnDelete): string {
  const who = `the database users ${p.users.join(', ')} (rdsctl users)`;
  if (!p.removed) {
    return `The kept passwords of ${who} stay in ${p.folder}: ${p.keptWith.join(' and ')} can bring those users back; rdsctl does not follow AWS snapshots, so remove that folder once none is needed.`;
  }
  if (p.keptWith.length === 0) return `The kept passwords of ${who} are removed with it: nothing that could restore those users is left.`;
  return `The kept passwords of ${who} are removed with it; a copy stays with ${p.keptWith.join(' and ')}, and a restore brings the users back with it (removed with what holds it).`;
}

/**
 * After a restore has finished: what the local endpoint said about the users it brought back (its
 * DescribeEvents: those given their kept password, those whose password it no longer holds). Local target only (AWS says nothing of them).
 */
export async function restoredUsersNotes(rds: import('@aws-sdk/client-rds').RDSClient, id: string, since: Date): Promise<string[]> {
  const { DescribeEventsCommand } = await import('@aws-sdk/client-rds');
  const out = await rds.send(new DescribeEventsCommand({ SourceIdentifier: id, SourceType: 'db-instance', StartTime: since }));
  // This restore's, not an earlier instance's of the same name.
  return (out.Events ?? []).filter((e) => !e.Date || e.Date >= since).map((e) => e.Message ?? '').filter((m) => m.startsWith('Database users restored'));
}

/**
 * After a promotion: the promoted instance's database users are its former source's (replication made
 * them), so the passwords rdsctl keeps for the source serve it too. The local endpoint adopts them itself,
 * each checked against the account's hash (ops/user-secrets-keep.ts); on AWS rdsctl copies them (checking
 * would need the master password). Returns the users whose passwords the promoted instance now has.
 */
export async function usersOnPromote(f: Pick<DeleteFacts, 'home' | 'target' | 'region' | 'id'> & { source: string }): Promise<string[]> {
  const { listUserSecrets, readUserSecret, writeUserSecret } = await import('../local/state/user-secrets.js');
  const scope = scopeOf(f);
  if (f.target === 'aws') {
    for (const s of listUserSecrets(f.home, scope, f.source)) if (!readUserSecret(f.home, scope, f.id, s.username)) writeUserSecret(f.home, scope, f.id, s);
  }
  return listUserSecrets(f.home, scope, f.id).map((s) => s.username);
}
