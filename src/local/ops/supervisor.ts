import { servingNode, setServingPid } from '../state/registry.js';
import type { OpsContext } from './context.js';
import { runningStatus, setStatus, startProcess } from './instances-work.js';
import { checkAllStorage } from './storage.js';
import { checkReplication } from './replicas-status.js';
import { archiversOf, stopArchiver } from './backups-archive.js';
import { archiveCheckMs, superviseBackups } from './backups-supervise.js';

const WATCHED = new Set(['available', 'storage-full']);

/** One supervision pass: a mariadbd that died while it should run is restarted and an event recorded. */
export function superviseOnce(ctx: OpsContext): void {
  for (const rec of ctx.registry.list()) {
    if (ctx.jobs.busy(rec.id) || rec.desiredState !== 'running' || !WATCHED.has(rec.status)) continue;
    const known = servingNode(rec)?.pid;
    const pid = ctx.engine.runningPid(ctx.paths(rec.id));
    if (pid !== undefined) {
      if (pid !== known) ctx.registry.update(rec.id, (r) => setServingPid(r, pid));
      continue;
    }
    ctx.event(rec.id, `mariadbd (pid ${known ?? '?'}) exited unexpectedly; restarting it`, ['failure']);
    setStatus(ctx, rec.id, 'rebooting');
    void ctx.jobs.run(rec.id, async () => {
      const newPid = await startProcess(ctx, rec.id);
      const now = ctx.registry.get(rec.id);
      if (now) setStatus(ctx, rec.id, runningStatus(now));
      ctx.event(rec.id, `DB instance restarted after a crash (mariadbd pid ${newPid})`, ['availability']);
    });
  }
}

export interface Supervisor {
  stop(): Promise<void>;
}

/** Runs supervision and the storage check on their intervals (env-tunable for tests). */
export function startSupervisor(ctx: OpsContext, superviseMs: number, storageMs: number): Supervisor {
  let storageRunning: Promise<void> | undefined;
  let replicationRunning: Promise<void> | undefined;
  const sup = setInterval(() => {
    try {
      superviseOnce(ctx);
      // Read replication: StatusInfos, lag, and START SLAVE after every start (skip_slave_start).
      replicationRunning ??= checkReplication(ctx)
        .catch((err) => ctx.log.error(`replication pass failed: ${(err as Error).message}`))
        .finally(() => { replicationRunning = undefined; });
    } catch (err) {
      ctx.log.error(`supervision pass failed: ${(err as Error).message}`);
    }
  }, superviseMs);
  const sto = setInterval(() => {
    if (storageRunning) return;
    storageRunning = checkAllStorage(ctx).finally(() => { storageRunning = undefined; });
  }, storageMs);
  // Automated backups: binlog archivers, checkpoints, base backups (backups-supervise.ts).
  let backupsRunning: Promise<void> | undefined;
  const bak = setInterval(() => {
    backupsRunning ??= superviseBackups(ctx)
      .catch((err) => ctx.log.error(`backup pass failed: ${(err as Error).message}`))
      .finally(() => { backupsRunning = undefined; });
  }, archiveCheckMs());
  return {
    async stop() {
      clearInterval(sup);
      clearInterval(sto);
      clearInterval(bak);
      await storageRunning;
      await replicationRunning;
      await backupsRunning;
      for (const id of [...archiversOf(ctx).keys()]) await stopArchiver(ctx, id);
    },
  };
}
