import type { ControlResult } from '../../core/security/controls.js';
import { fixLabel, type FixPlan } from '../../core/security/fix-plan.js';
import type { AuditReport, FixOutcome } from '../../services/audit.js';
import { wrapText, wrapWords } from './table.js';

const LABEL: Record<ControlResult['status'], string> = { pass: 'pass', fail: 'FAIL', 'not-applicable': 'n/a', 'not-measurable': 'unmeasured' };
const ID_WIDTH = 17;
const LEAD = ' '.repeat(11);

/** One control per line (result, id, title), its evidence under it; wrapped between words to `width`. */
export function renderAudit(r: AuditReport, width: number): string {
  const c = r.counts;
  const head = `Security controls of ${r.id} (${r.target}): ${c.pass} pass, ${c.fail} fail, ${c['not-applicable']} n/a, ${c['not-measurable']} unmeasured`;
  const lines = [head, ''];
  for (const x of r.controls) {
    lines.push(`${LABEL[x.status].padEnd(10)} ${x.id.padEnd(ID_WIDTH)} ${x.title}`);
    for (const e of x.evidence) lines.push(`${LEAD}· ${e}`);
  }
  return wrapText(lines.join('\n'), width, 2);
}

/** `  RDS.8             text…` with the text wrapped under itself. */
function hanging(control: string, text: string, width: number): string {
  const lead = `  ${control.padEnd(ID_WIDTH)} `;
  return wrapWords(text, Math.max(20, width - lead.length)).map((l, i) => (i ? ' '.repeat(lead.length) : lead) + l).join('\n');
}

export function renderPlan(id: string, plan: FixPlan, width: number, dryRun: boolean): string {
  const lines: string[] = [];
  if (plan.modifies.length) {
    lines.push(`${dryRun ? 'Plan' : 'Changes'} for ${id}: one ModifyDBInstance each, ApplyImmediately${dryRun ? ' (--fix applies it)' : ''}:`);
    for (const m of plan.modifies) lines.push(hanging(m.control, fixLabel(m), width));
  } else if (dryRun && !plan.auditLog) lines.push('Nothing a modify can fix.');
  if (plan.auditLog) {
    lines.push(`Audit log, an option group change, no restart${dryRun ? ' (--fix applies it)' : ''}:`);
    lines.push(hanging(plan.auditLog.control, plan.auditLog.how, width));
  }
  if (plan.manual.length) {
    lines.push('Not fixed by a modify:');
    for (const m of plan.manual) lines.push(hanging(m.control, m.how, width));
  }
  return wrapText(lines.join('\n'), width, 2);
}

export function renderFixOutcomes(outcomes: FixOutcome[], width: number): string {
  const lines = outcomes.map((o) => hanging(o.control, o.ok ? `fixed (${o.field})` : `not fixed (${o.field}): ${o.error}`, width));
  return ['Applied:', ...lines].join('\n');
}
