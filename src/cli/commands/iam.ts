import { normalizeInstanceId } from '../../core/identifiers.js';
import { waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface GrantOpts { dbUser: string; role: string; database?: string; privileges?: string; dryRun?: boolean }

export const registerIam: RegisterCommand = (program, run) => {
  const iam = program.command('iam').description('IAM database authentication: enable, grant/revoke a role, make a token');

  iam.command('enable <id>')
    .description('turn on IAM database authentication (ModifyDBInstance, applied now; local: restarts the instance)')
    .option('--no-wait', 'return once the change is accepted')
    .action((id: string, o: { wait: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { enableIamAuth } = await import('../../services/iam-auth.js');
        const { rds } = await clientsFor(ctx);
        const r = await enableIamAuth(rds, normalizeInstanceId(id), waitSettings(ctx, o.wait));
        const name = r.instance.DBInstanceIdentifier;
        ctx.out.result({ changed: r.changed, DBInstance: r.instance }, () => (r.changed ? `IAM database authentication enabled on ${name}.` : `Nothing changed: IAM database authentication is already enabled on ${name}.`));
      }));

  iam.command('grant <id>')
    .description('let an IAM role connect as a database user: IAM policy (rds-db:connect) attached to the role + the IAM database user')
    .requiredOption('--db-user <name>', 'the database user (created for IAM authentication, REQUIRE SSL)')
    .requiredOption('--role <role-name|arn>', 'the IAM role that gets the policy')
    .option('--database <name>', 'schema for --privileges')
    .option('--privileges <role>', 'grant the least-privilege role app|readonly|reporting|migrations on --database')
    .option('--dry-run', 'show the policy document and what would change; change nothing')
    .action((id: string, o: GrantOpts, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { grantIamAccess } = await import('../../services/iam-grant.js');
        const { renderGrant } = await import('../render/iam.js');
        const clients = await clientsFor(ctx);
        const instance = normalizeInstanceId(id);
        const r = await grantIamAccess(clients.rds, await clients.iam(), { id: instance, ...o, dryRun: o.dryRun === true, target: ctx.target, home: ctx.home });
        ctx.out.result(r, () => renderGrant(instance, o.dbUser, r));
      }));

  iam.command('revoke <id>')
    .description('undo iam grant: detach and delete the policy, drop the IAM database user')
    .requiredOption('--db-user <name>', 'the database user')
    .requiredOption('--role <role-name|arn>', 'the IAM role that holds the policy')
    .action((id: string, o: { dbUser: string; role: string }, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { revokeIamAccess } = await import('../../services/iam-revoke.js');
        const { renderRevoke } = await import('../render/iam.js');
        const clients = await clientsFor(ctx);
        const instance = normalizeInstanceId(id);
        const r = await revokeIamAccess(clients.rds, await clients.iam(), { id: instance, ...o, dryRun: false, target: ctx.target, home: ctx.home });
        ctx.out.result(r, () => renderRevoke(instance, o.dbUser, r));
      }));

  iam.command('token <id>')
    .description('print a 15-minute IAM authentication token for --db-user (a credential: it is printed because you asked)')
    .requiredOption('--db-user <name>', 'the database user')
    .action((id: string, o: { dbUser: string }, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { makeToken } = await import('../../services/iam-auth.js');
        const { rds } = await clientsFor(ctx);
        const t = await makeToken(rds, normalizeInstanceId(id), o.dbUser);
        ctx.out.result({ token: t.token, dbUser: t.dbUser, host: t.host, port: t.port, expiresAt: t.expiresAt.toISOString() }, () => t.token);
      }));
};
