import type { RegisterCommand } from './index.js';

export const registerCredentials: RegisterCommand = (program, run) => {
  program
    .command('credentials <id>')
    .description('print the master user (or --user NAME, made by `rdsctl users create`), password, host, port and CA path (the only command that prints a password)')
    .option('--user <name>', "a database user's password instead of the master user's (a replica's id gives its endpoint)")
    .action((id: string, o: { user?: string }, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { getCredentials } = await import('../../services/credentials.js');
        const { renderFields } = await import('../render/table.js');
        const clients = await clientsFor(ctx);
        const base = await getCredentials(clients.rds, ctx.target, ctx.home, id);
        let c = base;
        if (o.user !== undefined) {
          const { userCredentials } = await import('../../services/users.js');
          const u = await userCredentials({ rds: clients.rds, target: ctx.target, home: ctx.home, region: clients.target.region }, id, o.user);
          c = { ...base, username: u.username, password: u.password, secretArn: undefined, dbName: u.database };
        }
        ctx.out.result(c, () =>
          renderFields([
            ['username', c.username],
            ['password', c.password ?? (c.secretArn ? `(in AWS Secrets Manager: ${c.secretArn})` : '(not kept by rdsctl)')],
            ['host', c.host],
            ['port', c.port],
            ['ca', c.caFile ?? 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem'],
          ]));
      }),
    );
};
