import { Option, type Command } from 'commander';
import { checkFailedError, usageError } from '../../core/errors.js';
import { parseIntOption } from '../../core/validation.js';
import type { RegisterCommand } from './index.js';

interface VerifyFlags { dsn?: string; replicaDsn?: string[]; database?: string[]; chunkRows: string; waitTimeout: string; passwordStdin?: boolean }

/** rdsctl replicas <id> — each read replica's status, replication state and lag; `replicas verify` — same data? */
export const registerReplicas: RegisterCommand = (program, run) => {
  const replicas = program
    .command('replicas')
    .description('list an instance\'s read replicas with status, endpoint, lag and replication state; verify they hold the same data')
    .argument('[id]', 'the source DB instance')
    .action((id: string | undefined, _o: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        if (!id) throw usageError('INSTANCE_REQUIRED', 'Name the source instance.', { hint: 'Run `rdsctl list` to see the instances on this target.' });
        const { clientsFor } = await import('../clients.js');
        const { describeFleet } = await import('../../services/replicas.js');
        const { lagOf } = await import('./scale-replicas.js');
        const { renderReplicaTable, replicaRows } = await import('../render/replicas.js');
        const { rds } = await clientsFor(ctx);
        const fleet = await describeFleet(rds, id);
        const rows = replicaRows(fleet.replicas, await lagOf(ctx, rds, fleet));
        ctx.out.result({ source: fleet.primary.DBInstanceIdentifier, replicas: rows }, () => renderReplicaTable(rows, ctx.out.width));
      }),
    );

  replicas
    .command('verify [id]')
    .description('check that every replica holds the primary\'s data at one point (chunked checksums, as pt-table-checksum); exit 6 if not')
    .option('--dsn <url>', 'the primary as mysql://user@host:port/ instead of an instance id (password: RDSCTL_DB_PASSWORD or --password-stdin)')
    .addOption(new Option('--replica-dsn <url...>', 'with --dsn: each replica to compare'))
    .addOption(new Option('--database <db...>', 'only these databases (default: all but the system ones)'))
    .option('--chunk-rows <n>', 'rows per checksum chunk', '1000')
    .option('--wait-timeout <s>', 'how long a replica may take to apply the primary\'s position', '60')
    .option('--password-stdin', 'read the database password from stdin (aws target, or a DSN without one)')
    .action((id: string | undefined, o: VerifyFlags, cmd: Command) =>
      run(cmd, async (ctx) => {
        const chunkRows = parseIntOption(o.chunkRows, '--chunk-rows');
        const waitTimeoutSeconds = parseIntOption(o.waitTimeout, '--wait-timeout');
        if (chunkRows < 1) throw usageError('INVALID_NUMBER', `--chunk-rows must be at least 1 (got ${chunkRows}).`, { hint: 'e.g. --chunk-rows 1000' });
        if (!id === !o.dsn) {
          throw usageError('VERIFY_TARGET', 'Name the primary once: an instance id, or --dsn with --replica-dsn.', {
            hint: 'Run `rdsctl list` for the instances, or pass --dsn mysql://admin@host:3306/ --replica-dsn mysql://admin@replica:3306/.' });
        }
        if (id && o.replicaDsn?.length) throw usageError('REPLICA_DSN_NEEDS_DSN', '--replica-dsn goes with --dsn; an instance\'s replicas are found through the RDS API.', { hint: `Drop --replica-dsn: rdsctl replicas verify ${id}` });
        const { readStdin } = await import('../interaction.js');
        const password = async () => process.env.RDSCTL_DB_PASSWORD ?? (o.passwordStdin ? readStdin() : undefined);
        const t = await import('../../services/replica-targets.js');
        let targets;
        if (id) {
          const { clientsFor } = await import('../clients.js');
          const { describeFleet, requireReplicas } = await import('../../services/replicas.js');
          const { rds } = await clientsFor(ctx);
          const fleet = await describeFleet(rds, id);
          requireReplicas(fleet);
          targets = await t.instanceTargets({ target: ctx.target, home: ctx.home, rds: async () => rds, password }, fleet);
        } else targets = await t.dsnTargets(o.dsn!, o.replicaDsn ?? [], password);
        const { verifyReplicas } = await import('../../services/replicas-verify.js');
        const { renderVerify } = await import('../render/replicas.js');
        const r = await verifyReplicas(targets, { chunkRows, waitTimeoutSeconds, databases: o.database, retries: 5, onProgress: (m) => ctx.out.step(m) });
        ctx.out.result(r, () => ctx.out.fit(renderVerify(r)));
        if (!r.ok) {
          const bad = r.replicas.flatMap((v) => v.differing.map((d) => `${v.id}: ${d.table} chunk ${d.chunk} (${d.range})`));
          throw checkFailedError('REPLICAS_DIFFER', `Replica data differs from the primary: ${bad.slice(0, 3).join('; ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''}.`, {
            hint: 'Rebuild a diverged replica from the primary (scale-replicas down and up again), or repair the rows in the chunks listed.' });
        }
      }),
    );
};
