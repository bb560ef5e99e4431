import type { DBParameterGroup, Parameter } from '@aws-sdk/client-rds';
import type { ParamChange } from '../../core/plans/params-plan.js';
import { renderTable } from './table.js';

const short = (v: string | undefined, n = 40) => (v === undefined ? '-' : v.length > n ? `${v.slice(0, n - 1)}…` : v);

export function renderGroups(groups: DBParameterGroup[]): string {
  return renderTable(['GROUP', 'FAMILY', 'DESCRIPTION'], groups.map((g) => [g.DBParameterGroupName, g.DBParameterGroupFamily, g.Description]));
}

export function renderParameters(params: Parameter[]): string {
  return renderTable(['PARAMETER', 'VALUE', 'SOURCE', 'APPLY', 'ALLOWED'],
    params.map((p) => [p.ParameterName, short(p.ParameterValue), p.Source, p.IsModifiable === false ? 'fixed' : p.ApplyType, short(p.AllowedValues, 30)]));
}

/** The plan of `set` / `reset`: each change, and whether it waits for a reboot. */
export function renderParamPlan(group: string, changes: ParamChange[], applied: boolean, verb: 'set' | 'reset'): string {
  if (changes.length === 0) return `${group}: nothing to change.`;
  const rows = changes.map((c) => [c.name, short(c.from), verb === 'reset' ? '(default)' : short(c.to), c.applyType, c.needsReboot ? 'at next reboot' : 'now']);
  const head = applied ? `${group}: changed ${changes.length} parameter${changes.length === 1 ? '' : 's'}.` : `${group}: would change (dry run):`;
  const reboot = changes.some((c) => c.needsReboot)
    ? `\nInstances using ${group} show pending-reboot until rebooted: reboot them with rdsctl reboot.`
    : '';
  return `${head}\n${renderTable(['PARAMETER', 'FROM', 'TO', 'TYPE', 'TAKES EFFECT'], rows)}${reboot}`;
}
