import { readSecret } from '../state/secrets.js';
import { setServingPid, type InstanceRecord } from '../state/registry.js';
import type { OpsContext } from './context.js';
import { runDelete, runStop } from './instances-lifecycle.js';
import { stopStragglers } from './stragglers.js';
import { restartWithConfig, runningStatus, setStatus, startProcess } from './instances-work.js';
import { queuePromotion } from './replicas-promote.js';
import { recoverSnapshots } from './snapshots.js';
import { adoptLegacySecrets } from './secrets-manager.js';

/**
 * After a control-plane start (clean or after kill -9): finish or redo what each instance was doing,
 * re-adopt live mariadbd processes, and start the ones whose desired state is running.
 */
export function recover(ctx: OpsContext): void {
  adoptLegacySecrets(ctx);
  const snapshotInterrupted = recoverSnapshots(ctx);
  for (const rec of ctx.registry.list()) {
    try {
      // A delete waiting for its final snapshot is called off, never finished without the copy.
      if (rec.desiredState === 'deleted' && snapshotInterrupted.has(rec.id)) {
        setStatus(ctx, rec.id, 'starting', (r) => {
          r.desiredState = 'running';
        });
        ctx.event(rec.id, 'Deletion called off: the control plane stopped before the final snapshot was taken', ['deletion', 'failure']);
        rec.desiredState = 'running';
        rec.status = 'starting';
      }
      recoverOne(ctx, rec);
    } catch (err) {
      ctx.fail(rec.id, err);
    }
  }
}

function finishRunning(ctx: OpsContext, id: string, message: string): void {
  const now = ctx.registry.get(id);
  if (now) setStatus(ctx, id, runningStatus(now));
  ctx.event(id, message, ['availability']);
}

function recoverOne(ctx: OpsContext, rec: InstanceRecord): void {
  const paths = ctx.paths(rec.id);
  const pid = ctx.engine.runningPid(paths);
  if (rec.status === 'creating' && !rec.initCompleted) {
    void ctx.jobs.run(rec.id, async () => {
      // The node's folder with a trailing '/': its my.cnf (install-db, mariadbd) and a replica's backup scratch dir (mariadb-backup).
      const left = await stopStragglers(`${paths.root}/`);
      await ctx.engine.stop(paths);
      if (left.length > 0) ctx.log.info(`stopped ${left.length} leftover process(es) of the interrupted creation of ${rec.id}`);
      throw new Error('the control plane stopped while the instance was being created; delete it and create it again');
    });
    return;
  }
  if (rec.desiredState === 'deleted') return void ctx.jobs.run(rec.id, () => runDelete(ctx, rec.id));
  if (rec.desiredState === 'stopped') {
    if (pid !== undefined || rec.status === 'stopping') void ctx.jobs.run(rec.id, () => runStop(ctx, rec.id));
    return;
  }
  if (rec.desiredState !== 'running' || rec.status === 'failed') return;
  if (rec.promoting) return void queuePromotion(ctx, rec, rec.promoting); // PromoteReadReplica is idempotent: redo it
  if (rec.status === 'modifying' || rec.status === 'rebooting' || rec.status === 'resetting-master-credentials') {
    return void ctx.jobs.run(rec.id, () => redoChange(ctx, rec));
  }
  if (pid !== undefined) {
    ctx.registry.update(rec.id, (r) => setServingPid(r, pid));
    ctx.log.info(`re-adopted ${rec.id} (mariadbd pid ${pid})`);
    if (rec.status === 'starting') finishRunning(ctx, rec.id, 'DB instance started');
    return;
  }
  setStatus(ctx, rec.id, 'starting');
  void ctx.jobs.run(rec.id, async () => {
    const newPid = await startProcess(ctx, rec.id);
    finishRunning(ctx, rec.id, `DB instance started by the control plane (mariadbd pid ${newPid})`);
  });
}

/** A change was in flight: config and password are re-applied from the record, which is the truth. */
async function redoChange(ctx: OpsContext, rec: InstanceRecord): Promise<void> {
  await restartWithConfig(ctx, rec.id);
  if (rec.status === 'resetting-master-credentials') {
    const secret = readSecret(ctx.home, rec.id);
    if (secret) await ctx.engine.setMasterPassword(ctx.paths(rec.id), { username: secret.username, password: secret.password });
  }
  finishRunning(ctx, rec.id, `DB instance recovered after a control-plane restart (was ${rec.status})`);
}
