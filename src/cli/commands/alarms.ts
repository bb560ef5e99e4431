import { usageError } from '../../core/errors.js';
import type { RegisterCommand } from './index.js';

export const registerAlarms: RegisterCommand = (program, run) => {
  const alarms = program.command('alarms').description('CloudWatch alarms of DB instances: the recommended set, list, delete, history');

  alarms
    .command('apply <id>')
    .description("create or update AWS's recommended alarms for the instance (thresholds from its class and storage); idempotent")
    .option('--recommended', 'the recommended set: CPU, memory, storage, connections, latency, replica lag')
    .option('--notify <sns-topic-arn>', 'alarm and OK actions: this SNS topic')
    .option('--dry-run', 'print the alarms and change nothing')
    .action((id: string, o: { recommended?: boolean; notify?: string; dryRun?: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        if (!o.recommended) throw usageError('ALARM_SET_NEEDED', 'alarms apply needs the set to apply.', { hint: `Use rdsctl alarms apply ${id} --recommended.` });
        if (o.notify !== undefined && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(o.notify)) {
          throw usageError('INVALID_TOPIC_ARN', `--notify "${o.notify}" is not an SNS topic ARN.`, { hint: 'An SNS topic ARN looks like arn:aws:sns:us-east-1:123456789012:dba-pager.' });
        }
        const { clientsFor } = await import('../clients.js');
        const { describeInstance } = await import('../../services/instances.js');
        const { applyRecommended } = await import('../../services/alarms.js');
        const { renderPlan } = await import('../render/alarms.js');
        const clients = await clientsFor(ctx);
        const db = await describeInstance(clients.rds, id);
        const res = await applyRecommended(await clients.cloudwatch(), db, { notify: o.notify, dryRun: Boolean(o.dryRun || ctx.options.dryRun) });
        ctx.out.result({ DBInstanceIdentifier: db.DBInstanceIdentifier, Applied: res.applied, Changes: res.plan.changes, Skipped: res.plan.skipped },
          () => renderPlan(db.DBInstanceIdentifier!, res.plan, res.applied));
      }),
    );

  alarms
    .command('list [id]')
    .description('alarms with their state (all, or those on one instance)')
    .action((id: string | undefined, _o, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { listAlarms } = await import('../../services/alarms.js');
        const { renderAlarmList } = await import('../render/alarms.js');
        const clients = await clientsFor(ctx);
        // An unknown instance is exit 4 with its hint, as for metrics and status (not an empty list).
        if (id) await (await import('../../services/instances.js')).describeInstance(clients.rds, id);
        const found = await listAlarms(await clients.cloudwatch(), id);
        ctx.out.result({ MetricAlarms: found }, () => renderAlarmList(found));
      }),
    );

  alarms
    .command('delete <name>')
    .description('delete one alarm by name, or with --all every alarm on DB instance <name>')
    .option('--all', '<name> is a DB instance: delete all its alarms')
    .action((name: string, o: { all?: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { deleteAlarms } = await import('../../services/alarms.js');
        const clients = await clientsFor(ctx);
        const deleted = await deleteAlarms(await clients.cloudwatch(), name, Boolean(o.all));
        ctx.out.result({ Deleted: deleted }, () => `Deleted ${deleted.length} alarm${deleted.length === 1 ? '' : 's'}: ${deleted.join(', ')}`);
      }),
    );

  alarms
    .command('history <id>')
    .description("state changes of the instance's alarms, newest first")
    .action((id: string, _o, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { alarmHistory } = await import('../../services/alarms.js');
        const { renderHistory } = await import('../render/alarms.js');
        const clients = await clientsFor(ctx);
        await (await import('../../services/instances.js')).describeInstance(clients.rds, id);
        const items = await alarmHistory(await clients.cloudwatch(), id);
        ctx.out.result({ AlarmHistoryItems: items }, () => renderHistory(items));
      }),
    );
};
