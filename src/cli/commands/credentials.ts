import type { RegisterCommand } from './index.js';

export const registerCredentials: RegisterCommand = (program, run) => {
  program
    .command('credentials <id>')
    .description('print the master user, password, host, port and CA path (the only command that prints the password)')
    .action((id: string, _o, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { getCredentials } = await import('../../services/credentials.js');
        const { renderFields } = await import('../render/table.js');
        const { rds } = await clientsFor(ctx);
        const c = await getCredentials(rds, ctx.target, ctx.home, id);
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
