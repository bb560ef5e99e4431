import { usageError } from '../../core/errors.js';
import { normalizeInstanceId, normalizeSnapshotId } from '../../core/identifiers.js';
import { confirm, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface DeleteOptions { skipFinalSnapshot?: boolean; finalSnapshot?: string; keepAutomatedBackups?: boolean; wait: boolean; dryRun?: boolean }

export const registerDelete: RegisterCommand = (program, run) => {
  program
    .command('delete <id>')
    .description('delete a DB instance (asks on a TTY; --yes otherwise); the passwords `rdsctl users` kept for it go too, a final snapshot or kept backups keep a copy for a restore')
    .option('--skip-final-snapshot', 'delete without a final snapshot')
    .option('--final-snapshot <name>', 'take this final snapshot before deleting')
    .option('--keep-automated-backups', 'keep the automated backups (retained: restore-window and restore --to-time work from them)')
    .option('--no-wait', 'return once deletion has started')
    .option('--dry-run', 'print what would be deleted and delete nothing')
    .action((id: string, o: DeleteOptions, cmd) =>
      run(cmd, async (ctx) => {
        if (Boolean(o.skipFinalSnapshot) === Boolean(o.finalSnapshot)) {
          throw usageError('FINAL_SNAPSHOT_CHOICE', 'Choose exactly one of --skip-final-snapshot or --final-snapshot <name>: nothing was deleted.', {
            hint: `e.g. rdsctl delete ${id} --final-snapshot ${id}-final`,
          });
        }
        const plan = {
          DBInstanceIdentifier: normalizeInstanceId(id),
          SkipFinalSnapshot: Boolean(o.skipFinalSnapshot),
          FinalDBSnapshotIdentifier: o.finalSnapshot ? normalizeSnapshotId(o.finalSnapshot) : undefined,
          ...(o.keepAutomatedBackups ? { DeleteAutomatedBackups: false } : {}),
        };
        const { clientsFor } = await import('../clients.js');
        const { describeInstance, deleteInstance } = await import('../../services/instances.js');
        const { rds, target } = await clientsFor(ctx);
        const current = await describeInstance(rds, plan.DBInstanceIdentifier);
        let listed: Promise<string[]> | undefined; // asked once, and only when needed
        const snapshots = () => (listed ??= current.ReadReplicaSourceDBInstanceIdentifier ? Promise.resolve([]) : snapshotsOf(rds, plan.DBInstanceIdentifier));
        const keep = Boolean(o.keepAutomatedBackups);
        const what = `Delete ${plan.DBInstanceIdentifier} (${current.DBInstanceStatus}, ${current.AllocatedStorage} GiB) ${plan.SkipFinalSnapshot ? 'WITHOUT a final snapshot' : `after final snapshot ${plan.FinalDBSnapshotIdentifier}`}${
          plan.SkipFinalSnapshot ? await noBackupWarning(current, keep, snapshots) : ''}`;
        const { usersOnDelete, applyUsersOnDelete, usersOnDeleteText } = await import('../../services/users-lifetime.js');
        const facts = { home: ctx.home, target: ctx.target, region: target.region, id: plan.DBInstanceIdentifier, finalSnapshot: plan.FinalDBSnapshotIdentifier,
          keptBackups: keep && (current.BackupRetentionPeriod ?? 0) > 0, snapshots };
        const userPasswords = await usersOnDelete(facts);
        const users = userPasswords ? `\n${usersOnDeleteText(userPasswords)}` : '';
        if (o.dryRun) {
          ctx.out.result({ dryRun: true, plan, userPasswords }, () => `${what} — dry run, nothing deleted.${users}`);
          return;
        }
        await confirm(ctx, `${what}?`);
        const db = await deleteInstance(rds, plan, waitSettings(ctx, o.wait));
        await applyUsersOnDelete(facts, userPasswords);
        ctx.out.result({ deleted: o.wait, plan, DBInstance: db, userPasswords }, () =>
          (o.wait ? `Deleted ${plan.DBInstanceIdentifier}.` : `Deleting ${plan.DBInstanceIdentifier} (running in the background).`) + users);
      }),
    );
};

async function snapshotsOf(rds: import('@aws-sdk/client-rds').RDSClient, id: string): Promise<string[]> {
  const { listSnapshots } = await import('../../services/snapshots.js');
  return (await listSnapshots(rds, id)).map((s) => s.DBSnapshotIdentifier!);
}

/** Said before the question: deleting an instance with nothing behind it loses its data for good. */
async function noBackupWarning(db: import('@aws-sdk/client-rds').DBInstance, keep: boolean, snapshots: () => Promise<string[]>): Promise<string> {
  const backups = (db.BackupRetentionPeriod ?? 0) > 0;
  if (db.ReadReplicaSourceDBInstanceIdentifier || (backups && keep) || (await snapshots()).length > 0) return '';
  const id = db.DBInstanceIdentifier;
  // As on RDS, automated backups go with the instance unless kept.
  if (backups) return ` — it has no snapshots and its automated backups are deleted with it, so its data cannot be brought back (keep them: --keep-automated-backups; or take one: --final-snapshot ${id}-final)`;
  return ` — it has no automated backups and no snapshots, so its data cannot be brought back (take one: --final-snapshot ${id}-final)`;
}
