import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';
import { usageError } from '../../core/errors.js';
import { parseIntOption } from '../../core/validation.js';

/** rdsctl local start|stop|status|env|logs — the home's local RDS endpoint (control-plane process). */
export const registerLocal: RegisterCommand = (program, run) => {
  const local = program.command('local').description('run the local RDS-compatible endpoint (real mariadbd processes)');

  local.command('start').description('start the endpoint (and the instances that were running)')
    .option('--port <n>', 'fixed port (default RDSCTL_LOCAL_PORT, else the remembered or a free one)')
    .action((o: { port?: string }, cmd: Command) => run(cmd, async (ctx) => {
      const { ensureLocalEndpoint, localEndpointStatus } = await import('../../local/control/endpoint.js');
      const info = await ensureLocalEndpoint(ctx.home, { port: o.port === undefined ? undefined : parseIntOption(o.port, '--port') });
      for (const w of info.warnings ?? []) ctx.out.warn(w);
      const st = await localEndpointStatus(ctx.home);
      const data = { url: info.url, pid: info.pid, port: info.port, region: info.region, home: info.home, caFile: st.caFile };
      ctx.out.result(data, () => `local endpoint running at ${info.url} (pid ${info.pid})\nCA bundle: ${st.caFile}\nnext: eval "$(rdsctl local env)" to point the AWS CLI, boto3 or Terraform at it`);
    }));

  local.command('stop').description('stop the endpoint and every mariadbd cleanly (all state is kept)')
    .action((_o, cmd: Command) => run(cmd, async (ctx) => {
      const { stopLocalEndpoint } = await import('../../local/control/endpoint.js');
      ctx.out.step('stopping the control plane and its mariadbd processes');
      const stopped = await stopLocalEndpoint(ctx.home);
      ctx.out.result({ stopped }, () => (stopped ? 'local endpoint stopped' : 'local endpoint was not running'));
    }));

  local.command('status').description('url, pid, CA path and instances of the local endpoint')
    .action((_o, cmd: Command) => run(cmd, async (ctx) => {
      const { localEndpointStatus } = await import('../../local/control/endpoint.js');
      const { renderFields, renderTable } = await import('../render/table.js');
      const st = await localEndpointStatus(ctx.home);
      ctx.out.result(st, () => [
        renderFields([['endpoint', st.running ? `${st.url} (pid ${st.pid})` : 'not running'], ['home', st.home], ['CA bundle', st.caFile], ['log', st.logFile]]),
        '',
        st.instances.length ? renderTable(['instance', st.running ? 'status' : 'last status', 'port', 'pid'], st.instances.map((i) => [i.id, i.status, i.port, i.pid])) : '(no instances)',
        ...(st.running || !st.instances.length ? [] : ['', 'The endpoint is not running, so no instance is served; `rdsctl local start` brings back the ones that were running.']),
      ].join('\n'));
    }));

  local.command('env').description('shell exports for AWS clients: eval "$(rdsctl local env)" (prints the local access key)')
    .action((_o, cmd: Command) => run(cmd, async (ctx) => {
      const { ensureLocalEndpoint, localEnvExports } = await import('../../local/control/endpoint.js');
      const info = await ensureLocalEndpoint(ctx.home);
      for (const w of info.warnings ?? []) ctx.out.warn(w);
      if (ctx.options.json) {
        ctx.out.result({ AWS_ENDPOINT_URL: info.url, AWS_ACCESS_KEY_ID: info.accessKeyId, AWS_SECRET_ACCESS_KEY: info.secretAccessKey, AWS_REGION: info.region });
      } else ctx.out.print(localEnvExports(info));
    }));

  local.command('notify [topic-arn]')
    .description('where alarm actions for an SNS topic ARN go on the local target (no SNS here): a webhook or a command; no argument lists them')
    .option('--webhook <url>', 'POST each notification as JSON to this URL')
    .option('--command <cmd>', 'run this shell command with the notification as JSON on stdin')
    .option('--remove', 'stop delivering this topic')
    .action((arn: string | undefined, o: { webhook?: string; command?: string; remove?: boolean }, cmd: Command) => run(cmd, async (ctx) => {
      const { readNotifyTargets, setNotifyTarget } = await import('../../local/control/notify.js');
      const given = [o.webhook, o.command, o.remove].filter((x) => x !== undefined).length;
      if (!arn && given) throw usageError('TOPIC_ARN_REQUIRED', 'Name the SNS topic ARN to set or remove.', { hint: 'e.g. rdsctl local notify arn:aws:sns:us-east-1:000000000000:dba --webhook http://127.0.0.1:9000/alarms' });
      if (arn && given !== 1) throw usageError('NOTIFY_TARGET_REQUIRED', 'Give exactly one of --webhook, --command or --remove.', { hint: `e.g. rdsctl local notify ${arn} --webhook http://127.0.0.1:9000/alarms` });
      const targets = arn ? setNotifyTarget(ctx.home, arn, o.remove ? undefined : { webhook: o.webhook, command: o.command }) : readNotifyTargets(ctx.home);
      // A webhook URL may carry a token: the human view shows only its origin.
      ctx.out.result({ targets }, () => Object.entries(targets).map(([t, v]) => `${t}  →  ${v.webhook ? `webhook ${new URL(v.webhook).origin}/…` : `command ${v.command}`}`).join('\n') || 'No alarm action targets: alarm actions are recorded in the history, not delivered.');
    }));

  local.command('logs').description('tail of the control-plane log, or of one instance\'s mariadbd error log')
    .option('--instance <id>', 'show this instance\'s mariadbd error log')
    .option('-n, --lines <n>', 'how many lines', '50')
    .action((o: { instance?: string; lines: string }, cmd: Command) => run(cmd, async (ctx) => {
      const { tailLocalLog } = await import('../../local/control/logs.js');
      const lines = parseIntOption(o.lines, '--lines');
      // slice(-0) / slice(-(-n)) would print the whole log (or all but n lines), not a tail.
      if (lines < 1) throw usageError('INVALID_NUMBER', `--lines must be 1 or more (got ${lines}).`, { hint: 'e.g. rdsctl local logs -n 200' });
      const tail = tailLocalLog(ctx.home, { instance: o.instance, lines });
      ctx.out.result(tail, () => tail.lines.join('\n'));
    }));
};
