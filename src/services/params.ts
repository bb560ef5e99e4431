import type { DBParameterGroup, Parameter, RDSClient } from '@aws-sdk/client-rds';
import type { ParamChange } from '../core/plans/params-plan.js';

/** Parameter groups through the RDS API (both targets): list, describe, modify, reset, create. */

export async function listGroups(rds: RDSClient): Promise<DBParameterGroup[]> {
  const { paginateDescribeDBParameterGroups } = await import('@aws-sdk/client-rds');
  const out: DBParameterGroup[] = [];
  for await (const page of paginateDescribeDBParameterGroups({ client: rds, pageSize: 100 }, {})) out.push(...(page.DBParameterGroups ?? []));
  return out;
}

/** Every parameter of the group (following Marker pages), optionally only one Source. */
export async function listParameters(rds: RDSClient, group: string, source?: string): Promise<Parameter[]> {
  const { paginateDescribeDBParameters } = await import('@aws-sdk/client-rds');
  const out: Parameter[] = [];
  for await (const page of paginateDescribeDBParameters({ client: rds, pageSize: 100 }, { DBParameterGroupName: group, Source: source })) {
    out.push(...(page.Parameters ?? []));
  }
  return out;
}

const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** ModifyDBParameterGroup takes at most 20 parameters a call. */
export async function applySet(rds: RDSClient, group: string, changes: ParamChange[]): Promise<void> {
  const { ModifyDBParameterGroupCommand } = await import('@aws-sdk/client-rds');
  for (const part of chunks(changes, 20)) {
    await rds.send(new ModifyDBParameterGroupCommand({
      DBParameterGroupName: group,
      Parameters: part.map((c) => ({ ParameterName: c.name, ParameterValue: c.to, ApplyMethod: c.method })),
    }));
  }
}

export async function applyReset(rds: RDSClient, group: string, changes: ParamChange[], all: boolean): Promise<void> {
  const { ResetDBParameterGroupCommand } = await import('@aws-sdk/client-rds');
  if (all) {
    await rds.send(new ResetDBParameterGroupCommand({ DBParameterGroupName: group, ResetAllParameters: true }));
    return;
  }
  for (const part of chunks(changes, 20)) {
    await rds.send(new ResetDBParameterGroupCommand({ DBParameterGroupName: group, Parameters: part.map((c) => ({ ParameterName: c.name, ApplyMethod: c.method })) }));
  }
}

/** Refused by RDS (InvalidDBParameterGroupState) while an instance uses the group, and for default groups. */
export async function deleteGroup(rds: RDSClient, group: string): Promise<void> {
  const { DeleteDBParameterGroupCommand } = await import('@aws-sdk/client-rds');
  await rds.send(new DeleteDBParameterGroupCommand({ DBParameterGroupName: group }));
}

export async function createGroup(rds: RDSClient, group: string, family: string, description: string): Promise<DBParameterGroup> {
  const { CreateDBParameterGroupCommand } = await import('@aws-sdk/client-rds');
  const res = await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: group, DBParameterGroupFamily: family, Description: description }));
  return res.DBParameterGroup!;
}
