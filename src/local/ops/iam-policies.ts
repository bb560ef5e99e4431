import type { Policy, PolicyVersion } from '@aws-sdk/client-iam';
import type { OpHandler } from '../server/types.js';
import { iamStores, newId, type PolicyRecord } from '../state/iam.js';
import type { OpsContext } from './context.js';
import { attachmentCount, deleteConflict, entityExists, iamArn, iamName, iamPath, noSuchEntity, policyByArn, policyDocument } from './iam-common.js';
import { required, str } from './params.js';

/** Customer managed policies with one version (v1): CreatePolicy, GetPolicy, GetPolicyVersion, DeletePolicy. */

function renderPolicy(ctx: OpsContext, p: PolicyRecord): Policy {
  const when = new Date(p.createDate);
  return {
    PolicyName: p.id, PolicyId: p.policyId, Arn: p.arn, Path: p.path, DefaultVersionId: 'v1',
    AttachmentCount: attachmentCount(iamStores(ctx.home), p.arn), PermissionsBoundaryUsageCount: 0, IsAttachable: true,
    Description: p.description, CreateDate: when, UpdateDate: when,
  };
}

export function createPolicy(ctx: OpsContext): OpHandler<{ Policy: Policy }> {
  return async (req) => {
    const name = iamName(req.flat, 'PolicyName', 128);
    const path = iamPath(req.flat);
    const document = policyDocument(req.flat, 'PolicyDocument');
    const policies = iamStores(ctx.home).policies;
    if (policies.get(name)) throw entityExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
    const rec: PolicyRecord = { id: name, policyId: newId('ANPA'), arn: iamArn('policy', path, name), path, document, description: str(req.flat, 'Description'), createDate: new Date().toISOString() };
    policies.save(rec);
    return { Policy: renderPolicy(ctx, rec) };
  };
}

export function getPolicy(ctx: OpsContext): OpHandler<{ Policy: Policy }> {
  return async (req) => ({ Policy: renderPolicy(ctx, policyByArn(iamStores(ctx.home), required(req.flat, 'PolicyArn'))) });
}

export function getPolicyVersion(ctx: OpsContext): OpHandler<{ PolicyVersion: PolicyVersion }> {
  return async (req) => {
    const p = policyByArn(iamStores(ctx.home), required(req.flat, 'PolicyArn'));
    const version = required(req.flat, 'VersionId');
    if (version !== 'v1') throw noSuchEntity(`Policy ${p.arn} version ${version} does not exist or is not attachable.`);
    // URL-encoded, as AWS returns policy documents.
    return { PolicyVersion: { Document: encodeURIComponent(p.document), VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date(p.createDate) } };
  };
}

/** Refused while attached to a role or user (DeleteConflict), as AWS does. */
export function deletePolicy(ctx: OpsContext): OpHandler<object> {
  return async (req) => {
    const stores = iamStores(ctx.home);
    const p = policyByArn(stores, required(req.flat, 'PolicyArn'));
    if (attachmentCount(stores, p.arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
    stores.policies.remove(p.id);
    return {};
  };
}
