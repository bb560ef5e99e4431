import type { GrantResult } from '../../services/iam-grant.js';
import type { RevokeResult } from '../../services/iam-revoke.js';

/** Human output of `iam grant` / `iam revoke`: what changed (or "nothing changed"), then what is left to do by hand. */
export function renderGrant(id: string, dbUser: string, r: GrantResult): string {
  const head = r.dryRun
    ? `Would grant IAM access to ${id} as ${dbUser}${r.actions.length ? ':' : ' — nothing to change.'}`
    : r.changed ? `Granted IAM access to ${id} as ${dbUser}:` : `Nothing changed: ${r.roleArn} can already connect to ${id} as ${dbUser}.`;
  const lines = [head, ...r.actions.map((a) => `  - ${a}`)];
  if (r.dryRun) lines.push('', `Policy document (${r.policyArn}):`, JSON.stringify(r.policyDocument, null, 2));
  if (r.sqlToRun.length > 0) lines.push('', 'Run as the master user (rdsctl does not hold its password on this target):', ...r.sqlToRun.map((q) => `  ${q};`));
  if (!r.dryRun) lines.push('', `Connect: rdsctl connect ${id} --iam --db-user ${dbUser} --shell`);
  return lines.join('\n');
}

export function renderRevoke(id: string, dbUser: string, r: RevokeResult): string {
  const lines = [r.changed ? `Revoked IAM access to ${id} as ${dbUser}:` : `Nothing changed: no IAM access to ${id} as ${dbUser} was left to revoke.`, ...r.actions.map((a) => `  - ${a}`)];
  if (r.sqlToRun.length > 0) lines.push('', 'Run as the master user:', ...r.sqlToRun.map((q) => `  ${q};`));
  return lines.join('\n');
}
