import type { RegisterCommand } from './index.js';

export const registerConnect: RegisterCommand = (program, run) => {
  program
    .command('connect <id>')
    .description('print a mysql:// URL (no password) or, with --shell, open the mariadb client over TLS')
    .option('--shell', 'start the mariadb client (password passed through a 0600 option file)')
    .option('--database <name>', 'default database (default: the instance\'s DBName)')
    .option('--iam', 'log in with a 15-minute IAM token (made from your AWS credentials) instead of the master password')
    .option('--db-user <name>', 'with --iam: the IAM database user (rdsctl iam grant)')
    .action((id: string, o: { shell?: boolean; database?: string; iam?: boolean; dbUser?: string }, cmd) =>
      run(cmd, async (ctx) => {
        if (o.shell && ctx.options.json) {
          const { usageError } = await import('../../core/errors.js');
          // The client talks to the terminal on stdout: no single JSON document is possible.
          throw usageError('SHELL_WITH_JSON', '--shell opens the interactive mariadb client and cannot be combined with --json.', {
            hint: `Drop --json, or run \`rdsctl connect ${id} --json\` for the connection URL.`,
          });
        }
        if (Boolean(o.iam) !== (o.dbUser !== undefined)) {
          const { usageError } = await import('../../core/errors.js');
          throw usageError('IAM_NEEDS_DB_USER', '--iam and --db-user go together.', { hint: `rdsctl connect ${id} --iam --db-user app --shell` });
        }
        const { clientsFor } = await import('../clients.js');
        const { getCredentials, mysqlUrl } = await import('../../services/credentials.js');
        const { rds } = await clientsFor(ctx);
        let c = await getCredentials(rds, ctx.target, ctx.home, id, { serving: true });
        if (o.iam) {
          const { makeToken } = await import('../../services/iam-auth.js');
          // The token replaces the password; the master password is dropped from memory's view here.
          c = { ...c, username: o.dbUser!, password: (await makeToken(rds, id, o.dbUser!)).token };
        }
        const database = o.database ?? c.dbName;
        if (!o.shell) {
          const url = mysqlUrl(c, database);
          ctx.out.result({ url, username: c.username, host: c.host, port: c.port, database, caFile: c.caFile }, () => url);
          return;
        }
        const { openShell } = await import('../../services/mysql-shell.js');
        const code = await openShell(c, database);
        if (code !== 0) {
          const { remoteError } = await import('../../core/errors.js');
          throw remoteError('SHELL_FAILED', `The mariadb client exited with code ${code}.`);
        }
      }),
    );
};
