import { usageError } from '../../core/errors.js';
import { confirm, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface CredentialsOptions { rotate?: boolean; dryRun?: boolean; wait: boolean }

export const registerCredentials: RegisterCommand = (program, run) => {
  program
    .command('credentials <id>')
    .description('print the master user, password, host, port and CA path (the only command that prints the password); --rotate rotates a managed one')
    .option('--rotate', 'rotate the master password the target manages (Secrets Manager): asks on a TTY, --yes otherwise; prints no password')
    .option('--dry-run', 'with --rotate: print the plan and change nothing')
    .option('--no-wait', 'with --rotate: return once the rotation is requested')
    .action((id: string, o: CredentialsOptions, cmd) =>
      run(cmd, async (ctx) => {
        if (!o.rotate && (o.dryRun || !o.wait)) {
          throw usageError('ROTATE_OPTION_ALONE', '--dry-run and --no-wait go with --rotate: nothing was changed.', { hint: `e.g. rdsctl credentials ${id} --rotate --dry-run` });
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
        const c = await getCredentials(clients.rds, ctx.target, ctx.home, id, { secrets: clients.secrets });
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
