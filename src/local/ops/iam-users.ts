import type { AccessKey, AttachedPolicy, User } from '@aws-sdk/client-iam';
import { AwsFault, type OpHandler } from '../server/types.js';
import { iamStores, newId, newSecret, type UserRecord } from '../state/iam.js';
import type { OpsContext } from './context.js';
import { attachedList, attachPolicy, detachPolicy, entityExists, iamArn, iamName, iamPath, noSuchEntity } from './iam-common.js';
import { required } from './params.js';

/** IAM users (a second kind of principal): CreateUser, GetUser, CreateAccessKey, user policy attachments. */

const renderUser = (u: UserRecord): User => ({ Path: u.path, UserName: u.id, UserId: u.userId, Arn: u.arn, CreateDate: new Date(u.createDate) });

function requireUser(ctx: OpsContext, name: string): UserRecord {
  const u = iamStores(ctx.home).users.get(name);
  if (!u) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return u;
}

export function createUser(ctx: OpsContext): OpHandler<{ User: User }> {
  return async (req) => {
    const name = iamName(req.flat, 'UserName', 64);
    const path = iamPath(req.flat);
    const users = iamStores(ctx.home).users;
    if (users.get(name)) throw entityExists(`User with name ${name} already exists.`);
    const rec: UserRecord = { id: name, userId: newId('AIDA'), arn: iamArn('user', path, name), path, createDate: new Date().toISOString(), attached: [] };
    users.save(rec);
    return { User: renderUser(rec) };
  };
}

export function getUser(ctx: OpsContext): OpHandler<{ User: User }> {
  return async (req) => ({ User: renderUser(requireUser(ctx, required(req.flat, 'UserName'))) });
}

/** Two keys per user, as AWS's quota. The secret is in the answer once and in the 0600 store. */
export function createAccessKey(ctx: OpsContext): OpHandler<{ AccessKey: AccessKey }> {
  return async (req) => {
    const user = requireUser(ctx, required(req.flat, 'UserName'));
    const keys = iamStores(ctx.home).accessKeys;
    if (keys.list().filter((k) => k.userName === user.id).length >= 2) {
      throw new AwsFault('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2', 409);
    }
    const rec = { id: newId('AKIA'), userName: user.id, secretAccessKey: newSecret(), status: 'Active' as const, createDate: new Date().toISOString() };
    keys.save(rec);
    return { AccessKey: { UserName: user.id, AccessKeyId: rec.id, Status: rec.status, SecretAccessKey: rec.secretAccessKey, CreateDate: new Date(rec.createDate) } };
  };
}

export function attachUserPolicy(ctx: OpsContext): OpHandler<object> {
  return async (req) => {
    const stores = iamStores(ctx.home);
    return attachPolicy(stores, stores.users, requireUser(ctx, required(req.flat, 'UserName')), req.flat);
  };
}

export function detachUserPolicy(ctx: OpsContext): OpHandler<object> {
  return async (req) => detachPolicy(iamStores(ctx.home).users, requireUser(ctx, required(req.flat, 'UserName')), req.flat);
}

export function listAttachedUserPolicies(ctx: OpsContext): OpHandler<{ AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean }> {
  return async (req) => ({ AttachedPolicies: attachedList(iamStores(ctx.home), requireUser(ctx, required(req.flat, 'UserName')).attached), IsTruncated: false });
}
