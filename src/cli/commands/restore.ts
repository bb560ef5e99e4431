import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { normalizeInstanceId, normalizeSnapshotId } from '../../core/identifiers.js';
import { waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';
import { addBinlogRestoreOptions, runBinlogRestore, wantsBinlogRestore, type BinlogRestoreOptions } from './restore-binlog.js';
import { restoreOverrides } from './restore-overrides.js';
import { restoreToTime, type PitrOptions } from './restore-pitr.js';

const TARGETS = new Set(['local', 'aws']);

/**
 * `restore --target <new-id>` shares its name with the global `--target local|aws`, and commander gives
 * every `--target` on the line to the global option (the last one wins). So the line is read again:
 * `local`/`aws` are where the command goes, any other value names the new instance. An instance named
 * `local` or `aws` cannot be a restore target (docs/BACKUPS.md).
 */
export function splitTargets(argv: readonly string[]): { where?: string; newId?: string } {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    if (argv[i] === '--target' && i + 1 < argv.length) values.push(argv[++i]);
    else if (argv[i].startsWith('--target=')) values.push(argv[i].slice('--target='.length));
  }
  const where = [...new Set(values.filter((v) => TARGETS.has(v)))];
  const ids = [...new Set(values.filter((v) => !TARGETS.has(v)))];
  if (where.length > 1) throw usageError('TARGET_CONFLICT', `Both --target local and --target aws were given: choose one.`);
  if (ids.length > 1) throw usageError('RESTORE_TARGET_CONFLICT', `restore got two new instance names (--target ${ids.join(', --target ')}): give one.`);
  return { where: where[0], newId: ids[0] };
}

interface RestoreOptions extends BinlogRestoreOptions, PitrOptions { snapshot?: string; wait: boolean }

export const registerRestore: RegisterCommand = (program, run) => {
  addBinlogRestoreOptions(program
    .command('restore')
    .argument('[source-id]', 'the instance to restore from (--to-time, --latest) or whose binlogs --preview / --before read')
    .description('restore a new DB instance: restore <source-id> --to-time <time> | --latest --target <new-id>, or restore --snapshot <snapshot-id> --target <new-id>')
    .option('--to-time <time>', 'point in time, ISO 8601 with a zone (2026-11-26T10:15:06Z, +01:00): every transaction committed in a second up to it')
    .option('--latest', 'the latest restorable time (rdsctl restore-window <source-id> shows the window)')
    .option('--snapshot <snapshot-id>', 'the DB snapshot to restore from')
    .option('--class <class>', "the new instance's class (default: the snapshot's or the source's)")
    .option('--storage <gib>', "the new instance's storage in GiB (default: the snapshot's or the source's; never less)")
    .option('--no-wait', 'return once the restore has started')
    .addHelpText('after', '\n  --target <new-id>         the new instance (local or aws still pick where the\n                            command goes: docs/BACKUPS.md)'))
    .action((sourceId: string | undefined, o: RestoreOptions, cmd: Command) => {
      const root = cmd.parent!;
      let newId: string | undefined;
      try {
        const split = splitTargets((root as unknown as { rawArgs: string[] }).rawArgs);
        root.setOptionValue('target', split.where);
        newId = split.newId;
      } catch (err) {
        root.setOptionValue('target', undefined);
        return run(cmd, async () => { throw err; });
      }
      return run(cmd, async (ctx) => {
        if (wantsBinlogRestore(o)) return runBinlogRestore(ctx, sourceId, o, newId);
        if (o.toTime !== undefined || o.latest) return restoreToTime(ctx, sourceId, newId, o);
        if (!o.snapshot) throw usageError('RESTORE_SOURCE_REQUIRED', 'restore needs the snapshot to restore from: nothing was restored.', { hint: 'e.g. rdsctl restore --snapshot shop-final --target shop-copy' });
        const sid = normalizeSnapshotId(o.snapshot);
        if (!newId) throw usageError('RESTORE_TARGET_REQUIRED', `restore needs the name of the new instance: nothing was restored.`, { hint: `e.g. rdsctl restore --snapshot ${sid} --target ${sid}-copy` });
        const id = normalizeInstanceId(newId);
        const sizing = restoreOverrides(o, `rdsctl restore --snapshot ${sid} --target ${id}`);
        const { clientsFor } = await import('../clients.js');
        const { restoreFromSnapshot } = await import('../../services/snapshots.js');
        const { renderInstance } = await import('../render/instances.js');
        const { rds } = await clientsFor(ctx);
        const started = new Date(Math.floor(Date.now() / 1000) * 1000);
        const db = await restoreFromSnapshot(rds, { DBInstanceIdentifier: id, DBSnapshotIdentifier: sid, ...sizing }, waitSettings(ctx, o.wait));
        const users = o.wait && ctx.target === 'local' ? await (await import('../../services/users-lifetime.js')).restoredUsersNotes(rds, id, started) : [];
        ctx.out.result({ DBInstance: db, restoredUsers: users }, () => (o.wait ? [`Restored ${id} from snapshot ${sid}.`, ...users, renderInstance(db, ctx.target, ctx.out.width)].join('\n') : `Restoring ${id} from snapshot ${sid} (running in the background).`));
      });
    });
};
