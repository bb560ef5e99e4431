import { checkFailedError, usageError } from '../../core/errors.js';
import { normalizeInstanceId } from '../../core/identifiers.js';
import { fixCount } from '../../core/security/fix-plan.js';
import { confirm, waitSettings } from '../interaction.js';
import type { CliContext } from '../context.js';
import type { AuditReport } from '../../services/audit.js';
import type { RegisterCommand } from './index.js';

interface AuditOptions { fix?: boolean; dryRun?: boolean }

function failure(r: AuditReport): Error | undefined {
  const bad = r.controls.filter((c) => c.status === 'fail').map((c) => c.id);
  if (!bad.length) return undefined;
  return checkFailedError('AUDIT_FAILED', `${bad.length} control(s) failed on ${r.id}: ${bad.join(', ')}.`, {
    hint: `\`rdsctl audit ${r.id} --fix --dry-run\` shows what a modify can fix and how to fix the rest.`,
  });
}

export const registerAudit: RegisterCommand = (program, run) => {
  program
    .command('audit <id>')
    .description('check a DB instance against the Security Hub RDS controls (exit 6 when one fails); --fix --dry-run plans the modifies')
    .option('--fix', 'apply the modifies that fix failed controls and turn the audit log on (asks on a TTY; --yes otherwise), then audit again')
    .option('--dry-run', 'with --fix: print the plan and change nothing')
    .action((id: string, o: AuditOptions, cmd) =>
      run(cmd, async (ctx) => {
        if (o.dryRun && !o.fix) throw usageError('DRY_RUN_NEEDS_FIX', '--dry-run goes with --fix: nothing was checked.', { hint: `rdsctl audit ${id} --fix --dry-run` });
        const instance = normalizeInstanceId(id);
        const { clientsFor } = await import('../clients.js');
        const { auditInstance, applyFixes } = await import('../../services/audit.js');
        const r = await import('../render/audit.js');
        const { rds } = await clientsFor(ctx);
        const audit = () => auditInstance({ rds, target: ctx.target, inspect: inspector(ctx), onProgress: (m) => ctx.out.step(m) }, instance);
        const report = await audit();
        const w = ctx.out.width;
        if (!o.fix) {
          ctx.out.result(report, () => r.renderAudit(report, w));
        } else if (o.dryRun || fixCount(report.fixPlan) === 0) {
          ctx.out.result({ ...report, dryRun: Boolean(o.dryRun) }, () => `${r.renderAudit(report, w)}\n\n${r.renderPlan(report.id, report.fixPlan, w, true)}`);
        } else {
          await confirm(ctx, `Apply ${fixCount(report.fixPlan)} change(s) to ${report.id}?`, () =>
            ctx.out.print(`${r.renderAudit(report, w)}\n\n${r.renderPlan(report.id, report.fixPlan, w, true)}`));
          const applied = await applyFixes(rds, report, waitSettings(ctx, true));
          const after = await audit();
          ctx.out.result({ ...after, before: report.counts, applied }, () =>
            `${r.renderFixOutcomes(applied, w)}\n\n${r.renderAudit(after, w)}${after.fixPlan.manual.length ? `\n\n${r.renderPlan(after.id, { modifies: [], manual: after.fixPlan.manual }, w, false)}` : ''}`);
          const f = failure(after);
          if (f) throw f;
          return;
        }
        const f = failure(report);
        if (f) throw f;
      }),
    );
};

/** Local target: the control plane looks at the real thing (datadir, process, file modes); aws: the API is all there is. */
function inspector(ctx: CliContext) {
  if (ctx.target !== 'local') return undefined;
  return async (instanceId: string) => {
    const { inspectLocalInstance } = await import('../../local/control/inspect.js');
    return inspectLocalInstance(ctx.home, instanceId);
  };
}
