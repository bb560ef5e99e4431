import { normalizeInstanceId } from '../../core/identifiers.js';
import { parseIntOption, requireRetention } from '../../core/validation.js';
import { confirm, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

interface PromoteOptions { backupRetention?: string; wait: boolean }

/** rdsctl promote <replica-id> — PromoteReadReplica: the replica stops replicating and becomes a standalone instance. */
export const registerPromote: RegisterCommand = (program, run) => {
  program
    .command('promote <id>')
    .description('promote a read replica to a standalone, writable instance (asks on a TTY; --yes otherwise)')
    .option('--backup-retention <days>', 'automated backup retention of the promoted instance (0–35; RDS default 1)')
    .option('--no-wait', 'return once the promotion is requested')
    .action((id: string, o: PromoteOptions, cmd) =>
      run(cmd, async (ctx) => {
        const replica = normalizeInstanceId(id);
        const backupRetention = o.backupRetention === undefined ? undefined : parseIntOption(o.backupRetention, '--backup-retention');
        if (backupRetention !== undefined) requireRetention(backupRetention);
        const { clientsFor } = await import('../clients.js');
        const { describeInstance } = await import('../../services/instances.js');
        const { promoteReplica } = await import('../../services/replicas.js');
        const { rds, target } = await clientsFor(ctx);
        const current = await describeInstance(rds, replica);
        const from = current.ReadReplicaSourceDBInstanceIdentifier;
        // Not a replica: nothing can be lost, so no question; the target's refusal is the answer.
        if (from) await confirm(ctx, `Promote ${replica} (a read replica of ${from}) to a standalone instance? It stops replicating for good.`);
        const db = await promoteReplica(rds, replica, { backupRetention, source: from, ...waitSettings(ctx, o.wait) });
        // Once promoted, the instance's users (its source's, by replication) are looked up under its own name.
        const { usersOnPromote } = await import('../../services/users-lifetime.js');
        const users = from && o.wait ? await usersOnPromote({ home: ctx.home, target: ctx.target, region: target.region, id: db.DBInstanceIdentifier ?? replica, source: from }) : [];
        const kept = users.length ? ` The kept passwords of the database users ${users.join(', ')} (rdsctl users) serve it too: rdsctl credentials ${replica} --user NAME.` : '';
        ctx.out.result({ promoted: o.wait, formerSource: from ?? null, users, DBInstance: db }, () =>
          ctx.out.fit(o.wait ? `Promoted ${replica}: standalone and writable${from ? `, no longer replicating from ${from}` : ''}.${kept}`
            : `Promoting ${replica} (running in the background; \`rdsctl describe ${replica}\` shows when it is done).`));
      }),
    );
};
