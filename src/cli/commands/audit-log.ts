import { normalizeInstanceId } from '../../core/identifiers.js';
import { waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

export const registerAuditLog: RegisterCommand = (program, run) => {
  const audit = program.command('audit-log').description('the audit log (MariaDB server_audit) through the MARIADB_AUDIT_PLUGIN option of the option group; read it with `rdsctl logs ID --audit`');

  audit.command('enable <id>')
    .description('turn the audit log on (an instance on the default option group moves to its own group ID-audit); nothing restarts')
    .option('--events <list>', 'SERVER_AUDIT_EVENTS: CONNECT, QUERY, TABLE, QUERY_DDL, QUERY_DML, QUERY_DML_NO_SELECT, QUERY_DCL', 'CONNECT,QUERY_DDL,QUERY_DCL')
    .option('--dry-run', 'print the plan and change nothing')
    .action((id: string, o: { events: string; dryRun?: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const { checkEvents, planAuditEnable, enableAuditLog } = await import('../../services/audit-log.js');
        const instance = normalizeInstanceId(id);
        const events = checkEvents(o.events, instance);
        const { clientsFor } = await import('../clients.js');
        const { rds } = await clientsFor(ctx);
        const plan = await planAuditEnable(rds, instance, events);
        const text = [
          `Audit log for ${plan.DBInstanceIdentifier} (events ${plan.events}):`,
          ...plan.steps.map((s) => `  - ${s}`),
          '  Nothing restarts: the option is applied to the running server.',
          ...(plan.sharedWith.length ? [`  The group is shared: ${plan.sharedWith.join(', ')} get the audit log too.`] : []),
        ].join('\n');
        if (o.dryRun || ctx.options.dryRun) {
          ctx.out.result({ dryRun: true, plan }, () => `${text}\nDry run: nothing changed.`);
          return;
        }
        const w = waitSettings(ctx, true, 10);
        ctx.out.step(`Adding MARIADB_AUDIT_PLUGIN to ${plan.optionGroup}…`);
        const db = await enableAuditLog(rds, plan, w);
        const pending = db.OptionGroupMemberships?.[0]?.Status === 'pending-apply';
        ctx.out.result({ plan, OptionGroupMemberships: db.OptionGroupMemberships }, () => (pending
          ? `${text}\nThis server was started without the audit plugin loaded: it turns on at the next reboot (rdsctl reboot ${plan.DBInstanceIdentifier}).`
          : `${text}\nAudit log on. Read it: rdsctl logs ${plan.DBInstanceIdentifier} --audit`));
      }));

  audit.command('disable <id>')
    .description("remove MARIADB_AUDIT_PLUGIN from the instance's option group (the group stays)")
    .action((id: string, _o, cmd) =>
      run(cmd, async (ctx) => {
        const { disableAuditLog } = await import('../../services/audit-log.js');
        const { clientsFor } = await import('../clients.js');
        const { rds } = await clientsFor(ctx);
        const r = await disableAuditLog(rds, normalizeInstanceId(id), waitSettings(ctx, true, 10));
        ctx.out.result(r, () => (r.changed
          ? `Audit log off for ${r.DBInstanceIdentifier} (removed from option group ${r.optionGroup}; the old log file stays readable).`
          : `The audit log of ${r.DBInstanceIdentifier} was not on (option group ${r.optionGroup}): nothing changed.`));
      }));
};
