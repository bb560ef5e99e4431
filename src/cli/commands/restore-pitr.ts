import { usageError } from '../../core/errors.js';
import { normalizeInstanceId } from '../../core/identifiers.js';
import { futureTimeError, parseRestoreTime, utc } from '../../core/restore-time.js';
import type { CliContext } from '../context.js';
import { waitSettings } from '../interaction.js';
import { restoreOverrides } from './restore-overrides.js';

export interface PitrOptions { toTime?: string; latest?: boolean; class?: string; storage?: string; wait: boolean; dryRun?: boolean }

/** `restore <source-id> --to-time <time> | --latest --target <new-id>`: options → service → render. */
export async function restoreToTime(ctx: CliContext, sourceArg: string | undefined, newId: string | undefined, o: PitrOptions): Promise<void> {
  if (o.toTime && o.latest) throw usageError('RESTORE_TIME_CONFLICT', 'Give --to-time or --latest, not both: nothing was restored.');
  if (!sourceArg) throw usageError('RESTORE_SOURCE_REQUIRED', `restore ${o.latest ? '--latest' : '--to-time'} needs the source instance: nothing was restored.`, { hint: 'e.g. rdsctl restore shop --to-time 2026-11-26T10:15:06Z --target shop-before' });
  const source = normalizeInstanceId(sourceArg);
  if (!newId) throw usageError('RESTORE_TARGET_REQUIRED', 'restore needs the name of the new instance: nothing was restored.', { hint: `e.g. rdsctl restore ${source} ${o.latest ? '--latest' : `--to-time ${o.toTime}`} --target ${source}-restored` });
  const target = normalizeInstanceId(newId);
  const time = o.toTime === undefined ? undefined : parseRestoreTime(o.toTime, '--to-time', source);
  const future = time && futureTimeError(time, Date.now(), source);
  if (future) throw future;
  const sizing = restoreOverrides(o, `rdsctl restore ${source} ${o.latest ? '--latest' : `--to-time ${o.toTime}`} --target ${target}`);
  const { clientsFor } = await import('../clients.js');
  const { planPointInTime, restoreToPointInTime } = await import('../../services/pitr.js');
  const { renderInstance } = await import('../render/instances.js');
  const { rds } = await clientsFor(ctx);
  const plan = await planPointInTime(rds, { source, target, time, latest: o.latest, ...sizing });
  const as = time ? `${utc(time.getTime())} (UTC; you gave ${o.toTime})` : `its latest restorable time (now ${plan.window.LatestTime ? utc(plan.window.LatestTime.getTime()) : 'unknown'})`;
  const size = [sizing.DBInstanceClass, sizing.AllocatedStorage !== undefined ? `${sizing.AllocatedStorage} GiB` : undefined].filter(Boolean).join(', ');
  const what = `Restore ${source} as of ${as} into a new instance ${target}${size ? ` (${size})` : ''}: every transaction committed in a second up to that one`;
  if (o.dryRun || ctx.options.dryRun) {
    ctx.out.result({ dryRun: true, plan }, () => `${what} — dry run, nothing restored.`);
    return;
  }
  ctx.out.step(what);
  const started = new Date(Math.floor(Date.now() / 1000) * 1000);
  const db = await restoreToPointInTime(rds, plan, waitSettings(ctx, o.wait));
  const users = o.wait && ctx.target === 'local' ? await (await import('../../services/users-lifetime.js')).restoredUsersNotes(rds, target, started) : [];
  ctx.out.result({ DBInstance: db, plan, restoredUsers: users }, () => (o.wait ? [`Restored ${target} from ${source} as of ${as}.`, ...users, renderInstance(db, ctx.target, ctx.out.width)].join('\n') : `Restoring ${target} from ${source} (running in the background).`));
}
