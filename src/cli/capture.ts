import { usageError } from '../core/errors.js';
import { parseCaptureDuration, parseLongQueryTime } from '../core/plans/capture-plan.js';
import type { CliContext } from './context.js';

/** The options of analyze-queries that `--capture` reads or excludes. */
export interface CaptureOptions {
  capture?: string; longQueryTime?: string; dryRun?: boolean;
  slowLog?: string; slowLogFrom?: string; queries?: string; digest?: boolean;
}

/**
 * Checked before anything is asked or changed: the duration, the instance, and no second workload source
 * (exit 2, one line naming the flag). Returns the seconds, or undefined without --capture.
 */
export function checkCapture(id: string | undefined, o: CaptureOptions): number | undefined {
  if (o.capture === undefined) {
    if (o.longQueryTime !== undefined) throw usageError('LONG_QUERY_TIME_WITHOUT_CAPTURE', '--long-query-time only applies to --capture.', { hint: 'e.g. rdsctl analyze-queries shop --capture 10m --long-query-time 0.1.' });
    return undefined;
  }
  const other = ([['--queries', o.queries], ['--slow-log', o.slowLog], ['--slow-log-from', o.slowLogFrom], ['--digest', o.digest]] as const).find(([, v]) => v !== undefined && v !== false);
  if (other) throw usageError('WORKLOAD_SOURCE', `--capture and ${other[0]} are two workload sources: give only one.`, { hint: 'Use --capture <duration> alone to record the live workload, or drop --capture.' });
  if (!id) throw usageError('CAPTURE_NEEDS_INSTANCE', '--capture records the workload of a DB instance: name it.', { hint: 'e.g. rdsctl analyze-queries shop --capture 10m.' });
  const seconds = parseCaptureDuration(o.capture);
  parseLongQueryTime(o.longQueryTime);
  return seconds;
}

/**
 * Plans the capture, shows the plan and asks (--yes; --dry-run stops after the plan), records with the
 * countdown, and hands back the captured slow log (undefined after --dry-run: the plan was the result).
 */
export async function captureWorkload(ctx: CliContext, id: string, o: CaptureOptions, seconds: number) {
  const { planInstanceCapture, runCapture } = await import('../services/analyze-capture.js');
  const { parseLongQueryTime: lqt, describeRestore } = await import('../core/plans/capture-plan.js');
  const { renderCapturePlan, Countdown } = await import('./render/capture.js');
  const { confirm } = await import('./interaction.js');
  const { rds } = await (await import('./clients.js')).clientsFor(ctx);
  const plan = await planInstanceCapture(rds, id, lqt(o.longQueryTime));
  if (o.dryRun || ctx.options.dryRun) {
    ctx.out.result({ dryRun: true, seconds, plan }, () => renderCapturePlan(plan, seconds, true));
    return undefined;
  }
  // Nothing to change (the group already logs every statement): nothing to ask about either.
  if (plan.changes.length) {
    await confirm(ctx, `Change ${plan.changes.length} parameter(s) of ${plan.group} for the capture (put back afterwards)?`,
      () => ctx.out.print(renderCapturePlan(plan, seconds, false)));
  }
  const silent = Boolean(ctx.options.json || ctx.options.quiet);
  const countdown = new Countdown(plan.instanceId, { tty: ctx.out.opts.tty, silent, columns: process.stderr.columns, line: (m) => ctx.out.step(m), hold: () => ctx.out.pause() });
  const progress = (m: string) => { countdown.clear(); ctx.out.step(m); };
  const result = await runCapture(plan, seconds, {
    rds, progress, tick: (left, total) => countdown.tick(left, total), pollMs: ctx.target === 'local' ? 100 : 5000,
  });
  if (result.bytes === 0) ctx.out.warn(`the slow log of ${plan.instanceId} gained nothing during the capture (connections opened before it keep their old long_query_time)`);
  return { ...result, group: plan.group, summary: describeRestore(result.restored) };
}
