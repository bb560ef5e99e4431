import type { ControlResult, ModifyFixField } from './controls.js';

export interface FixPlan {
  /** One ModifyDBInstance member per failed control a modify can fix (applied one by one: a refusal stops only its own). */
  modifies: { control: string; field: ModifyFixField; to: boolean | number | string[] }[];
  /** What a modify cannot fix, with the way to do it. */
  manual: { control: string; how: string }[];
  /** The audit log: not a modify but the audit-log service (the option group), which --fix runs too. */
  auditLog?: { control: string; how: string };
}

/** How many changes --fix applies. */
export const fixCount = (p: FixPlan) => p.modifies.length + (p.auditLog ? 1 : 0);

/** Pure: the fixes for the failed controls. */
export function planFixes(results: ControlResult[]): FixPlan {
  const plan: FixPlan = { modifies: [], manual: [] };
  for (const r of results) {
    if (r.status !== 'fail' || !r.fix) continue;
    if (r.fix.kind === 'modify') plan.modifies.push({ control: r.id, field: r.fix.field, to: r.fix.to });
    else if (r.fix.kind === 'audit-log') plan.auditLog = { control: r.id, how: r.fix.how };
    else plan.manual.push({ control: r.id, how: r.fix.how });
  }
  return plan;
}

/** The member and value as `rdsctl modify` would show them (EnableLogTypes is CloudwatchLogsExportConfiguration's). */
export function fixLabel(m: FixPlan['modifies'][number]): string {
  const v = Array.isArray(m.to) ? m.to.join(',') : String(m.to);
  return m.field === 'EnableLogTypes' ? `CloudwatchLogsExportConfiguration: EnableLogTypes=${v}` : `${m.field}=${v}`;
}
