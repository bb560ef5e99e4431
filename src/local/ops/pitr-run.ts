import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { chooseBase, parseGtid, seqInPosition } from '../../core/pitr.js';
import { copyBack } from '../engine/backup.js';
import { withAdmin } from '../engine/admin.js';
import { replayBinlogs } from '../engine/binlog-archive.js';
import { setServingPid } from '../state/registry.js';
import { archiveIndex, plainCopies } from './backups-archive.js';
import { asBase, baseDir, firstBaseBackup } from './backups-base.js';
import { backupFiles, backupStore } from './backups-store.js';
import { adoptUserSecrets, userSecretsFrom } from './user-secrets-keep.js';
import { gapFloorMs } from './backups-window.js';
import type { OpsContext } from './context.js';

/** Where a restore stops: after trxs[index] of the archive (−1: none); `second` and `beforeGtid` say why. */
export interface Cut {
  second: number;
  index: number;
  beforeGtid?: string;
}

/**
 * The restore (docs/BACKUPS.md): the newest base at or before the cut is copied back into the new
 * node, which starts with the base's GTID as its binlog state; the archived binlogs after the base are
 * replayed up to the cut GTID (inclusive), and the node's gtid_binlog_pos must then be exactly the cut.
 * The source and its backup store are only read; opened segments go to the new node's scratch folder.
 */
export async function runPointInTimeRestore(ctx: OpsContext, id: string, dbi: string, cut: Cut): Promise<void> {
  const rec = ctx.registry.get(id);
  const b = backupStore(ctx.home).get(dbi);
  if (!rec || !b) return;
  const paths = ctx.paths(id);
  const scratch = path.join(paths.root, 'pitr-binlogs');
  try {
    const { trxs, files } = await archiveIndex(ctx.home, dbi);
    const cutTrx = cut.index >= 0 ? trxs[cut.index] : undefined;
    const base = chooseBase(b.bases.map(asBase), trxs, cut.index, gapFloorMs(b));
    if (!base) throw new Error('no base backup precedes the restore point (pruned meanwhile?)');
    await mkdir(paths.serverRoot, { recursive: true, mode: 0o700 });
    if (rec.storageEncrypted) await cp(backupFiles(ctx.home, dbi).keys, paths.keysDir, { recursive: true, preserveTimestamps: true });
    await copyBack(baseDir(ctx.home, dbi, base.id), paths);
    await ctx.engine.writeConfig(paths, ctx.spec(rec));
    const { pid } = await ctx.engine.start(paths, ctx.spec(rec));
    ctx.registry.update(id, (r) => { setServingPid(r, pid); });
    // The copy has no binlog: give it the base's GTID state, so the replayed GTIDs follow on and prove the cut.
    if (base.gtid) await withAdmin(paths, async (c) => { await c.query('RESET MASTER'); await c.query('SET GLOBAL gtid_binlog_state = ?', [base.gtid]); });
    const g = cutTrx && parseGtid(cutTrx.gtid);
    if (cutTrx && g && seqInPosition(base.gtid, g.domain) < g.seq) {
      const needed = files.filter((f) => f.trxs.some((t) => { const x = parseGtid(t.gtid); return x && x.seq > seqInPosition(base.gtid, x.domain); }) || f.trxs.length === 0);
      const upTo = needed.findIndex((f) => f.trxs.some((t) => t.gtid === cutTrx.gtid));
      const names = needed.slice(0, upTo + 1).map((f) => f.name);
      const plain = plainCopies(ctx.home, dbi, names, scratch);
      await replayFast(paths, () => replayBinlogs(paths, plain, base.gtid, cutTrx.gtid));
      await rm(scratch, { recursive: true, force: true });
      const pos = await withAdmin(paths, async (c) => ((await c.query('SELECT @@GLOBAL.gtid_binlog_pos AS p'))[0] as { p: string }[])[0].p);
      if (seqInPosition(pos, g.domain) !== g.seq) throw new Error(`the replay ended at GTID ${pos || '(none)'}, not at ${cutTrx.gtid}`);
    }
    // The replayed GTIDs carry the source's server_id, so gtid_current_pos (what mariadb-backup records and
    // replicas start from) would skip them unless gtid_slave_pos says where the copy stands.
    await withAdmin(paths, async (c) => { await c.query('SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos'); });
    const live = ctx.registry.get(b.instanceId)?.dbiResourceId === dbi ? b.instanceId : undefined;
    await adoptUserSecrets(ctx, id, paths, userSecretsFrom(ctx, backupFiles(ctx.home, dbi).root, live));
    await firstBaseBackup(ctx, id);
    ctx.registry.update(id, (r) => {
      r.initCompleted = true;
      if (r.status === 'creating') r.status = 'available';
    });
    const to = cut.beforeGtid ? `just before GTID ${cut.beforeGtid}` : new Date(cut.second * 1000).toISOString();
    ctx.event(id, `DB instance restored to ${to} (base ${base.id}, through GTID ${cutTrx?.gtid ?? base.gtid ?? '(none)'}) is available (mariadbd pid ${pid}, port ${rec.port})`, ['availability', 'restoration']);
  } catch (err) {
    await ctx.engine.stop(paths).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Replays with the commit-time flushes off (sync_binlog=0, innodb_flush_log_at_trx_commit=2), then puts
 * the node's values back and makes everything durable before the instance takes connections. Why: each
 * replayed commit otherwise waits for two fsyncs (measured +0.35 ms a commit: bounded the restore by the
 * number of transactions, docs/BENCHMARKS.md); a crash during the replay fails the restore anyway, so
 * nothing durable is given up. FLUSH BINARY LOGS rotates (the closed file is synced), FLUSH ENGINE LOGS
 * syncs the redo log up to the last replayed commit.
 */
async function replayFast(paths: import('../engine/types.js').InstancePaths, replay: () => Promise<void>): Promise<void> {
  const saved = await withAdmin(paths, async (c) => {
    const [rows] = (await c.query('SELECT @@GLOBAL.sync_binlog AS s, @@GLOBAL.innodb_flush_log_at_trx_commit AS f')) as unknown as [{ s: number; f: number }[]];
    await c.query('SET GLOBAL sync_binlog = 0, GLOBAL innodb_flush_log_at_trx_commit = 2');
    return rows[0];
  });
  try {
    await replay();
  } finally {
    await withAdmin(paths, async (c) => {
      await c.query('SET GLOBAL sync_binlog = ?, GLOBAL innodb_flush_log_at_trx_commit = ?', [saved.s, saved.f]);
      await c.query('FLUSH LOCAL BINARY LOGS'); // LOCAL: a FLUSH is otherwise written to the binlog, a GTID of its own past the cut
      await c.query('FLUSH LOCAL ENGINE LOGS');
    });
  }
}
