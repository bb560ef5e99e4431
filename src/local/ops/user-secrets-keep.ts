import path from 'node:path';
import { nativePasswordHash, withAdmin } from '../engine/admin.js';
import type { InstancePaths } from '../engine/types.js';
import { listUserSecrets, listUserSecretsIn, removeUserSecrets, userSecretsDir, writeUserSecretIn, type UserSecret } from '../state/user-secrets.js';
import type { OpsContext } from './context.js';

/**
 * How long the passwords of `rdsctl users` live on the local target: as long as something can bring those
 * users back. A snapshot holds the users' password hashes (mysql.global_priv), so it gets a 0600 copy of
 * their passwords as they are when it is taken (`<snapshot>/users/`), removed with the snapshot; retained
 * automated backups get one at the delete (`backups/<dbi>/users/`), removed with them. DeleteDBInstance
 * removes the instance's own (whoever sends it: rdsctl, the AWS CLI, boto3). A restore gives the new
 * instance the passwords that still open its accounts (checked against the restored hashes: a point in time
 * can precede a rotation) and names the others, whose passwords nobody holds any more.
 */
const SCOPE = 'local';

export const keptUsersDir = (root: string) => path.join(root, 'users');

/** The instance's users' passwords, copied into a snapshot's or a retained backup's folder; their names. */
export function keepUserSecrets(ctx: OpsContext, instanceId: string, root: string): string[] {
  const kept = listUserSecrets(ctx.home, SCOPE, instanceId);
  for (const s of kept) writeUserSecretIn(keptUsersDir(root), s);
  return kept.map((s) => s.username);
}

/** DeleteDBInstance: the instance's own copies go; the event says which, and whether a copy remains. */
export function forgetUserSecrets(ctx: OpsContext, id: string, keptWith: string[]): void {
  const names = removeUserSecrets(ctx.home, SCOPE, id);
  if (names.length === 0) return;
  const where = keptWith.length > 0 ? `; copies stay with ${keptWith.join(' and ')} for a restore` : '; nothing that could restore those users is left';
  ctx.event(id, `Removed the kept passwords of the database users ${names.join(', ')} (rdsctl users)${where}`, ['deletion']);
}

/** The users' passwords a restore starts from: those kept with the snapshot or backups, or a live source's own. */
export function userSecretsFrom(ctx: OpsContext, root: string, liveSource?: string): UserSecret[] {
  return liveSource ? listUserSecrets(ctx.home, SCOPE, liveSource) : listUserSecretsIn(keptUsersDir(root));
}

/** The events an adoption writes: after a restore, or after a promotion (the users came with replication). */
const ADOPTION = {
  restore: {
    category: 'restoration',
    adopted: (id: string, names: string[]) => `Database users restored with their kept passwords: ${names.join(', ')} (rdsctl credentials ${id} --user NAME)`,
    unknown: (id: string, names: string[]) => `Database users restored whose password at that point rdsctl no longer holds: ${names.join(', ')}; drop and create them again (rdsctl users drop ${id} NAME, then rdsctl users create)`,
  },
  promotion: {
    category: 'read replica',
    adopted: (id: string, names: string[]) => `Database users kept with their passwords, as replication brought them: ${names.join(', ')} (rdsctl credentials ${id} --user NAME)`,
    unknown: (id: string, names: string[]) => `Database users whose password here is not the one rdsctl keeps for the former source: ${names.join(', ')}; rotate them (rdsctl users rotate ${id} NAME)`,
  },
} as const;

/**
 * On the restored (or promoted) node: each kept password whose account has that very hash is the instance's;
 * an account with another hash (rotated after the restore point, or not yet replicated) or none (made after
 * it) is named, never given a wrong password.
 */
export async function adoptUserSecrets(ctx: OpsContext, id: string, paths: InstancePaths, secrets: UserSecret[], occasion: keyof typeof ADOPTION = 'restore'): Promise<void> {
  if (secrets.length === 0) return;
  const hashes = await withAdmin(paths, async (c) => {
    const [rows] = await c.query('SELECT User AS u, Host AS h, authentication_string AS a FROM mysql.user');
    return new Map((rows as { u: string; h: string; a: string }[]).map((r) => [`${r.u}@${r.h}`, r.a]));
  });
  const adopted: string[] = [];
  const unknown: string[] = [];
  for (const s of secrets) {
    const hash = hashes.get(`${s.username}@${s.host}`);
    if (hash === nativePasswordHash(s.password)) {
      writeUserSecretIn(userSecretsDir(ctx.home, SCOPE, id), s);
      adopted.push(s.username);
    } else if (hash !== undefined) unknown.push(s.username);
  }
  const how = ADOPTION[occasion];
  if (adopted.length > 0) ctx.event(id, how.adopted(id, adopted), [how.category]);
  if (unknown.length > 0) ctx.event(id, how.unknown(id, unknown), [how.category]);
}
