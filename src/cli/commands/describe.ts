import type { RegisterCommand } from './index.js';

export const registerDescribe: RegisterCommand = (program, run) => {
  program
    .command('describe <id>')
    .description('show one DB instance: status, endpoint, class, storage, encryption, backups')
    .action((id: string, _opts, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { describeInstance } = await import('../../services/instances.js');
        const { renderInstance } = await import('../render/instances.js');
        const { rds } = await clientsFor(ctx);
        const db = await describeInstance(rds, id);
        ctx.out.result({ DBInstance: db }, () => renderInstance(db, ctx.target, ctx.out.width));
      }),
    );
};

export const registerList: RegisterCommand = (program, run) => {
  program
    .command('list')
    .description('list the DB instances on the target')
    .action((_opts, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { listInstances } = await import('../../services/instances.js');
        const { renderInstanceList } = await import('../render/instances.js');
        const { rds } = await clientsFor(ctx);
        const dbs = await listInstances(rds);
        ctx.out.result({ DBInstances: dbs }, () => renderInstanceList(dbs, ctx.out.width));
      }),
    );
};
