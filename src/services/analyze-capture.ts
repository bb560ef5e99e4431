import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RDSClient } from '@aws-sdk/client-rds';
import { remoteError } from '../core/errors.js';
import {
  defaultGroupError, describeRestore, isDefaultGroup, manualRestore, planCapture, type CapturePlan, type RestoreStep,
} from '../core/plans/capture-plan.js';
import type { ParamChange } from '../core/plans/params-plan.js';
import { armGuard } from './analyze-interrupt.js';
import { describeServingInstance } from './instances.js';
import { downloadAll, downloadPortion } from './logs.js';
import { applyReset, applySet, listParameters } from './params.js';

/**
 * `analyze-queries <id> --capture <duration>` on both targets, through the RDS API only: set the slow-log
 * parameters in the instance's parameter group (dynamic: they apply at once), record for the duration,
 * download what the slow log gained (DownloadDBLogFilePortion from the Marker taken at the start), and put
 * every parameter back as it was — also at Ctrl-C (a guard armed here, run by the CLI's signal policy).
 */

export interface CaptureEnv {
  rds: RDSClient;
  progress(message: string): void;
  /** About once a second while recording: seconds left of the total. */
  tick(left: number, total: number): void;
  /** DescribeDBInstances cadence while the group applies (the local endpoint answers in ms, RDS in seconds). */
  pollMs: number;
}

/** The instance must take connections and have a group of its own (a default one cannot be modified). */
export async function planInstanceCapture(rds: RDSClient, id: string, longQueryTime: string): Promise<CapturePlan> {
  const db = await describeServingInstance(rds, id);
  const realId = db.DBInstanceIdentifier ?? id;
  const group = db.DBParameterGroups?.[0]?.DBParameterGroupName ?? 'default';
  if (isDefaultGroup(group)) throw defaultGroupError(realId, group, group.slice('default.'.length) || undefined);
  return planCapture(realId, group, await listParameters(rds, group), longQueryTime);
}

export interface CaptureResult {
  /** The captured slow log (0600, in a private temporary folder); cleanup() removes it. */
  file: string;
  bytes: number;
  seconds: number;
  restored: RestoreStep[];
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until the instance's ParameterApplyStatus leaves `applying` (bounded: a slow apply is said, not waited out). */
async function waitApplied(env: CaptureEnv, id: string, limitMs: number): Promise<boolean> {
  const until = Date.now() + limitMs;
  for (;;) {
    const db = await describeServingInstance(env.rds, id);
    if (db.DBParameterGroups?.[0]?.ParameterApplyStatus !== 'applying') return true;
    if (Date.now() > until) return false;
    await sleep(env.pollMs);
  }
}

/** Where the slow log ends now: what follows this Marker is what the capture adds ('0': no file yet). */
async function endMarker(rds: RDSClient, id: string): Promise<string> {
  try {
    return (await downloadPortion(rds, id, 'slow', { lines: 1 })).marker ?? '0';
  } catch (err) {
    if ((err as { name?: string }).name === 'DBLogFileNotFoundFault') return '0';
    throw err;
  }
}

async function putBack(env: CaptureEnv, plan: CapturePlan): Promise<RestoreStep[]> {
  const asChange = (s: RestoreStep): ParamChange => ({ name: s.name, to: s.value, applyType: 'dynamic', method: 'immediate', needsReboot: false });
  const sets = plan.restore.filter((s) => s.action === 'set');
  const resets = plan.restore.filter((s) => s.action === 'reset');
  if (sets.length) await applySet(env.rds, plan.group, sets.map(asChange));
  if (resets.length) await applyReset(env.rds, plan.group, resets.map(asChange), false);
  await waitApplied(env, plan.instanceId, 30_000).catch(() => false);
  return plan.restore;
}

function restoreFailed(plan: CapturePlan, err: unknown): Error {
  return remoteError('CAPTURE_RESTORE_FAILED', `Could not put the parameters of ${plan.group} back: ${(err as Error).message}.`, {
    hint: `Put them back by hand: ${manualRestore(plan)}.`, cause: err });
}

/** The countdown: ticks on whole seconds left, measured against the clock (no drift over 10 minutes). */
async function record(seconds: number, tick: CaptureEnv['tick']): Promise<void> {
  const end = Date.now() + seconds * 1000;
  for (let left = seconds; left > 0; left = Math.ceil((end - Date.now()) / 1000)) {
    tick(left, seconds);
    await sleep(Math.min(1000, end - Date.now() - (left - 1) * 1000));
  }
  tick(0, seconds);
}

export async function runCapture(plan: CapturePlan, seconds: number, env: CaptureEnv): Promise<CaptureResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-capture-'));
  const file = path.join(dir, 'mysql-slowquery.log');
  let restoring: Promise<RestoreStep[]> | undefined;
  const restoreOnce = () => (restoring ??= putBack(env, plan));
  const guard = armGuard({
    manualHint: manualRestore(plan),
    say: env.progress,
    // At a signal: put the values back; the interruption's one line says what was restored, or that it
    // failed and the commands that do it by hand (never silent).
    cleanup: async () => {
      await rm(dir, { recursive: true, force: true });
      return restoreOnce().then(
        (steps) => (steps.length ? `restored ${plan.group} (${describeRestore(steps)})` : undefined),
        (err: unknown) => `could not restore ${plan.group}: ${(err as Error).message} — put them back with: ${manualRestore(plan)}`,
      );
    },
  });
  let failure: unknown;
  let bytes = 0;
  try {
    if (plan.changes.length) {
      env.progress(`${plan.instanceId}: setting ${plan.changes.length} slow-log parameter(s) in ${plan.group}, waiting until applied`);
      await applySet(env.rds, plan.group, plan.changes);
    }
    if (!(await waitApplied(env, plan.instanceId, 120_000))) env.progress(`${plan.instanceId}: the parameters are still applying; recording anyway`);
    const marker = await endMarker(env.rds, plan.instanceId);
    await record(seconds, env.tick);
    env.progress(`downloading what the slow log of ${plan.instanceId} gained`);
    bytes = await downloadAll(env.rds, plan.instanceId, 'slow', file, marker);
  } catch (err) {
    failure = err;
  }
  try {
    const restored = await restoreOnce().catch((err: unknown) => { throw restoreFailed(plan, err); });
    if (restored.length) env.progress(`restored ${plan.group}: ${describeRestore(restored)}`);
    if (failure) throw failure;
    return { file, bytes, seconds, restored, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  } finally {
    guard.release();
  }
}
