import type { TagListMessage } from '@aws-sdk/client-rds';
import type { OpHandler } from '../server/types.js';
import { localRdsArn, localRdsArnName } from './arns.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidValue } from './faults.js';
import { list, required, tags } from './params.js';

/** Tag operations take an ARN; the local endpoint tags DB instances (db:<id>). */
function instanceFromArn(ctx: OpsContext, arn: string): string {
  const id = localRdsArnName(arn, 'db');
  if (id === undefined || !/^[a-z][a-z0-9-]*$/.test(id)) {
    throw invalidValue(`Invalid resource name: ${arn}. Use a DB instance ARN such as ${localRdsArn('db', '<id>')}.`);
  }
  if (!ctx.registry.get(id)) throw instanceNotFound(id);
  return id;
}

export function listTagsForResource(ctx: OpsContext): OpHandler<TagListMessage> {
  return async (req) => {
    const id = instanceFromArn(ctx, required(req.flat, 'ResourceName'));
    return { TagList: ctx.registry.get(id)?.tags ?? [] };
  };
}

/** Adds or overwrites tags by key (as RDS does); at most 50 per resource. */
export function addTagsToResource(ctx: OpsContext): OpHandler {
  return async (req) => {
    const id = instanceFromArn(ctx, required(req.flat, 'ResourceName'));
    const added = tags(req.flat);
    ctx.registry.update(id, (r) => {
      const byKey = new Map(r.tags.map((t) => [t.Key, t.Value]));
      for (const t of added) byKey.set(t.Key, t.Value);
      if (byKey.size > 50) throw invalidValue('A resource can have at most 50 tags.');
      r.tags = [...byKey].map(([Key, Value]) => ({ Key, Value }));
    });
    return {};
  };
}

export function removeTagsFromResource(ctx: OpsContext): OpHandler {
  return async (req) => {
    const id = instanceFromArn(ctx, required(req.flat, 'ResourceName'));
    const keys = new Set(list(req.flat, 'TagKeys.member'));
    ctx.registry.update(id, (r) => {
      r.tags = r.tags.filter((t) => !keys.has(t.Key));
    });
    return {};
  };
}
