import { usageError } from '../../core/errors.js';
import { masterPasswordProblem } from '../../core/identifiers.js';
import { parseIntOption } from '../../core/validation.js';
import { readStdin, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface ModifyOptions {
  class?: string; storage?: string; maxStorage?: string | false; backupRetention?: string; deletionProtection?: boolean;
  newPasswordStdin?: boolean; manageMasterPassword?: boolean; applyImmediately?: boolean; wait: boolean; dryRun?: boolean; parameterGroup?: string;
}

export const registerModify: RegisterCommand = (program, run) => {
  program
    .command('modify <id>')
    .description('change class, storage, autoscaling, backup retention, deletion protection or master password')
    .option('--class <class>', 'new DB instance class (restarts the database)')
    .option('--storage <gib>', 'new allocated storage in GiB (grows only, by ≥ 10%)')
    .option('--max-storage <gib>', 'storage autoscaling ceiling in GiB (equal to the storage: autoscaling off)')
    .option('--no-max-storage', 'turn storage autoscaling off')
    .option('--backup-retention <days>', 'automated backup retention (0–35 days)')
    .option('--parameter-group <name>', 'use this DB parameter group (its values take effect at the next reboot)')
    .option('--deletion-protection', 'turn deletion protection on')
    .option('--no-deletion-protection', 'turn deletion protection off')
    .option('--new-password-stdin', 'read a new master password from stdin')
    .option('--no-manage-master-password', 'with --new-password-stdin: stop letting the target manage the password')
    .option('--apply-immediately', 'apply now (with every change already pending) instead of in the next maintenance window')
    .option('--no-wait', 'return once the change is requested')
    .option('--dry-run', 'print the plan and change nothing')
    .action((id: string, o: ModifyOptions, cmd) =>
      run(cmd, async (ctx) => {
        const desired = {
          DBInstanceClass: o.class,
          AllocatedStorage: o.storage === undefined ? undefined : parseIntOption(o.storage, '--storage'),
          MaxAllocatedStorage: typeof o.maxStorage === 'string' ? parseIntOption(o.maxStorage, '--max-storage') : o.maxStorage,
          BackupRetentionPeriod: o.backupRetention === undefined ? undefined : parseIntOption(o.backupRetention, '--backup-retention'),
          DeletionProtection: o.deletionProtection,
          DBParameterGroupName: o.parameterGroup,
          MasterUserPassword: o.newPasswordStdin ? await readStdin() : undefined,
          ManageMasterUserPassword: o.manageMasterPassword === false ? (false as const) : undefined,
        };
        if (o.manageMasterPassword === false && !o.newPasswordStdin) {
          throw usageError('PASSWORD_SOURCE_NEEDED', '--no-manage-master-password needs the new password: nothing was changed.', {
            hint: `e.g. pass show db/master | rdsctl modify ${id} --no-manage-master-password --new-password-stdin`,
          });
        }
        if (o.newPasswordStdin) {
          const problem = desired.MasterUserPassword ? masterPasswordProblem(desired.MasterUserPassword) : 'is empty (stdin gave nothing)';
          if (problem) throw usageError('INVALID_PASSWORD', `The new master password ${problem}: nothing was changed.`);
        }
        const { clientsFor } = await import('../clients.js');
        const { modifyInstance } = await import('../../services/instances.js');
        const { renderModify } = await import('../render/modify.js');
        const { rds } = await clientsFor(ctx);
        const res = await modifyInstance(rds, id, desired, {
          applyImmediately: Boolean(o.applyImmediately), dryRun: Boolean(o.dryRun), target: ctx.target, ...waitSettings(ctx, o.wait),
        });
        const view = { id: res.instance.DBInstanceIdentifier ?? id, plan: res.plan, outcome: res.outcome, status: res.instance.DBInstanceStatus, replicas: res.instance.ReadReplicaDBInstanceIdentifiers };
        ctx.out.result({
          dryRun: Boolean(o.dryRun), applied: res.applied, pending: res.pending, changes: res.plan.changes,
          alsoApplied: res.plan.alsoApplied, stillPending: res.plan.stillPending, restart: res.plan.restart ?? null,
          outcome: res.outcome, DBInstance: res.instance,
        }, () => renderModify(view, Boolean(o.dryRun)));
      }),
    );
};
