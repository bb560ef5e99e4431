import type { DBParameterGroup, DBParameterGroupDetails, DBParameterGroupsMessage, EngineDefaults, Parameter } from '@aws-sdk/client-rds';
import type { FlatParams, OpHandler } from '../server/types.js';
import { AwsFault } from '../server/types.js';
import { Store, storeDir } from '../state/store.js';
import type { Tag } from '../state/registry.js';
import { localRdsArn } from './arns.js';
import type { OpsContext } from './context.js';
import { invalidValue } from './faults.js';
import { checkMaxRecords } from './instances-describe.js';
import { int, required, str, tags } from './params.js';
import { CATALOG, FAMILY, checkApplyMethod, checkValue, paramDef, type ParamDef } from './pg-catalog.js';
import { applyGroupChange, type GroupChange } from './pg-apply.js';

/**
 * DB parameter groups of the `mariadb10.11` family, kept in the `parameter-groups` store. The default
 * group `default.mariadb10.11` is never stored and cannot be modified (as on RDS). A group's user values
 * reach the instances that use it through pg-apply.ts.
 */
export interface ParameterGroupRecord {
  /** DBParameterGroupName, lowercase as RDS stores it. */
  id: string;
  family: string;
  description: string;
  /** The values set by ModifyDBParameterGroup (Source=user). */
  values: Record<string, string>;
  tags: Tag[];
  createTime: string;
}

export const DEFAULT_GROUP = `default.${FAMILY}`;

export function parameterGroupStore(home: string): Store<ParameterGroupRecord> {
  return new Store<ParameterGroupRecord>(storeDir(home, 'parameter-groups'));
}

export const parameterGroupNotFound = (name: string) => new AwsFault('DBParameterGroupNotFound', `DBParameterGroup not found: ${name}`, 404);

const defaultRecord = (): ParameterGroupRecord =>
  ({ id: DEFAULT_GROUP, family: FAMILY, description: `Default parameter group for ${FAMILY}`, values: {}, tags: [], createTime: '' });

/** The group named (the default one included), or DBParameterGroupNotFound. */
export function requireParameterGroup(home: string, name: string): ParameterGroupRecord {
  const id = name.toLowerCase();
  if (id === DEFAULT_GROUP) return defaultRecord();
  const rec = parameterGroupStore(home).get(id);
  if (!rec) throw parameterGroupNotFound(name);
  return rec;
}

function checkName(name: string): string {
  if (!/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}$/.test(name) || name.endsWith('-')) {
    throw invalidValue(`The parameter DBParameterGroupName is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`);
  }
  return name.toLowerCase();
}

export function renderGroup(rec: ParameterGroupRecord): DBParameterGroup {
  return { DBParameterGroupName: rec.id, DBParameterGroupFamily: rec.family, Description: rec.description, DBParameterGroupArn: localRdsArn('pg', rec.id) };
}

function renderParameter(def: ParamDef, user: string | undefined): Parameter {
  return {
    ParameterName: def.name,
    ParameterValue: user ?? def.engineDefault,
    Description: def.description,
    Source: user !== undefined ? 'user' : def.source,
    ApplyType: def.applyType,
    DataType: def.dataType,
    AllowedValues: def.allowed,
    IsModifiable: def.modifiable,
    ApplyMethod: def.applyType === 'static' ? 'pending-reboot' : 'immediate',
  };
}

/** Paging over parameter names (MaxRecords 20–100, Marker = the next name), as RDS pages them. */
function pageParams(params: Parameter[], flat: FlatParams): { Parameters: Parameter[]; Marker?: string } {
  const max = checkMaxRecords(int(flat, 'MaxRecords'));
  const marker = str(flat, 'Marker');
  const start = marker === undefined ? 0 : params.findIndex((p) => p.ParameterName === marker);
  if (start < 0) throw invalidValue(`Invalid Marker: ${marker}`);
  return { Parameters: params.slice(start, start + max), Marker: params[start + max]?.ParameterName };
}

export function createDBParameterGroup(ctx: OpsContext): OpHandler<{ DBParameterGroup: DBParameterGroup }> {
  return async (req) => {
    const id = checkName(required(req.flat, 'DBParameterGroupName'));
    const family = required(req.flat, 'DBParameterGroupFamily');
    const description = required(req.flat, 'Description');
    if (family !== FAMILY) throw invalidValue(`The local endpoint runs MariaDB 10.11 only: DBParameterGroupFamily must be ${FAMILY}, not ${family}.`);
    const store = parameterGroupStore(ctx.home);
    if (id === DEFAULT_GROUP || store.get(id)) throw new AwsFault('DBParameterGroupAlreadyExists', `Parameter group ${id} already exists`, 400);
    if (store.list().length >= 100) throw new AwsFault('DBParameterGroupQuotaExceeded', 'You have reached the DB parameter group quota (100).', 400);
    const rec: ParameterGroupRecord = { id, family, description, values: {}, tags: tags(req.flat), createTime: new Date().toISOString() };
    store.save(rec);
    return { DBParameterGroup: renderGroup(rec) };
  };
}

export function describeDBParameterGroups(ctx: OpsContext): OpHandler<DBParameterGroupsMessage> {
  return async (req) => {
    const max = checkMaxRecords(int(req.flat, 'MaxRecords'));
    const name = str(req.flat, 'DBParameterGroupName');
    let groups = [defaultRecord(), ...parameterGroupStore(ctx.home).list()];
    if (name !== undefined) groups = [requireParameterGroup(ctx.home, name)];
    const marker = str(req.flat, 'Marker');
    const start = marker === undefined ? 0 : Math.max(0, groups.findIndex((g) => g.id === marker));
    return { DBParameterGroups: groups.slice(start, start + max).map(renderGroup), Marker: groups[start + max]?.id };
  };
}

const SOURCES = ['user', 'engine-default', 'system'];

export function describeDBParameters(ctx: OpsContext): OpHandler<DBParameterGroupDetails> {
  return async (req) => {
    const rec = requireParameterGroup(ctx.home, required(req.flat, 'DBParameterGroupName'));
    const source = str(req.flat, 'Source');
    if (source !== undefined && !SOURCES.includes(source)) throw invalidValue(`Invalid value ${source} for Source. Valid values: ${SOURCES.join(', ')}.`);
    const params = CATALOG.map((d) => renderParameter(d, rec.values[d.name])).filter((p) => source === undefined || p.Source === source);
    return pageParams(params, req.flat);
  };
}

export function describeEngineDefaultParameters(): OpHandler<{ EngineDefaults: EngineDefaults }> {
  return async (req) => {
    const family = required(req.flat, 'DBParameterGroupFamily');
    if (family !== FAMILY) throw invalidValue(`The local endpoint runs MariaDB 10.11 only: DBParameterGroupFamily must be ${FAMILY}, not ${family}.`);
    const { Parameters, Marker } = pageParams(CATALOG.map((d) => renderParameter(d, undefined)), req.flat);
    return { EngineDefaults: { DBParameterGroupFamily: FAMILY, Parameters, Marker } };
  };
}

/** Parameters.Parameter.N.{ParameterName,ParameterValue,ApplyMethod} in order. */
function readParameters(flat: FlatParams): { name: string; value?: string; method?: string }[] {
  const out: { name: string; value?: string; method?: string }[] = [];
  for (let i = 1; flat[`Parameters.Parameter.${i}.ParameterName`] !== undefined; i++) {
    const p = `Parameters.Parameter.${i}.`;
    out.push({ name: flat[`${p}ParameterName`], value: flat[`${p}ParameterValue`], method: flat[`${p}ApplyMethod`] });
  }
  if (out.length > 20) throw invalidValue('At most 20 parameters can be modified in one request.');
  return out;
}

function modifiableGroup(home: string, name: string): ParameterGroupRecord {
  const rec = requireParameterGroup(home, name);
  if (rec.id === DEFAULT_GROUP) throw invalidValue(`Default parameter groups cannot be modified: ${rec.id}. Create a DB parameter group (CreateDBParameterGroup) and use it instead.`);
  return rec;
}

/** Checks every member first (nothing changes on a bad one), then saves and applies. */
export function modifyDBParameterGroup(ctx: OpsContext): OpHandler<{ DBParameterGroupName: string }> {
  return async (req) => {
    const rec = modifiableGroup(ctx.home, required(req.flat, 'DBParameterGroupName'));
    const members = readParameters(req.flat);
    if (members.length === 0) throw new AwsFault('MissingParameter', 'The request must contain the parameter Parameters', 400);
    const changes: GroupChange[] = members.map((m) => {
      const def = paramDef(m.name);
      if (m.value === undefined) throw invalidValue(`The parameter ${m.name} needs a ParameterValue.`);
      return { def, value: checkValue(def, m.value), method: checkApplyMethod(def, m.method) };
    });
    for (const c of changes) rec.values[c.def.name] = c.value!;
    parameterGroupStore(ctx.home).save(rec);
    applyGroupChange(ctx, rec, changes);
    return { DBParameterGroupName: rec.id };
  };
}

export function resetDBParameterGroup(ctx: OpsContext): OpHandler<{ DBParameterGroupName: string }> {
  return async (req) => {
    const rec = modifiableGroup(ctx.home, required(req.flat, 'DBParameterGroupName'));
    const all = req.flat.ResetAllParameters === 'true';
    const members = readParameters(req.flat);
    if (all && members.length > 0) throw new AwsFault('InvalidParameterCombination', 'Specify either ResetAllParameters or Parameters, not both.', 400);
    if (!all && members.length === 0) throw invalidValue('Specify ResetAllParameters=true or the Parameters to reset.');
    const changes: GroupChange[] = all
      ? Object.keys(rec.values).map((n) => { const def = paramDef(n); return { def, method: def.applyType === 'static' ? 'pending-reboot' : 'immediate' }; })
      : members.map((m) => {
        const def = paramDef(m.name);
        if (!def.modifiable) throw invalidValue(`The parameter ${def.name} cannot be modified.`);
        return { def, method: checkApplyMethod(def, m.method) };
      });
    for (const c of changes) delete rec.values[c.def.name];
    parameterGroupStore(ctx.home).save(rec);
    applyGroupChange(ctx, rec, changes);
    return { DBParameterGroupName: rec.id };
  };
}

/** Refused while an instance uses the group (InvalidDBParameterGroupState), as RDS does. */
export function deleteDBParameterGroup(ctx: OpsContext): OpHandler {
  return async (req) => {
    const name = required(req.flat, 'DBParameterGroupName');
    if (name.toLowerCase() === DEFAULT_GROUP) throw invalidValue(`Default parameter groups cannot be deleted: ${DEFAULT_GROUP}.`);
    const rec = requireParameterGroup(ctx.home, name);
    const users = ctx.registry.list().filter((r) => r.parameterGroupName === rec.id).map((r) => r.id);
    if (users.length > 0) {
      throw new AwsFault('InvalidDBParameterGroupState', `One or more database instances are still members of this parameter group ${rec.id}, so the group cannot be deleted (${users.join(', ')}).`, 400);
    }
    parameterGroupStore(ctx.home).remove(rec.id);
    return {};
  };
}
