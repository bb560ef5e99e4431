import type { AttachedPolicy, Role } from '@aws-sdk/client-iam';
import type { OpHandler } from '../server/types.js';
import { iamStores, newId, type RoleRecord } from '../state/iam.js';
import type { OpsContext } from './context.js';
import { attachedList, attachPolicy, deleteConflict, detachPolicy, entityExists, iamArn, iamName, iamPath, noSuchEntity, policyDocument, validationError } from './iam-common.js';
import { int, required, str } from './params.js';

/** IAM roles: CreateRole, GetRole, DeleteRole and their managed-policy attachments. */

export function renderRole(r: RoleRecord): Role {
  return {
    Path: r.path, RoleName: r.id, RoleId: r.roleId, Arn: r.arn, CreateDate: new Date(r.createDate),
    // AWS returns the trust policy URL-encoded (RFC 3986), as the SDK passes it through.
    AssumeRolePolicyDocument: encodeURIComponent(r.trustPolicy), Description: r.description, MaxSessionDuration: r.maxSessionDuration,
  };
}

export function requireRole(ctx: Pick<OpsContext, 'home'>, name: string): RoleRecord {
  const r = iamStores(ctx.home).roles.get(name);
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

export function createRole(ctx: OpsContext): OpHandler<{ Role: Role }> {
  return async (req) => {
    const name = iamName(req.flat, 'RoleName', 64);
    const path = iamPath(req.flat);
    const trustPolicy = policyDocument(req.flat, 'AssumeRolePolicyDocument');
    const max = int(req.flat, 'MaxSessionDuration') ?? 3600;
    if (max < 3600 || max > 43200) throw validationError('MaxSessionDuration must be between 3600 and 43200 seconds.');
    const roles = iamStores(ctx.home).roles;
    if (roles.get(name)) throw entityExists(`Role with name ${name} already exists.`);
    const rec: RoleRecord = { id: name, roleId: newId('AROA'), arn: iamArn('role', path, name), path, trustPolicy, description: str(req.flat, 'Description'), maxSessionDuration: max, createDate: new Date().toISOString(), attached: [] };
    roles.save(rec);
    return { Role: renderRole(rec) };
  };
}

export function getRole(ctx: OpsContext): OpHandler<{ Role: Role }> {
  return async (req) => ({ Role: renderRole(requireRole(ctx, required(req.flat, 'RoleName'))) });
}

export function deleteRole(ctx: OpsContext): OpHandler<object> {
  return async (req) => {
    const role = requireRole(ctx, required(req.flat, 'RoleName'));
    if (role.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    iamStores(ctx.home).roles.remove(role.id);
    return {};
  };
}

export function attachRolePolicy(ctx: OpsContext): OpHandler<object> {
  return async (req) => {
    const stores = iamStores(ctx.home);
    return attachPolicy(stores, stores.roles, requireRole(ctx, required(req.flat, 'RoleName')), req.flat);
  };
}

export function detachRolePolicy(ctx: OpsContext): OpHandler<object> {
  return async (req) => detachPolicy(iamStores(ctx.home).roles, requireRole(ctx, required(req.flat, 'RoleName')), req.flat);
}

export function listAttachedRolePolicies(ctx: OpsContext): OpHandler<{ AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean }> {
  return async (req) => {
    const role = requireRole(ctx, required(req.flat, 'RoleName'));
    return { AttachedPolicies: attachedList(iamStores(ctx.home), role.attached), IsTruncated: false };
  };
}
