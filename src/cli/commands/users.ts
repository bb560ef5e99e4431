import { normalizeInstanceId } from '../../core/identifiers.js';
import type { CliContext } from '../context.js';
import { confirm } from '../interaction.js';
import type { RegisterCommand } from './index.js';

/**
 * The service's dependencies for this command's target. The master password where rdsctl does not hold
 * it (--target aws): RDSCTL_DB_PASSWORD, or --password-stdin (read only when needed).
 */
async function deps(ctx: CliContext, o: { passwordStdin?: boolean } = {}) {
  const { clientsFor } = await import('../clients.js');
  const clients = await clientsFor(ctx);
  const password = async () => (o.passwordStdin ? (await import('../interaction.js')).readStdin() : process.env.RDSCTL_DB_PASSWORD);
  return { rds: clients.rds, target: ctx.target, home: ctx.home, region: clients.target.region, password };
}

const STDIN_HELP = "the master password on stdin (--target aws, where rdsctl does not hold it; or env RDSCTL_DB_PASSWORD)";

export const registerUsers: RegisterCommand = (program, run) => {
  const users = program.command('users').description('least-privilege database users (roles app, readonly, reporting, migrations) with generated passwords, over TLS as the master user');

  users.command('create <id> <name>')
    .description('create a user with the grants of one role (password generated and kept 0600; show it with `rdsctl credentials ID --user NAME`)')
    .requiredOption('--role <role>', 'app (DML) | readonly (SELECT) | reporting (SELECT, SHOW VIEW; read replicas only) | migrations (DDL + DML)')
    .option('--database <name>', "the schema the grants are on (default: the instance's DBName)")
    .option('--iam', 'refused: IAM users are made with their IAM policy by `rdsctl iam grant ID --db-user NAME --role ROLE --privileges ROLE`')
    .option('--password-stdin', STDIN_HELP)
    .action((id: string, name: string, o: { role: string; database?: string; iam?: boolean; passwordStdin?: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const { checkRole, createUser, refuseIamUser } = await import('../../services/users.js');
        const instance = normalizeInstanceId(id);
        checkRole(o.role, instance); // before any call: bad input changes nothing and needs no endpoint
        if (o.iam) refuseIamUser(instance, name, o.role, o.database);
        const u = await createUser(await deps(ctx, o), instance, { name, role: o.role, database: o.database });
        ctx.out.result(u, () => [
          `Created user ${u.username} on ${u.DBInstanceIdentifier} (${u.role} on ${u.database}, TLS required).`,
          ...u.grants.map((g) => `  ${g.replace('?@?', `'${u.username}'@'%'`)}`),
          ...(u.replicaOnly ? [u.replicas.length
            ? `Connects to the read replicas only: ${u.replicas.join(', ')} (the primary refuses it).`
            : `Connects to read replicas only, and ${u.DBInstanceIdentifier} has none yet: rdsctl scale-replicas ${u.DBInstanceIdentifier} --count 1.`] : []),
          `Password: rdsctl credentials ${u.DBInstanceIdentifier} --user ${u.username}`,
        ].join('\n'));
      }));

  users.command('list <id>')
    .description('the users rdsctl made on an instance: role, schema, and whether the account is on the server')
    .option('--password-stdin', STDIN_HELP)
    .action((id: string, o: { passwordStdin?: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const { listUsers } = await import('../../services/users.js');
        const { renderTable } = await import('../render/table.js');
        const r = await listUsers(await deps(ctx, o), normalizeInstanceId(id));
        ctx.out.result(r, () => (r.users.length === 0
          ? `No users made by rdsctl on ${r.DBInstanceIdentifier} (rdsctl users create ${r.DBInstanceIdentifier} app_rw --role app).`
          : renderTable(['USER', 'ROLE', 'DATABASE', 'ON SERVER', 'CONNECTS TO'],
            r.users.map((u) => [u.username, u.role, u.database, u.onServer ? 'yes' : 'NO', u.replicaOnly ? 'replicas only' : 'any']))));
      }));

  users.command('rotate <id> <name>')
    .description('give a user a new generated password (the old one stops working at once)')
    .option('--password-stdin', STDIN_HELP)
    .action((id: string, name: string, o: { passwordStdin?: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const { rotateUser } = await import('../../services/users.js');
        const u = await rotateUser(await deps(ctx, o), normalizeInstanceId(id), name);
        ctx.out.result(u, () => `New password for ${u.username} on ${u.DBInstanceIdentifier}: rdsctl credentials ${u.DBInstanceIdentifier} --user ${u.username}`);
      }));

  users.command('drop <id> <name>')
    .description('drop a user and its kept password (asks on a TTY; --yes otherwise)')
    .option('--password-stdin', `${STDIN_HELP}; needs --yes`)
    .action((id: string, name: string, o: { passwordStdin?: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const { dropUser } = await import('../../services/users.js');
        const r = await dropUser(await deps(ctx, o), normalizeInstanceId(id), name,
          (instance) => confirm(ctx, `Drop database user ${name} on ${instance} (its open sessions keep running until they disconnect)?`));
        ctx.out.result(r, () => `Dropped user ${r.username} on ${r.DBInstanceIdentifier}.`);
      }));
};
