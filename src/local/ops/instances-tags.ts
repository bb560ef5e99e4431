import type { TagListMessage } from '@aws-sdk/client-rds';
import type { OpHandler } from '../server/types.js';
import type { Tag } from '../state/registry.js';
import { localRdsArn, localRdsArnName } from './arns.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidValue } from './faults.js';
import { list, required, tags } from './params.js';
import { subnetGroupNotFound, subnetGroupStore } from './subnet-groups.js';

/** A taggable resource: its tags, and a way to replace them. */
interface Taggable {
  tags: Tag[];
  save(tags: Tag[]): void;
}

/** Tag operations take an ARN; the local endpoint tags DB instances (db:<id>) and DB subnet groups (subgrp:<name>). */
function resourceFromArn(ctx: OpsContext, arn: string): Taggable {
  const id = localRdsArnName(arn, 'db');
  if (id !== undefined && /^[a-z][a-z0-9-]*$/.test(id)) {
    const rec = ctx.registry.get(id);
    if (!rec) throw instanceNotFound(id);
    return { tags: rec.tags, save: (t) => ctx.registry.update(id, (r) => { r.tags = t; }) };
  }
  const group = localRdsArnName(arn, 'subgrp');
  if (group !== undefined) {
    const store = subnetGroupStore(ctx.home);
    const rec = store.get(group.toLowerCase());
    if (!rec) throw subnetGroupNotFound(group);
    return { tags: rec.tags, save: (t) => store.save({ ...rec, tags: t }) };
  }
  throw invalidValue(`Invalid resource name: ${arn}. Use a DB instance ARN such as ${localRdsArn('db', '<id>')} or a DB subnet group ARN.`);
}

export function listTagsForResource(ctx: OpsContext): OpHandler<TagListMessage> {
  return async (req) => ({ TagList: resourceFromArn(ctx, required(req.flat, 'ResourceName')).tags });
}

/** Adds or overwrites tags by key (as RDS does); at most 50 per resource. */
export function addTagsToResource(ctx: OpsContext): OpHandler {
  return async (req) => {
    const res = resourceFromArn(ctx, required(req.flat, 'ResourceName'));
    const byKey = new Map(res.tags.map((t) => [t.Key, t.Value]));
    for (const t of tags(req.flat)) byKey.set(t.Key, t.Value);
    if (byKey.size > 50) throw invalidValue('A resource can have at most 50 tags.');
    res.save([...byKey].map(([Key, Value]) => ({ Key, Value })));
    return {};
  };
}

export function removeTagsFromResource(ctx: OpsContext): OpHandler {
  return async (req) => {
    const res = resourceFromArn(ctx, required(req.flat, 'ResourceName'));
    const keys = new Set(list(req.flat, 'TagKeys.member'));
    res.save(res.tags.filter((t) => !keys.has(t.Key)));
    return {};
  };
}
