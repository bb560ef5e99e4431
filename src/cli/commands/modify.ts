import { usageError } from '../../core/errors.js';
import { masterPasswordProblem } from '../../core/identifiers.js';
import { parseIntOption } from '../../core/validation.js';
import { readStdin, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface ModifyOptions {
  class?: string; storage?: string; maxStorage?: string; backupRetention?: string;
  deletionProtection?: boolean; newPasswordStdin?: boolean; applyImmediately?: boolean; wait: boolean; dryRun?: boolean;
}

export const registerModify: RegisterCommand = (program, run) => {
  program
    .command('modify <id>')
    .description('change class, storage, backup retention, deletion protection or master password')
    .option('--class <class>', 'new DB instance class (restarts the database)')
    .option('--storage <gib>', 'new allocated storage in GiB (grows only, by ≥ 10%)')
    .option('--max-storage <gib>', 'storage autoscaling ceiling in GiB')
    .option('--backup-retention <days>', 'automated backup retention (0–35 days)')
    .option('--deletion-protection', 'turn deletion protection on')
    .option('--no-deletion-protection', 'turn deletion protection off')
    .option('--new-password-stdin', 'read a new master password from stdin')
    .option('--apply-immediately', 'apply now instead of in the next maintenance window')
    .option('--no-wait', 'return once the change is accepted')
    .option('--dry-run', 'print the plan and change nothing')
    .action((id: string, o: ModifyOptions, cmd) =>
      run(cmd, async (ctx) => {
        const desired = {
          DBInstanceClass: o.class,
          AllocatedStorage: o.storage === undefined ? undefined : parseIntOption(o.storage, '--storage'),
          MaxAllocatedStorage: o.maxStorage === undefined ? undefined : parseIntOption(o.maxStorage, '--max-storage'),
          BackupRetentionPeriod: o.backupRetention === undefined ? undefined : parseIntOption(o.backupRetention, '--backup-retention'),
          DeletionProtection: o.deletionProtection,
          MasterUserPassword: o.newPasswordStdin ? await readStdin() : undefined,
        };
        if (o.newPasswordStdin) {
          const problem = desired.MasterUserPassword ? masterPasswordProblem(desired.MasterUserPassword) : 'is empty (stdin gave nothing)';
          if (problem) throw usageError('INVALID_PASSWORD', `The new master password ${problem}: nothing was changed.`);
        }
        const { clientsFor } = await import('../clients.js');
        const { modifyInstance } = await import('../../services/instances.js');
        const { renderPlan } = await import('../render/instances.js');
        const { rds } = await clientsFor(ctx);
        const res = await modifyInstance(rds, id, desired, {
          applyImmediately: Boolean(o.applyImmediately), dryRun: Boolean(o.dryRun), target: ctx.target, ...waitSettings(ctx, o.wait),
        });
        const state = o.dryRun ? 'dry-run' : 'done';
        const changes = desired.MasterUserPassword ? [...res.changes, { field: 'MasterUserPassword', from: '(hidden)', to: '(new, hidden)' }] : res.changes;
        ctx.out.result({ dryRun: Boolean(o.dryRun), applied: res.applied, pending: res.pending, changes, DBInstance: res.instance }, () =>
          renderPlan(res.instance.DBInstanceIdentifier ?? id, changes as never, state, res.pending));
      }),
    );
};
