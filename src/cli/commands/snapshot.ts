import { normalizeInstanceId, normalizeSnapshotId } from '../../core/identifiers.js';
import { confirm, waitSettings } from '../interaction.js';
import type { RegisterCommand } from './index.js';

/** A snapshot name when none is given: `<id>-YYYYMMDD-HHMMSS` (UTC), valid on both targets. */
export function defaultSnapshotId(id: string, now = new Date()): string {
  return `${id}-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
}

export const registerSnapshot: RegisterCommand = (program, run) => {
  const snap = program.command('snapshot').description('manual DB snapshots: create, list, describe, delete');

  snap.command('create <id> [snapshot-id]')
    .description('take a manual snapshot of a DB instance (waits until it is available)')
    .option('--no-wait', 'return once the snapshot has started')
    .action((id: string, sid: string | undefined, o: { wait: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const instance = normalizeInstanceId(id);
        const snapshotId = normalizeSnapshotId(sid ?? defaultSnapshotId(instance));
        const { clientsFor } = await import('../clients.js');
        const { createSnapshot } = await import('../../services/snapshots.js');
        const { renderSnapshot } = await import('../render/snapshots.js');
        const { rds } = await clientsFor(ctx);
        const s = await createSnapshot(rds, instance, snapshotId, waitSettings(ctx, o.wait));
        ctx.out.result({ DBSnapshot: s }, () => (o.wait ? renderSnapshot(s, ctx.out.width) : `Snapshot ${snapshotId} of ${instance} started (running in the background).`));
      }));

  snap.command('list [id]')
    .description('list DB snapshots (of one instance when given)')
    .action((id: string | undefined, _o, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { listSnapshots } = await import('../../services/snapshots.js');
        const { renderSnapshotList } = await import('../render/snapshots.js');
        const { rds } = await clientsFor(ctx);
        const snaps = await listSnapshots(rds, id === undefined ? undefined : normalizeInstanceId(id));
        ctx.out.result({ DBSnapshots: snaps }, () => renderSnapshotList(snaps, ctx.out.width));
      }));

  snap.command('describe <snapshot-id>')
    .description('show one DB snapshot: status, progress, time, storage, encryption')
    .action((sid: string, _o, cmd) =>
      run(cmd, async (ctx) => {
        const { clientsFor } = await import('../clients.js');
        const { describeSnapshot } = await import('../../services/snapshots.js');
        const { renderSnapshot } = await import('../render/snapshots.js');
        const { rds } = await clientsFor(ctx);
        const s = await describeSnapshot(rds, normalizeSnapshotId(sid));
        ctx.out.result({ DBSnapshot: s }, () => renderSnapshot(s, ctx.out.width));
      }));

  snap.command('delete <snapshot-id>')
    .description('delete a DB snapshot (asks on a TTY; --yes otherwise)')
    .option('--no-wait', 'return once the deletion has started')
    .action((sid: string, o: { wait: boolean }, cmd) =>
      run(cmd, async (ctx) => {
        const snapshotId = normalizeSnapshotId(sid);
        const { clientsFor } = await import('../clients.js');
        const { describeSnapshot, deleteSnapshot } = await import('../../services/snapshots.js');
        const { rds } = await clientsFor(ctx);
        const s = await describeSnapshot(rds, snapshotId);
        await confirm(ctx, `Delete snapshot ${snapshotId} of ${s.DBInstanceIdentifier} (${s.Status}, ${s.AllocatedStorage} GiB)?`);
        const out = await deleteSnapshot(rds, snapshotId, waitSettings(ctx, o.wait));
        ctx.out.result({ deleted: o.wait, DBSnapshot: out }, () => (o.wait ? `Deleted snapshot ${snapshotId}.` : `Deleting snapshot ${snapshotId} (running in the background).`));
      }));
};
