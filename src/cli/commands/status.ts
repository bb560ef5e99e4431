import type { RegisterCommand } from './index.js';

export const registerStatus: RegisterCommand = (program, run) => {
  program
    .command('status <id>')
    .description('one screen: status, endpoint, latest restorable time, replicas with lag, the last hour of metrics, alarms in ALARM, pending changes')
    .action((id: string, _o, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { instanceStatus } = await import('../../services/status.js');
        const { renderStatus } = await import('../render/status.js');
        const clients = await clientsFor(ctx);
        const s = await instanceStatus(clients.rds, await clients.cloudwatch(), id);
        ctx.out.result({ DBInstance: s.db, Replicas: s.replicas, Metrics: s.metrics, AlarmsInAlarm: s.alarming }, () => renderStatus(s, ctx.out.width));
      }),
    );
};
