import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { normalizeInstanceId } from '../../core/identifiers.js';
import type { CliContext } from '../context.js';
import { confirm, waitSettings } from '../interaction.js';

/**
 * restore --preview and restore --before: the binlog-reading paths of `restore` (restore.ts wires them).
 * They read the source's binlogs as its master user (aws: password in RDSCTL_DB_PASSWORD).
 */
export interface BinlogRestoreOptions { snapshot?: string; toTime?: string; preview?: boolean; before?: string; after?: string; count: string; wait: boolean; dryRun?: boolean }

export function addBinlogRestoreOptions(cmd: Command): Command {
  return cmd
    .option('--preview', 'with --to-time: list the last transactions included and the first left out; restores nothing')
    .option('--count <n>', 'how many transactions --preview lists on each side of the cut', '5')
    .option('--before <pattern>', 'restore to just before the first transaction matching the pattern (see below)')
    .option('--dry-run', 'print the plan (with --before: what matched) and restore nothing')
    .option('--after <time>', 'with --before: search from this time (ISO 8601 with a zone; default: the oldest binlog)')
    .addHelpText('after', `
  --before patterns (case and spacing ignored; backquotes, schema optional):
    DELETE FROM orders, UPDATE orders, INSERT INTO orders
                      a transaction with those row changes on orders
    DROP TABLE orders, TRUNCATE TABLE orders, ALTER TABLE orders, RENAME ...
                      that DDL naming orders (also one name in a list)
    anything else     a statement (DDL) that contains the text
  The first match committed at or after --after wins. local: exact by GTID,
  every earlier transaction is kept. aws: RDS restores by the second, so what
  committed in the match's second is lost too (rdsctl lists it).`);
}

export const wantsBinlogRestore = (o: BinlogRestoreOptions): boolean => Boolean(o.preview || o.before !== undefined);

export async function runBinlogRestore(ctx: CliContext, sourceArg: string | undefined, o: BinlogRestoreOptions, newArg: string | undefined): Promise<void> {
  if (o.before !== undefined && o.toTime !== undefined) throw usageError('BEFORE_WITH_TO_TIME', '--before finds its own restore time: it cannot be combined with --to-time. Nothing was restored.', { hint: `Drop --to-time: e.g. rdsctl restore ${sourceArg ?? 'shop'} --before "${o.before}" --target ${newArg ?? 'shop-restored'}` });
  if (o.preview && o.before !== undefined) throw usageError('PREVIEW_WITH_BEFORE', '--preview goes with --to-time; --before prints what it matched with --dry-run. Nothing was restored.', { hint: `e.g. rdsctl restore ${sourceArg ?? 'shop'} --before "${o.before}" --target ${newArg ?? 'shop-restored'} --dry-run` });
  if (o.snapshot !== undefined) throw usageError('SNAPSHOT_WITH_BINLOG_RESTORE', `--snapshot restores a snapshot as it is; ${o.preview ? '--preview' : '--before'} reads an instance's binlogs. Nothing was restored.`, { hint: `Use one: e.g. rdsctl restore --snapshot ${o.snapshot} --target ${newArg ?? 'shop-copy'}` });
  if (!sourceArg) throw usageError('RESTORE_SOURCE_REQUIRED', 'restore needs the source instance: nothing was restored.', { hint: o.preview ? 'e.g. rdsctl restore shop --to-time 2026-11-26T10:15:06Z --preview' : 'e.g. rdsctl restore shop --before "DROP TABLE orders" --target shop-restored' });
  const sourceId = normalizeInstanceId(sourceArg);
  const count = Number(o.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw usageError('INVALID_COUNT', `--count ${o.count} is not a whole number from 1 to 1000.`, { hint: `e.g. rdsctl restore ${sourceId} --to-time 2026-11-26T10:15:06Z --preview --count 10` });
  return o.preview ? preview(ctx, sourceId, o, count) : before(ctx, sourceId, o, newArg);
}

async function preview(ctx: CliContext, sourceId: string, o: BinlogRestoreOptions, count: number): Promise<void> {
  const { parseRestoreTime } = await import('../../core/restore-time.js');
  const { clientsFor } = await import('../clients.js');
  const svc = await import('../../services/restore-binlog.js');
  const render = await import('../render/restore-binlog.js');
  if (o.toTime === undefined) throw usageError('PREVIEW_NEEDS_TIME', '--preview shows the cut of a restore to a time: give --to-time.', { hint: `e.g. rdsctl restore ${sourceId} --to-time 2026-11-26T10:15:06Z --preview` });
  const t = parseRestoreTime(o.toTime, '--to-time');
  const { rds } = await clientsFor(ctx);
  const src = await svc.openBinlogSource(rds, ctx.target, ctx.home, sourceId, async () => process.env.RDSCTL_DB_PASSWORD);
  try {
    ctx.out.step(`reading ${src.label} around ${t.toISOString().replace('.000Z', 'Z')}`);
    const p = await svc.previewCut(src, t, count);
    ctx.out.result({ sourceId, rule: 'every transaction committed in the restore second or before is included', ...p }, () => render.renderPreview(sourceId, p));
  } finally {
    await src.close();
  }
}

async function before(ctx: CliContext, sourceId: string, o: BinlogRestoreOptions, newArg: string | undefined): Promise<void> {
  const { parseRestoreTime } = await import('../../core/restore-time.js');
  const { clientsFor } = await import('../clients.js');
  const svc = await import('../../services/restore-binlog.js');
  const render = await import('../render/restore-binlog.js');
  const { parseBeforePattern } = await import('../../core/binlog-match.js');
  const pattern = parseBeforePattern(o.before!);
  const after = o.after === undefined ? undefined : parseRestoreTime(o.after, '--after');
  if (!newArg) throw usageError('RESTORE_TARGET_REQUIRED', 'restore --before needs the name of the new instance: nothing was restored.', { hint: `e.g. rdsctl restore ${sourceId} --before "${pattern.text}" --target ${sourceId}-before` });
  const newId = normalizeInstanceId(newArg);
  const { rds } = await clientsFor(ctx);
  const src = await svc.openBinlogSource(rds, ctx.target, ctx.home, sourceId, async () => process.env.RDSCTL_DB_PASSWORD);
  let m: Awaited<ReturnType<typeof svc.findBefore>>;
  try {
    ctx.out.step(`searching ${src.label} for "${pattern.text}"`);
    m = await svc.findBefore(src, pattern, after, (file, n, of) => ctx.out.step(`reading ${file} (${n} of ${of})`));
  } finally {
    await src.close();
  }
  const input = svc.beforeRestoreInput(sourceId, newId, m, ctx.target);
  const lost = ctx.target === 'aws' ? [...m.sameSecond.before, ...m.sameSecond.after] : [];
  const plan = { sourceId, targetId: newId, match: m.match, previous: m.previous, restoreTime: input.RestoreTime!.toISOString().replace('.000Z', 'Z'), tags: input.Tags ?? [], sameSecond: m.sameSecond, lostInSameSecond: lost };
  const planText = () => [
    render.renderMatch(m),
    ctx.target === 'local'
      ? `Plan: restore ${sourceId} into new instance ${newId} with every transaction before ${m.match.gtid} (RestoreTime ${plan.restoreTime}, cut exactly at the GTID).`
      : `Plan: restore ${sourceId} into new instance ${newId} to ${plan.restoreTime}, the second before the match (RDS restores by the second).`,
  ].join('\n');
  if (ctx.target === 'aws') for (const w of render.lostWarnings(m)) ctx.out.warn(w);
  if (o.dryRun || ctx.options.dryRun) {
    ctx.out.result({ dryRun: true, ...plan }, () => `${planText()}\nDry run: nothing was restored.`);
    return;
  }
  // The match is shown before anything is sent: with the question on a terminal, or first with --yes.
  const ask = `Restore ${sourceId} into a new instance ${newId} to just before ${m.match.gtid} (${m.match.kind} at ${m.match.commitTime})?`;
  if (ctx.options.yes) {
    if (!ctx.options.json) ctx.out.print(planText());
  } else await confirm(ctx, ask, () => ctx.out.print(planText()));
  const { restoreToPointInTime } = await import('../../services/pitr.js');
  const db = await restoreToPointInTime(rds, input, waitSettings(ctx, o.wait));
  ctx.out.result({ ...plan, DBInstance: db }, () => (o.wait ? `Restored ${newId}: ${sourceId} as it was just before ${m.match.gtid}.` : `Restoring ${newId} (running in the background).`));
}
