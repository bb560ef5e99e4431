import { normalizeInstanceId } from '../../core/identifiers.js';
import { requireClassFor } from '../../core/instance-classes.js';
import { parseReplicaCount } from '../../core/plans/replica-plan.js';
import { confirm, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface ScaleOptions { count: string; class?: string; prefix?: string; wait: boolean; dryRun?: boolean }

/** rdsctl scale-replicas <id> --count N — declarative: creates or deletes read replicas until there are N. */
export const registerScaleReplicas: RegisterCommand = (program, run) => {
  program
    .command('scale-replicas <id>')
    .description('create or delete read replicas until the instance has --count of them (asks before deleting; --yes otherwise)')
    .requiredOption('--count <n>', 'read replicas wanted (0–15)')
    .option('--class <class>', 'instance class of new replicas (default: the source\'s)')
    .option('--prefix <name>', 'new replicas are <name>-1, <name>-2 … (default: <id>-replica)')
    .option('--no-wait', 'return once the changes are requested')
    .option('--dry-run', 'print the plan and change nothing')
    .action((id: string, o: ScaleOptions, cmd) =>
      run(cmd, async (ctx) => {
        const count = parseReplicaCount(o.count);
        const source = normalizeInstanceId(id);
        const prefix = o.prefix?.toLowerCase();
        if (o.class) requireClassFor(o.class, ctx.target);
        const { clientsFor } = await import('../clients.js');
        const { planScale, applyScale } = await import('../../services/replicas.js');
        const { renderReplicaPlan, renderReplicaTable, replicaRows } = await import('../render/replicas.js');
        const { rds } = await clientsFor(ctx);
        const { plan, chain } = await planScale(rds, source, count, prefix);
        if (o.dryRun) {
          ctx.out.result({ dryRun: true, plan }, () => renderReplicaPlan(plan, true, chain));
          return;
        }
        // The plan first, so the question is asked about something the DBA has seen.
        ctx.out.progress(renderReplicaPlan(plan, false, chain));
        if (plan.delete.length) await confirm(ctx, `Delete read replica(s) ${plan.delete.join(', ')} of ${source} (no final snapshot)?`);
        await applyScale(rds, plan, { class: o.class, ...waitSettings(ctx, o.wait) });
        const { describeFleet } = await import('../../services/replicas.js');
        const fleet = await describeFleet(rds, source);
        const sqlLag = o.wait ? await lagOf(ctx, rds, fleet) : [];
        const rows = replicaRows(fleet.replicas, sqlLag);
        ctx.out.result({ dryRun: false, waited: o.wait, plan, replicas: rows }, () => renderReplicaTable(rows, ctx.out.width));
      }),
    );
};

/** Lag over SQL where rdsctl can connect (the local target; aws with RDSCTL_DB_PASSWORD), else none. */
export async function lagOf(ctx: import('../context.js').CliContext, rds: import('@aws-sdk/client-rds').RDSClient, fleet: import('../../services/replicas.js').Fleet) {
  const { notServing } = await import('../../core/instance-state.js');
  // Only replicas that take connections are asked; the others show their status and no lag.
  const serving = fleet.replicas.filter((r) => r.Endpoint?.Address && !notServing(r.DBInstanceIdentifier!, r.DBInstanceStatus));
  if (!serving.length || notServing(fleet.primary.DBInstanceIdentifier!, fleet.primary.DBInstanceStatus)) return [];
  if (ctx.target === 'aws' && !process.env.RDSCTL_DB_PASSWORD) return [];
  const { instanceTargets, sqlLag } = await import('../../services/replica-targets.js');
  const targets = await instanceTargets({ target: ctx.target, home: ctx.home, rds: async () => rds, password: async () => process.env.RDSCTL_DB_PASSWORD }, { ...fleet, replicas: serving });
  return sqlLag(targets);
}
