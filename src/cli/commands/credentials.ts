import { usageError } from '../../core/errors.js';
import { confirm, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface CredentialsOptions { rotate?: boolean; dryRun?: boolean; wait: boolean; user?: string }

export const registerCredentials: RegisterCommand = (program, run) => {
  program
    .command('credentials <id>')
    .description('print the master user (or --user NAME, made by `rdsctl users create`), password, host, port and CA path (the only command that prints a password); --rotate rotates a managed master password')
    .option('--user <name>', "a database user's password instead of the master user's (a replica's id gives its endpoint)")
    .option('--rotate', 'rotate the master password the target manages (Secrets Manager): asks on a TTY, --yes otherwise; prints no password')
    .option('--dry-run', 'with --rotate: print the plan and change nothing')
    .option('--no-wait', 'with --rotate: return once the rotation is requested')
    .action((id: string, o: CredentialsOptions, cmd) =>
      run(cmd, async (ctx) => {
        if (!o.rotate && (o.dryRun || !o.wait)) {
          throw usageError('ROTATE_OPTION_ALONE', '--dry-run and --no-wait go with --rotate: nothing was changed.', { hint: `e.g. rdsctl credentials ${id} --rotate --dry-run` });
        }
        if (o.rotate && o.user !== undefined) {
          throw usageError('ROTATE_OPTION_ALONE', '--rotate rotates the master password; a user made by `rdsctl users create` rotates with `rdsctl users rotate`.', { hint: `rdsctl users rotate ${id} ${o.user}` });
        }
        const { clientsFor } = await import('../clients.js');
        const clients = await clientsFor(ctx);
        if (o.rotate) {
          const { planRotation, rotateMasterPassword } = await import('../../services/master-secret.js');
          const plan = await planRotation(clients.rds, id);
          const what = `Rotate the master password of ${plan.DBInstanceIdentifier} (secret ${plan.SecretArn}): clients still using the current one are refused once it completes`;
          if (o.dryRun) return ctx.out.result({ dryRun: true, plan }, () => `${what} — dry run, nothing changed.`);
          await confirm(ctx, `${what}?`);
          const db = await rotateMasterPassword(clients.rds, plan, waitSettings(ctx, o.wait));
          ctx.out.result({ rotated: o.wait, plan, DBInstance: db }, () =>
            `${o.wait ? 'Rotated' : 'Rotating'} the master password of ${plan.DBInstanceIdentifier}; \`rdsctl credentials ${plan.DBInstanceIdentifier}\` prints the new one.`);
          return;
        }
        const { getCredentials } = await import('../../services/credentials.js');
        const { renderFields } = await import('../render/table.js');
        const base = await getCredentials(clients.rds, ctx.target, ctx.home, id, { secrets: clients.secrets });
        let c = base;
        if (o.user !== undefined) {
          const { userCredentials } = await import('../../services/users.js');
          const u = await userCredentials({ rds: clients.rds, target: ctx.target, home: ctx.home, region: clients.target.region }, id, o.user);
          c = { ...base, username: u.username, password: u.password, secretArn: undefined, dbName: u.database };
        }
        ctx.out.result(c, () =>
          renderFields([
            ['username', c.username],
            ['password', c.password ?? '(not kept by rdsctl)'],
            ['host', c.host],
            ['port', c.port],
            ['ca', c.caFile ?? 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem'],
          ]));
      }),
    );
};
