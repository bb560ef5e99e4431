import { waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

const ACTIONS = [
  { name: 'reboot', description: 'reboot the DB instance (local target: also applies its pending changes)' },
  { name: 'stop', description: 'stop the DB instance (data and settings are kept)' },
  { name: 'start', description: 'start a stopped DB instance' },
] as const;

export const registerPower: RegisterCommand = (program, run) => {
  for (const action of ACTIONS) {
    program
      .command(`${action.name} <id>`)
      .description(action.description)
      .option('--no-wait', 'return once the request is accepted')
      .action((id: string, o: { wait: boolean }, cmd) =>
        run(cmd, async (ctx) => {
          const { clientsFor } = await import('../clients.js');
          const { changePowerState } = await import('../../services/instances.js');
          const { renderInstance } = await import('../render/instances.js');
          const { rebootNote } = await import('../render/modify.js');
          const { rds } = await clientsFor(ctx);
          const res = await changePowerState(rds, id, action.name, { ...waitSettings(ctx, o.wait), target: ctx.target });
          const db = res.instance;
          const note = rebootNote(db.DBInstanceIdentifier ?? id, res.pending, res.appliesPending, o.wait);
          const data = action.name === 'reboot' ? { DBInstance: db, pendingChanges: res.pending, appliesPendingChanges: res.appliesPending } : { DBInstance: db };
          ctx.out.result(data, () => [renderInstance(db, ctx.target), ...(note ? ['', note] : [])].join('\n'));
        }),
      );
  }
};
