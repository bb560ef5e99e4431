import type { DBSubnetGroup, DBSubnetGroupMessage } from '@aws-sdk/client-rds';
import type { OpHandler } from '../server/types.js';
import { AwsFault } from '../server/types.js';
import { Store, storeDir } from '../state/store.js';
import type { Tag } from '../state/registry.js';
import { localRdsArn } from './arns.js';
import type { OpsContext } from './context.js';
import { invalidValue } from './faults.js';
import { LOCAL_AZS, LOCAL_VPC_ID } from './instance-metadata.js';
import { checkMaxRecords, page } from './instances-describe.js';
import { int, list, required, str, tags } from './params.js';

/**
 * DB subnet groups as metadata (there is no VPC here): kept in the `subnet-groups` store, named by
 * instances' DBSubnetGroupName. Subnets get the local AZs in turn (1a, 1b, 1c, …), so any two
 * subnets cover two AZs as RDS requires.
 */
export interface SubnetGroupRecord {
  /** DBSubnetGroupName, stored lowercase as RDS does. */
  id: string;
  description: string;
  subnetIds: string[];
  tags: Tag[];
  createTime: string;
}

/** AWS's name for the default VPC's group: always there, never stored. */
const DEFAULT_GROUP = 'default';

export function subnetGroupStore(home: string): Store<SubnetGroupRecord> {
  return new Store<SubnetGroupRecord>(storeDir(home, 'subnet-groups'));
}

export const subnetGroupNotFound = (name: string) => new AwsFault('DBSubnetGroupNotFoundFault', `DB subnet group '${name}' does not exist.`, 404);

/** A name an instance may use: `default` or a created group (DBSubnetGroupNotFoundFault otherwise). */
export function requireSubnetGroup(ctx: Pick<OpsContext, 'home'>, name: string | undefined): void {
  if (name === undefined || name === DEFAULT_GROUP) return;
  if (!subnetGroupStore(ctx.home).get(name)) throw subnetGroupNotFound(name);
}

function checkName(name: string): string {
  if (name.length > 255 || !/^[A-Za-z0-9._ -]+$/.test(name)) {
    throw invalidValue(`The parameter DBSubnetGroupName is not a valid identifier: ${name}. It must contain only letters, digits, periods, underscores, spaces, or hyphens (at most 255).`);
  }
  if (name.toLowerCase() === DEFAULT_GROUP) throw invalidValue('The DB subnet group name default is reserved.');
  return name.toLowerCase();
}

function checkSubnets(ids: string[]): string[] {
  for (const id of ids) if (!/^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw new AwsFault('InvalidSubnet', `The subnet ${id} is not a valid subnet identifier.`, 400);
  const unique = [...new Set(ids)];
  if (unique.length < 2) {
    throw new AwsFault('DBSubnetGroupDoesNotCoverEnoughAZs', 'The DB subnet group doesn\'t meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ' + (unique.length ? LOCAL_AZS[0] : 'none') + '. Add subnets to cover at least 2 AZs.', 400);
  }
  if (unique.length > 20) throw new AwsFault('DBSubnetQuotaExceededFault', 'A DB subnet group can have at most 20 subnets.', 400);
  return unique;
}

export function renderSubnetGroup(rec: SubnetGroupRecord): DBSubnetGroup {
  return {
    DBSubnetGroupName: rec.id,
    DBSubnetGroupDescription: rec.description,
    VpcId: LOCAL_VPC_ID,
    SubnetGroupStatus: 'Complete',
    Subnets: rec.subnetIds.map((id, i) => ({ SubnetIdentifier: id, SubnetAvailabilityZone: { Name: LOCAL_AZS[i % LOCAL_AZS.length] }, SubnetStatus: 'Active' })),
    DBSubnetGroupArn: localRdsArn('subgrp', rec.id),
    SupportedNetworkTypes: ['IPV4'],
  };
}

export function createDBSubnetGroup(ctx: OpsContext): OpHandler<{ DBSubnetGroup: DBSubnetGroup }> {
  return async (req) => {
    const id = checkName(required(req.flat, 'DBSubnetGroupName'));
    const description = required(req.flat, 'DBSubnetGroupDescription');
    const subnetIds = checkSubnets(list(req.flat, 'SubnetIds.SubnetIdentifier'));
    const store = subnetGroupStore(ctx.home);
    if (store.get(id)) throw new AwsFault('DBSubnetGroupAlreadyExists', `The DB subnet group '${id}' already exists.`, 400);
    if (store.list().length >= 50) throw new AwsFault('DBSubnetGroupQuotaExceeded', 'You have reached the DB subnet group quota (50).', 400);
    const rec: SubnetGroupRecord = { id, description, subnetIds, tags: tags(req.flat), createTime: new Date().toISOString() };
    store.save(rec);
    return { DBSubnetGroup: renderSubnetGroup(rec) };
  };
}

export function modifyDBSubnetGroup(ctx: OpsContext): OpHandler<{ DBSubnetGroup: DBSubnetGroup }> {
  return async (req) => {
    const name = required(req.flat, 'DBSubnetGroupName');
    const store = subnetGroupStore(ctx.home);
    const rec = store.get(name.toLowerCase());
    if (!rec) throw subnetGroupNotFound(name);
    rec.subnetIds = checkSubnets(list(req.flat, 'SubnetIds.SubnetIdentifier'));
    rec.description = str(req.flat, 'DBSubnetGroupDescription') ?? rec.description;
    store.save(rec);
    return { DBSubnetGroup: renderSubnetGroup(rec) };
  };
}

export function describeDBSubnetGroups(ctx: OpsContext): OpHandler<DBSubnetGroupMessage> {
  return async (req) => {
    const maxRecords = checkMaxRecords(int(req.flat, 'MaxRecords'));
    const name = str(req.flat, 'DBSubnetGroupName');
    let groups = subnetGroupStore(ctx.home).list();
    if (name !== undefined) {
      groups = groups.filter((g) => g.id === name.toLowerCase());
      if (groups.length === 0) throw subnetGroupNotFound(name);
    }
    const result = page(groups, maxRecords, str(req.flat, 'Marker'));
    return { DBSubnetGroups: result.items.map(renderSubnetGroup), Marker: result.marker };
  };
}

/** Refused while an instance uses the group (InvalidDBSubnetGroupStateFault), as RDS does. */
export function deleteDBSubnetGroup(ctx: OpsContext): OpHandler {
  return async (req) => {
    const name = required(req.flat, 'DBSubnetGroupName');
    const store = subnetGroupStore(ctx.home);
    const rec = store.get(name.toLowerCase());
    if (!rec) throw subnetGroupNotFound(name);
    const users = ctx.registry.list().filter((r) => r.dbSubnetGroupName === rec.id).map((r) => r.id);
    if (users.length > 0) {
      throw new AwsFault('InvalidDBSubnetGroupStateFault', `Cannot delete the subnet group '${rec.id}' because at least one database instance: ${users.join(', ')} is still using it.`, 400);
    }
    store.remove(rec.id);
    return {};
  };
}
