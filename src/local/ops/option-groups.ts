import type { OptionGroup, OptionGroupOptionsMessage, OptionGroups } from '@aws-sdk/client-rds';
import type { FlatParams, OpHandler } from '../server/types.js';
import { AwsFault } from '../server/types.js';
import type { Tag } from '../state/registry.js';
import { Store, storeDir } from '../state/store.js';
import { localRdsArn } from './arns.js';
import type { OpsContext } from './context.js';
import { invalidValue } from './faults.js';
import { defaultOptionGroup } from './instance-metadata.js';
import { checkMaxRecords } from './instances-describe.js';
import { AUDIT_OPTION, auditOptionDescription, checkOptionName, checkSettings, renderAuditOption } from './og-catalog.js';
import { applyOptionGroup, deferOptionGroup, optionGroupOf } from './og-apply.js';
import { bool, int, list, required, str, tags } from './params.js';

/**
 * Option groups for mariadb 10.11, kept in the `option-groups` store. The default group
 * (`default:mariadb-10-11`) is never stored, holds no option and cannot be modified or deleted, as on RDS.
 * A group's options reach the instances using it through og-apply.ts.
 */
export interface OptionGroupRecord {
  /** OptionGroupName, lowercase as RDS stores it. */
  id: string;
  engineName: 'mariadb';
  majorEngineVersion: string;
  description: string;
  /** Options in the group and the settings sent for each (absent settings: the defaults). */
  options: Record<string, { settings: Record<string, string> }>;
  tags: Tag[];
  createTime: string;
}

export function optionGroupStore(home: string): Store<OptionGroupRecord> {
  return new Store<OptionGroupRecord>(storeDir(home, 'option-groups'));
}

/** The created groups' names (CreateDBInstance / ModifyDBInstance check OptionGroupName against them). */
export function optionGroupNames(home: string): string[] {
  return optionGroupStore(home).list().map((g) => g.id);
}

export const optionGroupNotFound = (name: string) => new AwsFault('OptionGroupNotFoundFault', `Specified OptionGroupName: ${name} not found.`, 404);
const majorOf = (version: string) => version.split('.').slice(0, 2).join('.');

function defaultRecord(ctx: OpsContext): OptionGroupRecord {
  const major = majorOf(ctx.engineVersion);
  return { id: defaultOptionGroup('mariadb', ctx.engineVersion), engineName: 'mariadb', majorEngineVersion: major, description: `Default option group for mariadb ${major}`, options: {}, tags: [], createTime: '' };
}

/** The group named (the default one included), or OptionGroupNotFoundFault. */
export function requireOptionGroup(ctx: OpsContext, name: string): OptionGroupRecord {
  const id = name.toLowerCase();
  if (id === defaultOptionGroup('mariadb', ctx.engineVersion)) return defaultRecord(ctx);
  const rec = optionGroupStore(ctx.home).get(id);
  if (!rec) throw optionGroupNotFound(name);
  return rec;
}

function checkName(name: string): string {
  if (!/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}$/.test(name) || name.endsWith('-')) {
    throw invalidValue('The parameter OptionGroupName is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.');
  }
  return name.toLowerCase();
}

export function renderOptionGroup(rec: OptionGroupRecord): OptionGroup {
  return {
    OptionGroupName: rec.id, OptionGroupDescription: rec.description, EngineName: rec.engineName, MajorEngineVersion: rec.majorEngineVersion,
    Options: Object.entries(rec.options).map(([, o]) => renderAuditOption(o.settings)), AllowsVpcAndNonVpcInstanceMemberships: true,
    OptionGroupArn: localRdsArn('og', rec.id),
  };
}

export function createOptionGroup(ctx: OpsContext): OpHandler<{ OptionGroup: OptionGroup }> {
  return async (req) => {
    const id = checkName(required(req.flat, 'OptionGroupName'));
    const engine = required(req.flat, 'EngineName');
    const major = required(req.flat, 'MajorEngineVersion');
    const description = required(req.flat, 'OptionGroupDescription');
    if (engine !== 'mariadb') throw invalidValue(`The local endpoint runs mariadb only: EngineName must be mariadb, not ${engine}.`);
    if (major !== majorOf(ctx.engineVersion)) throw invalidValue(`MajorEngineVersion must be ${majorOf(ctx.engineVersion)} (the installed mariadb), not ${major}.`);
    const store = optionGroupStore(ctx.home);
    if (id === defaultRecord(ctx).id || store.get(id)) throw new AwsFault('OptionGroupAlreadyExistsFault', `Option group ${id} already exists.`, 400);
    if (store.list().length >= 20) throw new AwsFault('OptionGroupQuotaExceededFault', 'You have reached the option group quota (20).', 400);
    const rec: OptionGroupRecord = { id, engineName: 'mariadb', majorEngineVersion: major, description, options: {}, tags: tags(req.flat), createTime: new Date().toISOString() };
    store.save(rec);
    return { OptionGroup: renderOptionGroup(rec) };
  };
}

export function describeOptionGroups(ctx: OpsContext): OpHandler<OptionGroups> {
  return async (req) => {
    const flat = req.flat;
    const max = checkMaxRecords(int(flat, 'MaxRecords'));
    const name = str(flat, 'OptionGroupName');
    const engine = str(flat, 'EngineName');
    const major = str(flat, 'MajorEngineVersion');
    if (major !== undefined && engine === undefined) throw invalidValue('MajorEngineVersion needs EngineName.');
    let groups = name !== undefined ? [requireOptionGroup(ctx, name)] : [defaultRecord(ctx), ...optionGroupStore(ctx.home).list()];
    groups = groups.filter((g) => (engine === undefined || g.engineName === engine) && (major === undefined || g.majorEngineVersion === major));
    const marker = str(flat, 'Marker');
    const start = marker === undefined ? 0 : Math.max(0, groups.findIndex((g) => g.id === marker));
    return { OptionGroupsList: groups.slice(start, start + max).map(renderOptionGroup), Marker: groups[start + max]?.id };
  };
}

/** OptionsToInclude.OptionConfiguration.N.{OptionName, OptionSettings.OptionSetting.M.{Name, Value}}. */
function optionsToInclude(flat: FlatParams): { name: string; settings: { name: string; value?: string }[] }[] {
  const out = [];
  for (let i = 1; flat[`OptionsToInclude.OptionConfiguration.${i}.OptionName`] !== undefined; i++) {
    const p = `OptionsToInclude.OptionConfiguration.${i}.`;
    const settings = [];
    for (let j = 1; flat[`${p}OptionSettings.OptionSetting.${j}.Name`] !== undefined; j++) {
      settings.push({ name: flat[`${p}OptionSettings.OptionSetting.${j}.Name`], value: flat[`${p}OptionSettings.OptionSetting.${j}.Value`] });
    }
    for (const k of Object.keys(flat).filter((key) => key.startsWith(p))) {
      if (!/^(OptionName|OptionSettings\.OptionSetting\.\d+\.(Name|Value))$/.test(k.slice(p.length))) {
        throw invalidValue(`${k.slice(p.length).split('.')[0]} is not used by ${AUDIT_OPTION} (it has no port, version or security groups).`);
      }
    }
    out.push({ name: flat[`${p}OptionName`], settings });
  }
  return out;
}

/**
 * Checks everything first (nothing changes on a bad member), saves, then applies to the instances using
 * it: at once with ApplyImmediately=true, else at each one's next reboot (RDS: its maintenance window).
 */
export function modifyOptionGroup(ctx: OpsContext): OpHandler<{ OptionGroup: OptionGroup }> {
  return async (req) => {
    const rec = requireOptionGroup(ctx, required(req.flat, 'OptionGroupName'));
    if (rec.id === defaultRecord(ctx).id) throw invalidValue(`Default option groups cannot be modified: ${rec.id}. Create an option group (CreateOptionGroup) and use it instead.`);
    const include = optionsToInclude(req.flat);
    const remove = list(req.flat, 'OptionsToRemove.member');
    const immediately = bool(req.flat, 'ApplyImmediately') ?? false; // RDS's default: the maintenance window
    if (include.length === 0 && remove.length === 0) throw invalidValue('Specify OptionsToInclude or OptionsToRemove.');
    for (const o of include) checkOptionName(o.name);
    for (const name of remove) {
      if (include.some((o) => o.name === name)) throw new AwsFault('InvalidParameterCombination', `Option ${name} is both included and removed.`, 400);
      if (!rec.options[name]) throw invalidValue(`Option ${name} is not in option group ${rec.id}.`);
    }
    for (const o of include) rec.options[o.name] = { settings: { ...(rec.options[o.name]?.settings ?? {}), ...checkSettings(o.settings) } };
    for (const name of remove) delete rec.options[name];
    optionGroupStore(ctx.home).save(rec);
    for (const inst of ctx.registry.list().filter((r) => optionGroupOf(r) === rec.id)) (immediately ? applyOptionGroup : deferOptionGroup)(ctx, inst.id);
    return { OptionGroup: renderOptionGroup(rec) };
  };
}

/** Refused while an instance uses the group (InvalidOptionGroupStateFault), as RDS does. */
export function deleteOptionGroup(ctx: OpsContext): OpHandler {
  return async (req) => {
    const rec = requireOptionGroup(ctx, required(req.flat, 'OptionGroupName'));
    if (rec.id === defaultRecord(ctx).id) throw invalidValue(`Default option groups cannot be deleted: ${rec.id}.`);
    // An instance waiting to move to the group uses it too.
    const users = ctx.registry.list().filter((r) => optionGroupOf(r) === rec.id || r.pendingOptionGroupName === rec.id).map((r) => r.id);
    if (users.length > 0) throw new AwsFault('InvalidOptionGroupStateFault', `The option group '${rec.id}' cannot be deleted because it is in use (${users.join(', ')}).`, 400);
    optionGroupStore(ctx.home).remove(rec.id);
    return {};
  };
}

export function describeOptionGroupOptions(ctx: OpsContext): OpHandler<OptionGroupOptionsMessage> {
  return async (req) => {
    checkMaxRecords(int(req.flat, 'MaxRecords'));
    const engine = required(req.flat, 'EngineName');
    const major = str(req.flat, 'MajorEngineVersion');
    const here = majorOf(ctx.engineVersion);
    const keep = engine === 'mariadb' && (major === undefined || major === here);
    return { OptionGroupOptions: keep ? [auditOptionDescription(here)] : [] };
  };
}
