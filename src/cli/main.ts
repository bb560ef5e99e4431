import { Command, CommanderError } from 'commander';
import { ExitCode, RdsctlError } from '../core/errors.js';
import { resolveHome, resolveTarget, type CliContext, type GlobalOptions } from './context.js';
import { Output } from './render/output.js';
import { toRdsctlError } from './to-error.js';
import { COMMANDS } from './commands/index.js';

export type Action = (ctx: CliContext) => Promise<void>;
/** Runs one command action with the context built from global options; only here is the exit code set. */
export type Runner = (cmd: Command, action: Action) => Promise<void>;

// Kept importable from here (tests, other modules); they live with the context they build.
export { resolveHome, resolveTarget };

function makeOutput(opts: GlobalOptions): Output {
  const noColor = opts.color === false || process.env.NO_COLOR !== undefined || !process.stderr.isTTY;
  return new Output({
    json: Boolean(opts.json),
    quiet: Boolean(opts.quiet),
    color: !noColor,
    tty: Boolean(process.stderr.isTTY) && !process.env.CI,
  });
}

/** Where commander's own stdout text (help, version) goes; run() collects it under --json. */
export interface HelpSink { write(text: string): void }

export function buildProgram(sink: HelpSink = { write: (t) => process.stdout.write(t) }): { program: Command; exit: { code: number } } {
  const exit = { code: 0 };
  const program = new Command('rdsctl')
    .description('A DBA tool for MySQL/MariaDB on Amazon RDS — and a real local RDS endpoint on MariaDB.')
    .version('0.1.0')
    .option('--target <target>', 'where commands go: local (default) or aws (env RDSCTL_TARGET; a flag wins)')
    .option('--profile <name>', 'AWS profile (implies --target aws)')
    .option('--region <region>', 'AWS region (implies --target aws)')
    .option('--endpoint-url <url>', 'override the AWS endpoint URL')
    .option('--home <dir>', 'rdsctl state folder (env RDSCTL_HOME, default ~/.rdsctl)')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('-q, --quiet', 'no progress output')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('-y, --yes', 'do not ask for confirmation (needed without a TTY)')
    .configureOutput({ writeOut: (t) => sink.write(t) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const runner: Runner = async (cmd, action) => {
    const options = cmd.optsWithGlobals() as GlobalOptions;
    const out = makeOutput(options);
    out.command = commandPath(cmd);
    try {
      const target = resolveTarget(options);
      await action({ options, out, home: resolveHome(options), target });
      exit.code = ExitCode.ok;
    } catch (err) {
      const e = toRdsctlError(err);
      out.error(e);
      exit.code = e.exitCode;
    }
  };
  for (const register of COMMANDS) register(program, runner);
  return { program, exit };
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** --json for what commander ends itself: help/version text as data, usage problems as USAGE errors. */
export function commanderDoc(err: CommanderError, text: string): Record<string, unknown> {
  if (err.exitCode === 0) {
    const command = err.code === 'commander.version' ? 'version' : 'help';
    return { ok: true, command, data: command === 'version' ? { version: text.trim() } : { text } };
  }
  // `rdsctl` alone shows the help and fails; commander's message for that is "(outputHelp)".
  const message = err.code === 'commander.help' || err.code === 'commander.helpDisplayed' ? 'No command given.' : err.message;
  return { ok: false, error: { code: 'USAGE', exitCode: ExitCode.usage, message, hint: 'Run rdsctl --help for the commands.' } };
}

/** The --json document for Ctrl-C: what was already requested keeps going on the target. */
export function interruptedDoc(): Record<string, unknown> {
  return {
    ok: false,
    error: new RdsctlError('INTERRUPTED', ExitCode.interrupted, 'Interrupted (Ctrl-C): rdsctl stopped waiting.', {
      hint: 'A request already sent keeps running on the target; check with `rdsctl list`.',
    }).toJSON(),
  };
}

export async function run(argv: string[]): Promise<void> {
  // The SDK warns on Node 20 that releases after January 2027 need Node 22; our lockfile pins a
  // release that supports Node 20, so keep our output clean (doctor and the README say this).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const json = argv.includes('--json');
  let helpText = '';
  const { program, exit } = buildProgram(json ? { write: (t) => { helpText += t; } } : undefined);
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    process.stderr.write('\ninterrupted\n');
    // --json promises one document on stdout, errors included: an interruption is one too.
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(interruptedDoc(), null, 2)}\n`);
    process.exit(ExitCode.interrupted);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage problems exit 2 (commander already printed the message).
      process.exitCode = err.exitCode === 0 ? 0 : ExitCode.usage;
      if (json) process.stdout.write(`${JSON.stringify(commanderDoc(err, helpText), null, 2)}\n`);
      return;
    }
    throw err;
  }
  if (!interrupted) process.exitCode = exit.code;
}
