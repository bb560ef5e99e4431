import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

interface Common { dsn?: string; database?: string; passwordStdin?: boolean }
interface RunFlags extends Common {
  duration: string; concurrency: string; workload: string; rate?: string; ramp?: string; warmup?: string; profile?: string; scheduler?: string;
  readReplicas?: boolean; replicaDsn?: string[];
}
const LOAD_PROFILES = ['flash-sale'];

async function targets(ctx: CliContext, cmd: Command, id: string | undefined, o: Common & { readReplicas?: boolean; replicaDsn?: string[] }) {
  (await import('../dsn-password.js')).warnDsnPasswords(cmd, ctx.out, ['dsn', 'replicaDsn']);
  const { resolveLoadTargets } = await import('../../services/loadtest-target.js');
  const { readStdin } = await import('../interaction.js');
  let rds: Promise<import('@aws-sdk/client-rds').RDSClient> | undefined;
  return resolveLoadTargets({
    instanceId: id, dsn: o.dsn, database: o.database, readReplicas: o.readReplicas, replicaDsns: o.replicaDsn, target: ctx.target, home: ctx.home,
    // One client (and one `target:` line) for every describe the resolution needs.
    rds: () => (rds ??= import('../clients.js').then(async (m) => (await m.clientsFor(ctx)).rds)),
    password: async () => process.env.RDSCTL_DB_PASSWORD ?? (o.passwordStdin ? readStdin() : undefined),
  });
}

const common = (c: Command) => c
  .option('--dsn <url>', 'mysql://user@host:port/db instead of an instance id (password: RDSCTL_DB_PASSWORD or --password-stdin)')
  .option('--database <db>', 'database holding the store (default: the DSN\'s, else loadtest)')
  .option('--password-stdin', 'read the database password from stdin (aws target, or a DSN without one)');

/** rdsctl loadtest prepare|run — the store's data, and a promotion-shaped load on it. */
export const registerLoadtest: RegisterCommand = (program, run) => {
  const lt = program.command('loadtest').description('prepare an e-commerce store and load-test it (open or closed loop, HDR latencies, checkout check)');

  common(lt.command('prepare [instance-id]').description('create and fill the store schema (idempotent)'))
    .requiredOption('--scale <n>', 'size: 1,000 products, 1,000 customers and 2,000 orders per unit')
    .option('--drop', 'drop the load-test tables first and rebuild (asks; --yes without a TTY)')
    .action((id: string | undefined, o: Common & { scale: string; drop?: boolean }, cmd: Command) => run(cmd, async (ctx) => {
      const { parseScale } = await import('../../loadtest/options.js');
      const scale = parseScale(o.scale);
      const t = await targets(ctx, cmd, id, o);
      if (o.drop) await (await import('../interaction.js')).confirm(ctx, `Drop and rebuild the load-test tables in ${t.database} on ${t.primary.label}?`);
      const { prepareStore } = await import('../../services/loadtest-prepare.js');
      const { sessionOpener } = await import('../../services/loadtest-session.js');
      const { prepareProgress } = await import('../render/loadtest-progress.js');
      const bar = await prepareProgress(ctx.out);
      const r = await prepareStore(await sessionOpener(t.primary), { scale, drop: Boolean(o.drop), database: t.database, label: t.primary.label }, bar.update)
        .finally(() => bar.stop());
      const { renderPrepare } = await import('../render/loadtest.js');
      ctx.out.result(r, () => ctx.out.fit(renderPrepare(r, t.primary.label)));
    }));

  common(lt.command('run [instance-id]').description('run a load and report throughput, latency percentiles, errors and the checkout check'))
    .option('--duration <d>', 'how long it is measured (after the warm-up): 60s, 2m, 500ms', '60s')
    .option('--concurrency <n>', 'connections (sysbench --threads)', '32')
    .option('--workload <w>', 'ecommerce | point-select | read-only | write-heavy | <file.sql>', 'ecommerce')
    .option('--rate <n>', 'open loop: N transactions per second, Poisson arrivals (default: closed loop)')
    .option('--ramp <d>', 'grow to full load over this time (e.g. 10s); measured, so no warm-up runs before it')
    .option('--warmup <d>', 'run the load this long first, unmeasured (default 2s; 0 or with --ramp: none)')
    .option('--profile <p>', 'flash-sale: a checkout spike on a few hot products in the middle third (an AWS profile named flash-sale needs AWS_PROFILE)')
    .option('--read-replicas', "reads to the instance's read replicas, writes to the primary")
    .addOption(new Option('--replica-dsn <url...>', 'with --dsn: servers that take the reads'))
    .option('--scheduler <s>', "auto | batch | normal: the generator's CPU scheduling (auto: Linux SCHED_BATCH when the server runs on this host, so it does not preempt the server)", 'auto')
    .action((id: string | undefined, o: RunFlags, cmd: Command) => {
      // The global --profile (AWS) sees `--profile flash-sale` first wherever it is written: a load profile
      // name is this command's, so it is moved here before the target is chosen.
      const root = cmd.parent!.parent!;
      if (o.profile === undefined && LOAD_PROFILES.includes(root.opts().profile)) { o.profile = root.opts().profile; root.setOptionValue('profile', undefined); }
      return run(cmd, async (ctx) => {
        const { parseRunOptions } = await import('../../loadtest/options.js');
        const opts = parseRunOptions(o);
        const t = await targets(ctx, cmd, id, o);
        const { runLoadTest } = await import('../../services/loadtest-run.js');
        const { renderLiveLine, renderRun } = await import('../render/loadtest.js');
        const { guardInterrupts } = await import('../../services/analyze-interrupt.js');
        // Ctrl-C stops the load and prints what completed (the --json document too), then exits 130 as the
        // CLI does; nothing stays running on the server. A second Ctrl-C exits at once, without the report.
        const stop = new AbortController();
        let reported!: () => void;
        const done = new Promise<void>((r) => (reported = r));
        const guard = guardInterrupts(async () => { stop.abort(); await done; }, 'nothing is left running on the server', (m) => ctx.out.progress(m));
        let r: Awaited<ReturnType<typeof runLoadTest>>;
        try {
          r = await runLoadTest(t, opts, (l) => ctx.out.progress(renderLiveLine(l)), stop.signal);
          ctx.out.result(r, () => ctx.out.fit(renderRun(r, ctx.out.width)));
        } finally {
          reported();
          guard.release();
        }
        if (r.interrupted) return;
        if (r.check && !r.check.ok) {
          const { checkFailedError } = await import('../../core/errors.js');
          throw checkFailedError('LOADTEST_CHECK_FAILED', `Checkout correctness check failed: ${r.check.examples[0] ?? 'see the report'}.`, {
            hint: 'The report lists the mismatches; the data is left as it is for inspection (rdsctl loadtest prepare --drop rebuilds it).' });
        }
      });
    });
};
