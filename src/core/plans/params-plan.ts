import { usageError } from '../errors.js';

/** A parameter as DescribeDBParameters returns it (the fields the plan reads). */
export interface ParamInfo {
  ParameterName?: string;
  ParameterValue?: string;
  ApplyType?: string;
  IsModifiable?: boolean;
  AllowedValues?: string;
  Source?: string;
}

export type ApplyMethod = 'immediate' | 'pending-reboot';

export interface ParamChange {
  name: string;
  from?: string;
  to?: string;
  applyType: string;
  method: ApplyMethod;
  /** true when the change takes effect only at the instance's next reboot. */
  needsReboot: boolean;
}

/** `k=v` arguments of `rdsctl params <group> set`; the value may itself contain `=` (a formula never does, sql_mode never does). */
export function parseAssignments(args: string[], group: string): { name: string; value: string }[] {
  if (args.length === 0) throw usageError('PARAMS_NOTHING_TO_SET', 'params set needs at least one name=value.', { hint: `Example: rdsctl params ${group} set max_connections=500.` });
  return args.map((a) => {
    const eq = a.indexOf('=');
    if (eq <= 0) throw usageError('PARAMS_BAD_ASSIGNMENT', `"${a}" is not name=value.`, { hint: `Example: rdsctl params ${group} set long_query_time=1.` });
    return { name: a.slice(0, eq).trim(), value: a.slice(eq + 1).trim() };
  });
}

export function parseApplyMethod(text: string | undefined): ApplyMethod | undefined {
  if (text === undefined || text === 'immediate' || text === 'pending-reboot') return text;
  throw usageError('PARAMS_BAD_APPLY_METHOD', `--apply-method "${text}" is not immediate or pending-reboot.`);
}

function lookup(current: ParamInfo[], name: string, group: string): ParamInfo {
  const p = current.find((c) => c.ParameterName === name);
  if (!p) throw usageError('PARAMS_UNKNOWN', `Parameter group ${group} has no parameter ${name}.`, { hint: `Run rdsctl params ${group} list to see the parameters.` });
  if (p.IsModifiable === false) throw usageError('PARAMS_NOT_MODIFIABLE', `${name} cannot be modified (RDS keeps it).`, { hint: `Run rdsctl params ${group} list to see the modifiable parameters.` });
  return p;
}

/**
 * Which changes `set` makes and which of them wait for a reboot. Static parameters always do (immediate
 * is refused, as RDS refuses it); dynamic ones only when --apply-method pending-reboot. Unchanged values
 * are dropped. Pure.
 */
export function planSet(current: ParamInfo[], assignments: { name: string; value: string }[], group: string, method?: ApplyMethod): ParamChange[] {
  const out: ParamChange[] = [];
  for (const a of assignments) {
    const p = lookup(current, a.name, group);
    const applyType = p.ApplyType ?? 'dynamic';
    if (applyType === 'static' && method === 'immediate') {
      throw usageError('PARAMS_STATIC_IMMEDIATE', `${a.name} is static: it takes effect only at the next reboot.`, { hint: 'Leave out --apply-method (static parameters use pending-reboot), then reboot the instances that use the group.' });
    }
    if (p.Source === 'user' && p.ParameterValue === a.value) continue;
    const m: ApplyMethod = method ?? (applyType === 'static' ? 'pending-reboot' : 'immediate');
    out.push({ name: a.name, from: p.ParameterValue, to: a.value, applyType, method: m, needsReboot: m === 'pending-reboot' });
  }
  return out;
}

/** `reset` of some names (or, with none, every user value). */
export function planReset(current: ParamInfo[], names: string[], group: string): ParamChange[] {
  const targets = names.length > 0 ? names.map((n) => lookup(current, n, group)) : current.filter((p) => p.Source === 'user');
  return targets.filter((p) => p.Source === 'user').map((p) => {
    const applyType = p.ApplyType ?? 'dynamic';
    const method: ApplyMethod = applyType === 'static' ? 'pending-reboot' : 'immediate';
    return { name: p.ParameterName!, from: p.ParameterValue, applyType, method, needsReboot: method === 'pending-reboot' };
  });
}
