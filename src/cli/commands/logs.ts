import { usageError } from '../../core/errors.js';
import type { LogKind } from '../../services/logs.js';
import type { RegisterCommand } from './index.js';

type LogsOptions = { slow?: boolean; error?: boolean; general?: boolean; audit?: boolean; file?: string; list?: boolean; follow?: boolean; lines: string };

const FOLLOW_MS = 1000;

export const registerLogs: RegisterCommand = (program, run) => {
  program
    .command('logs <id>')
    .description("the DB instance's server logs (error log by default) through DownloadDBLogFilePortion; `rdsctl local logs` is the control plane's own log")
    .option('--error', 'the error log (default)')
    .option('--slow', 'the slow query log (needs slow_query_log=1 in the parameter group)')
    .option('--general', 'the general query log (needs general_log=1 in the parameter group)')
    .option('--audit', 'the audit log (needs `rdsctl audit-log enable`)')
    .option('--file <name>', 'any file --list shows, e.g. a rotated audit log: audit/server_audit.log.1')
    .option('--list', 'the log files there are, with size and last write (DescribeDBLogFiles)')
    .option('-n, --lines <n>', 'the newest N lines', '100')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .action((id: string, o: LogsOptions, cmd) =>
      run(cmd, async (ctx) => {
        const kinds = (['error', 'slow', 'general', 'audit', 'file', 'list'] as const).filter((k) => o[k]);
        if (kinds.length > 1) throw usageError('LOGS_ONE_KIND', 'Pick one: --error, --slow, --general, --audit, --file or --list.', { hint: `Example: rdsctl logs ${id} --slow -n 50.` });
        const lines = Number(o.lines);
        if (!/^\d+$/.test(o.lines) || lines < 1 || lines > 10_000) throw usageError('LOGS_BAD_LINES', `-n "${o.lines}" is not a number of lines between 1 and 10000.`, { hint: `Example: rdsctl logs ${id} -n 200.` });
        if (o.follow && ctx.options.json) throw usageError('FOLLOW_WITH_JSON', '--follow streams lines; --json prints one document.', { hint: `Use one of them: rdsctl logs ${id} --json, or with --follow.` });
        if (o.list && o.follow) throw usageError('LOGS_LIST_FOLLOW', '--list prints the files once; --follow streams one log.', { hint: `Use one of them: rdsctl logs ${id} --list, or rdsctl logs ${id} --audit --follow.` });
        const { clientsFor } = await import('../clients.js');
        const { describeInstance } = await import('../../services/instances.js');
        const { downloadPortion, followStep, startFollow, listLogFiles, logFileName } = await import('../../services/logs.js');
        const { rds } = await clientsFor(ctx);
        const db = await describeInstance(rds, id);
        const name = db.DBInstanceIdentifier!;
        if (o.list) {
          const files = await listLogFiles(rds, name);
          const { renderTable } = await import('../render/table.js');
          ctx.out.result({ DBInstanceIdentifier: name, LogFiles: files }, () => renderTable(['FILE', 'BYTES', 'LAST WRITTEN'], files.map((f) => [f.LogFileName, f.Size, f.LastWritten.toISOString()])));
          return;
        }
        const kind = o.file !== undefined ? { file: o.file } : (kinds[0] as LogKind | undefined) ?? 'error';
        const first = await downloadPortion(rds, name, kind, { lines });
        if (!o.follow) {
          ctx.out.result({ DBInstanceIdentifier: name, LogFileName: logFileName(kind), LogFileData: first.text, Marker: first.marker }, () => first.text.replace(/\n$/, ''));
          return;
        }
        ctx.out.print(first.text);
        // A rotation moves the lines after the marker into NAME.1 (or NAME.<hour>): read on there, then the new file.
        let at = await startFollow(rds, name, kind, first.marker ?? '0');
        for (;;) {
          await new Promise((r) => setTimeout(r, FOLLOW_MS));
          const next = await followStep(rds, name, kind, at);
          if (next.gap) ctx.out.warn(`${logFileName(kind)} was rotated or truncated and the file it was read from is gone: lines written just before may be missing.`);
          if (next.text) ctx.out.print(next.text);
          at = next.at;
        }
      }),
    );
};
