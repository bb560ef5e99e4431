import { Option } from 'commander';
import type { RegisterCommand } from './index.js';

interface Opts {
  dsn?: string; slowLog?: string; slowLogFrom?: string; queries?: string; digest?: boolean; database?: string; top?: string; validate?: boolean;
  validateOn?: string; threshold?: string; budget?: string; ddlOut?: string; apply?: boolean; passwordStdin?: boolean;
  capture?: string; longQueryTime?: string; dryRun?: boolean;
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export const registerAnalyzeQueries: RegisterCommand = (program, run) => {
  program
    .command('analyze-queries [instance-id]')
    .description('find problem queries (EXPLAIN only) and recommend indexes, validated on a copy')
    .addOption(new Option('--dsn <url>', 'mysql://user:pass@host:port/db instead of an instance id').env('DATABASE_URL'))
    .option('--slow-log <file>', 'workload from a slow query log (plain or .gz)')
    .option('--slow-log-from <id>', "workload from the DB instance's own slow log (DownloadDBLogFilePortion)")
    .option('--queries <file>', 'workload from a .sql file ("-" = stdin)')
    .option('--digest', 'workload from performance_schema statement digests')
    .option('--capture <duration>', "record the instance's live workload for 90s, 10m, 1h (at most): slow-log parameters set in its parameter group, then put back (asks first)")
    .option('--long-query-time <seconds>', '--capture: log statements slower than this (default 0: every statement)')
    .option('--dry-run', '--capture: print the parameter plan and change nothing')
    .option('--database <db>', 'default database for the statements')
    .option('--top <n>', 'analyze only the N classes with the most total time')
    .option('--validate', 'build candidates on a throwaway copy and measure the reads there (default for a local instance)')
    .option('--no-validate', 'estimates only: build nothing anywhere')
    .option('--validate-on <dsn>', 'a copy of the database to validate on (never the analyzed server)')
    .option('--threshold <pct>', 'keep an index only if it cuts rows read by this percent', '50')
    .option('--budget <n>', 'at most N new indexes per table', '3')
    .option('--ddl-out <file>', 'write the recommended DDL to a file')
    .option('--apply', 'build the recommended indexes on the analyzed server (asks first; --yes without a TTY)')
    .option('--password-stdin', 'read the database password from stdin (aws target, or a DSN without one)')
    .action((id: string | undefined, o: Opts, cmd) =>
      run(cmd, async (ctx) => {
        const { analysisFailedError, runAnalyze } = await import('../../services/analyze-run.js');
        const { renderReport } = await import('../../analyze/report/render.js');
        const { confirm, readStdin, requireConfirmable } = await import('../interaction.js');
        // Same rule as confirm(), checked before the analysis and its validation copy, not after them.
        if (o.apply) requireConfirmable(ctx, '--apply builds indexes on the analyzed server: it', 'Re-run with --yes, or review first: run without --apply and save the DDL with --ddl-out.');
        const { warnDsnPasswords } = await import('../dsn-password.js');
        warnDsnPasswords(cmd, ctx.out, ['dsn'], 'DATABASE_URL, RDSCTL_DB_PASSWORD or --password-stdin');
        // Folded to the terminal's width, or 80 columns when piped (a log, a ticket, less).
        const render = (r: Parameters<typeof renderReport>[0]) => renderReport(r, (st, t) => ctx.out.paint(st, t), 25, ctx.out.width);
        let shown = '';
        const { checkCapture, captureWorkload } = await import('../capture.js');
        const seconds = checkCapture(id, o);
        const captured = seconds === undefined ? undefined : await captureWorkload(ctx, id!, o, seconds);
        if (seconds !== undefined && !captured) return; // --dry-run: the plan was the result
        if (captured) o.slowLog = captured.file;
        const fromLog = o.slowLogFrom === undefined ? undefined : await (await import('../../services/analyze-slowlog.js')).fetchSlowLog((await (await import('../clients.js')).clientsFor(ctx)).rds, o.slowLogFrom, o.slowLog, (m) => ctx.out.step(m));
        if (fromLog) o.slowLog = fromLog.file;
        try {
          const report = await runAnalyze(
            { instanceId: id, dsn: id && cmd.getOptionValueSource('dsn') !== 'cli' ? undefined : o.dsn,
              slowLog: o.slowLog, queries: o.queries, digest: o.digest, database: o.database, top: num(o.top),
              validate: cmd.getOptionValueSource('validate') === 'cli' ? o.validate : undefined, validateOn: o.validateOn,
              threshold: num(o.threshold), budget: num(o.budget), ddlOut: o.ddlOut, apply: o.apply, passwordStdin: o.passwordStdin },
            {
              target: ctx.target, home: ctx.home,
              rds: async () => (await (await import('../clients.js')).clientsFor(ctx)).rds,
              password: async () => process.env.RDSCTL_DB_PASSWORD ?? (o.passwordStdin ? readStdin() : undefined),
              progress: (m) => ctx.out.step(m),
              // The report goes out before the question, so that `n` leaves it on screen (without the closing
              // "Nothing was changed … --apply" line, which only the DDL list brings).
              confirm: (q, r) => confirm(ctx, q, () => { shown = render({ ...r, ddl: [] }); ctx.out.print(shown); }),
            },
          );
          // After a confirmation only the outcome of --apply is new: the rest was printed before the question.
          const full = render(report);
          const data = captured ? { ...report, capture: { seconds: captured.seconds, bytes: captured.bytes, parameterGroup: captured.group, restored: captured.restored } } : report;
          ctx.out.result(data, () => (shown && full.startsWith(shown) ? full.slice(shown.length).replace(/^\n/, '') : full));
          const failure = analysisFailedError(report); // most statements failed: the report is out, the exit code says so
          if (failure) throw failure;
          // The report (with each statement's outcome) is out; a script must still see that --apply fell short.
          const failed = report.applied?.filter((a) => !a.ok) ?? [];
          if (failed.length) {
            const { remoteError } = await import('../../core/errors.js');
            throw remoteError('APPLY_FAILED', `${failed.length} of ${report.applied!.length} index(es) could not be built: ${failed[0].error ?? 'refused'}.`, {
              hint: `${failed.length === report.applied!.length ? 'Nothing was built' : 'The others were built'}; fix the cause (privileges: ALTER, INDEX) and run with --apply again — built indexes are not proposed twice.` });
          }
        } finally {
          await fromLog?.cleanup();
          await captured?.cleanup();
        }
      }),
    );
};
