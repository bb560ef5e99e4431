import type { RDSClient } from '@aws-sdk/client-rds';
import type { IAMClient } from '@aws-sdk/client-iam';
import { parseArn } from '../core/arn.js';
import { connectPolicyName, policyArnFor, roleNameOf } from '../core/iam-grant.js';
import { describeServingInstance } from './instances.js';
import { masterSession, userPlugin, type GrantRequest } from './iam-grant.js';

export interface RevokeResult {
  changed: boolean;
  actions: string[];
  sqlToRun: string[];
}

/**
 * Undoes `iam grant`: detaches the policy from the role, deletes it once nothing else holds it (IAM
 * refuses while attached: DeleteConflict, then it stays), and drops the IAM database user. What is
 * already gone is skipped, so a second revoke changes nothing.
 */
export async function revokeIamAccess(rds: RDSClient, iam: IAMClient, req: Omit<GrantRequest, 'database' | 'privileges'>): Promise<RevokeResult> {
  const db = await describeServingInstance(rds, req.id);
  const { GetRoleCommand, DetachRolePolicyCommand, DeletePolicyCommand } = await import('@aws-sdk/client-iam');
  const roleName = roleNameOf(req.role);
  const role = await iam.send(new GetRoleCommand({ RoleName: roleName })).catch((e: Error) => {
    if (e.name === 'NoSuchEntityException') return undefined;
    throw e;
  });
  const account = role ? parseArn(role.Role!.Arn!)!.account : undefined;
  const actions: string[] = [];
  const session = await masterSession(rds, req);
  try {
    if (account) {
      const policyArn = policyArnFor(account, connectPolicyName(db.DBInstanceIdentifier!, req.dbUser));
      if (await ignoreMissing(iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })))) actions.push(`detach ${policyArn} from role ${roleName}`);
      const deleted = await ignoreMissing(iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })).catch((e: Error) => {
        if (e.name === 'DeleteConflictException') return undefined; // another role or user still holds it
        throw e;
      }));
      if (deleted) actions.push(`delete IAM policy ${policyArn}`);
    }
    const sqlToRun = session ? [] : [`DROP USER IF EXISTS '${req.dbUser}'@'%'`];
    const plugin = session ? await userPlugin(session, req.dbUser) : undefined;
    if (session && (plugin === 'pam' || plugin === 'AWSAuthenticationPlugin')) { // never a password user of the same name
      await session.query("DROP USER ?@'%'", [req.dbUser]);
      actions.push(`drop database user '${req.dbUser}'@'%'`);
    }
    return { changed: actions.length > 0, actions, sqlToRun };
  } finally {
    await session?.close();
  }
}

/** true when the call did something; false when IAM said the thing is not there (NoSuchEntity). */
async function ignoreMissing(p: Promise<unknown>): Promise<boolean> {
  try {
    return (await p) !== undefined;
  } catch (e) {
    if ((e as Error).name === 'NoSuchEntityException') return false;
    throw e;
  }
}
