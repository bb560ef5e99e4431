import type { TagListMessage } from '@aws-sdk/client-rds';
import type { OpHandler } from '../server/types.js';
import type { Tag } from '../state/registry.js';
import type { RdsResourceType } from '../../core/arn.js';
import { localRdsArn, localRdsArnName } from './arns.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidValue } from './faults.js';
import { list, required, tags } from './params.js';
import { subnetGroupNotFound, subnetGroupStore } from './subnet-groups.js';
import { snapshotNotFound, snapshotStore } from './snapshots-store.js';
import { DEFAULT_GROUP, parameterGroupNotFound, parameterGroupStore } from './pg-groups.js';
import { optionGroupNotFound, optionGroupStore } from './option-groups.js';

/** A taggable resource: its tags, and a way to replace them. */
interface Taggable {
  tags: Tag[];
  save(tags: Tag[]): void;
}

interface TaggedRecord { tags: Tag[] }
interface TaggedStore<T extends TaggedRecord> { get(id: string): T | undefined; save(rec: T): void }

/** A stored resource kind as a Taggable: its record by name, or its NotFound fault. */
function stored<T extends TaggedRecord>(store: TaggedStore<T>, name: string, notFound: (name: string) => Error): Taggable {
  const rec = store.get(name.toLowerCase());
  if (!rec) throw notFound(name);
  return { tags: rec.tags, save: (t) => store.save({ ...rec, tags: t }) };
}

/**
 * Tag operations take an ARN. The local endpoint tags what RDS lets Terraform and the AWS CLI tag here:
 * DB instances (db:), snapshots (snapshot:), subnet groups (subgrp:), parameter groups (pg:) and option
 * groups (og:). The default parameter and option groups cannot be tagged, as on RDS.
 */
function resourceFromArn(ctx: OpsContext, arn: string): Taggable {
  const id = localRdsArnName(arn, 'db');
  if (id !== undefined && /^[a-z][a-z0-9-]*$/.test(id)) {
    const rec = ctx.registry.get(id);
    if (!rec) throw instanceNotFound(id);
    return { tags: rec.tags, save: (t) => ctx.registry.update(id, (r) => { r.tags = t; }) };
  }
  const kinds: [RdsResourceType, (name: string) => Taggable][] = [
    ['subgrp', (n) => stored(subnetGroupStore(ctx.home), n, subnetGroupNotFound)],
    ['snapshot', (n) => stored(snapshotStore(ctx.home), n, snapshotNotFound)],
    ['pg', (n) => (n.toLowerCase() === DEFAULT_GROUP ? defaultNotTaggable(arn) : stored(parameterGroupStore(ctx.home), n, parameterGroupNotFound))],
    ['og', (n) => (n.startsWith('default:') ? defaultNotTaggable(arn) : stored(optionGroupStore(ctx.home), n, optionGroupNotFound))],
  ];
  for (const [type, taggable] of kinds) {
    const name = localRdsArnName(arn, type);
    if (name !== undefined) return taggable(name);
  }
  throw invalidValue(`Invalid resource name: ${arn}. Use the ARN of a DB instance (${localRdsArn('db', '<id>')}), snapshot, DB subnet group, DB parameter group or option group.`);
}

function defaultNotTaggable(arn: string): never {
  throw invalidValue(`Default parameter and option groups cannot be tagged: ${arn}.`);
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
