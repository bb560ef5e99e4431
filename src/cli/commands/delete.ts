import { usageError } from '../../core/errors.js';
import { normalizeInstanceId, normalizeSnapshotId } from '../../core/identifiers.js';
import { confirm, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface DeleteOptions { skipFinalSnapshot?: boolean; finalSnapshot?: string; wait: boolean; dryRun?: boolean }

export const registerDelete: RegisterCommand = (program, run) => {
  program
    .command('delete <id>')
    .description('delete a DB instance (asks on a TTY; --yes otherwise)')
    .option('--skip-final-snapshot', 'delete without a final snapshot')
    .option('--final-snapshot <name>', 'take this final snapshot before deleting')
    .option('--no-wait', 'return once deletion has started')
    .option('--dry-run', 'print what would be deleted and delete nothing')
    .action((id: string, o: DeleteOptions, cmd) =>
      run(cmd, async (ctx) => {
        if (Boolean(o.skipFinalSnapshot) === Boolean(o.finalSnapshot)) {
          throw usageError('FINAL_SNAPSHOT_CHOICE', 'Choose exactly one of --skip-final-snapshot or --final-snapshot <name>: nothing was deleted.', {
            // The local target takes no final snapshots yet: suggesting one there would be refused.
            hint: ctx.target === 'local' ? `e.g. rdsctl delete ${id} --skip-final-snapshot` : `e.g. rdsctl delete ${id} --final-snapshot ${id}-final`,
          });
        }
        const plan = {
          DBInstanceIdentifier: normalizeInstanceId(id),
          SkipFinalSnapshot: Boolean(o.skipFinalSnapshot),
          FinalDBSnapshotIdentifier: o.finalSnapshot ? normalizeSnapshotId(o.finalSnapshot) : undefined,
        };
        const { clientsFor } = await import('../clients.js');
        const { describeInstance, deleteInstance } = await import('../../services/instances.js');
        const { rds } = await clientsFor(ctx);
        const current = await describeInstance(rds, plan.DBInstanceIdentifier);
        const what = `Delete ${plan.DBInstanceIdentifier} (${current.DBInstanceStatus}, ${current.AllocatedStorage} GiB) ${plan.SkipFinalSnapshot ? 'WITHOUT a final snapshot' : `after final snapshot ${plan.FinalDBSnapshotIdentifier}`}`;
        if (o.dryRun) {
          ctx.out.result({ dryRun: true, plan }, () => `${what} — dry run, nothing deleted.`);
          return;
        }
        await confirm(ctx, `${what}?`);
        const db = await deleteInstance(rds, plan, waitSettings(ctx, o.wait));
        ctx.out.result({ deleted: o.wait, plan, DBInstance: db }, () =>
          o.wait ? `Deleted ${plan.DBInstanceIdentifier}.` : `Deleting ${plan.DBInstanceIdentifier} (running in the background).`);
      }),
    );
};
