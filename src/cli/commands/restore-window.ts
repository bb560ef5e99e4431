import { normalizeInstanceId } from '../../core/identifiers.js';
import { utc } from '../../core/restore-time.js';
import type { RegisterCommand } from './index.js';

export const registerRestoreWindow: RegisterCommand = (program, run) => {
  program
    .command('restore-window <id>')
    .description('earliest and latest time a point-in-time restore of the instance can go to (UTC)')
    .action((idArg: string, _o: unknown, cmd) =>
      run(cmd, async (ctx) => {
        const id = normalizeInstanceId(idArg);
        const { clientsFor } = await import('../clients.js');
        const { restoreWindow } = await import('../../services/pitr.js');
        const { rds } = await clientsFor(ctx);
        const w = await restoreWindow(rds, id);
        ctx.out.result(w, () => (w.EarliestTime && w.LatestTime
          ? `${id}: restorable from ${utc(w.EarliestTime.getTime())} to ${utc(w.LatestTime.getTime())} (UTC, to the second; automated backups ${w.Status ?? 'active'}, retention ${w.BackupRetentionPeriod} days).\ne.g. \`rdsctl restore ${id} --to-time ${utc(w.LatestTime.getTime())} --target ${id}-restored\` (or --latest).`
          : `${id}: nothing restorable yet (its first automated backup is not complete).`));
      }),
    );
};
