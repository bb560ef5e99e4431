import { usageError } from '../../core/errors.js';
import type { RegisterCommand } from './index.js';

interface MetricsOptions {
  since: string;
  period: string;
  metric?: string;
  watch?: boolean;
}

const WATCH_MS = 5000;

export const registerMetrics: RegisterCommand = (program, run) => {
  program
    .command('metrics <id>')
    .description('CloudWatch metrics of a DB instance: latest, average, max and a chart per metric')
    .option('--since <duration>', 'how far back: 90m, 3h, 2d (up to 15 days)', '3h')
    .option('--period <seconds>', 'seconds per datapoint: 60 or a multiple (1, 5, 10, 30 for high-resolution data)', '60')
    .option('--metric <names>', 'comma-separated metric names (default: all AWS/RDS metrics rdsctl knows)')
    .option('--watch', 'redraw every 5 seconds until Ctrl-C')
    .action((id: string, o: MetricsOptions, cmd) =>
      run(cmd, async (ctx) => {
        const { parsePeriod, parseSince, selectMetrics } = await import('../../core/metrics-view.js');
        const sinceMs = parseSince(o.since);
        const period = parsePeriod(o.period);
        const metrics = selectMetrics(o.metric);
        if (o.watch && ctx.options.json) throw usageError('WATCH_WITH_JSON', '--watch redraws a screen; --json prints one document.', { hint: 'Use one of them: rdsctl metrics with --json, or with --watch.' });
        const { clientsFor } = await import('../clients.js');
        const { describeInstance } = await import('../../services/instances.js');
        const { fetchMetrics } = await import('../../services/metrics.js');
        const { renderMetrics } = await import('../render/metrics.js');
        const clients = await clientsFor(ctx);
        const db = await describeInstance(clients.rds, id);
        const cw = await clients.cloudwatch();
        const req = { id: db.DBInstanceIdentifier!, sinceMs, period, metrics };
        const draw = async () => renderMetrics(req.id, o.since, period, await fetchMetrics(cw, req), ctx.out.width);
        if (!o.watch) {
          const series = await fetchMetrics(cw, req);
          ctx.out.result({ DBInstanceIdentifier: req.id, Period: period, Since: o.since, Metrics: series },
            () => renderMetrics(req.id, o.since, period, series, ctx.out.width));
          return;
        }
        const tty = process.stdout.isTTY === true;
        ctx.out.endsWithCtrlC = true;
        for (;;) {
          const screen = await draw();
          // On a terminal: home + clear to the end, so the screen is redrawn in place; piped: one frame after another.
          process.stdout.write(tty ? `\x1b[H\x1b[J${screen}\n` : `${screen}\n\n`);
          await new Promise((r) => setTimeout(r, WATCH_MS));
        }
      }),
    );
};
