import { Command, CommanderError } from 'commander';
import { ExitCode, SIGNAL_EXIT, type HandledSignal } from '../core/errors.js';
import { resolveHome, resolveTarget, type CliContext, type GlobalOptions } from './context.js';
import { Output } from './render/output.js';
import { toRdsctlError } from './to-error.js';
import { cleanupBeforeExit, cleanupInProgress, ctrlCBelongsToChild, manualHints } from '../services/analyze-interrupt.js';
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

/** The exit code, and the running command's Output (Ctrl-C reports through it). */
export interface ExitState { code: number; out?: Output }

export function buildProgram(sink: HelpSink = { write: (t) => process.stdout.write(t) }): { program: Command; exit: ExitState } {
  const exit: ExitState = { code: 0 };
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
    // Commander wraps help at the terminal's width (80 when piped) only while the description column keeps
    // 40 columns; `analyze-queries [options] [instance-id]` leaves 35 at 80, so nothing wrapped (142 wide).
    .configureHelp({ minWidthToWrap: 20 })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const runner: Runner = async (cmd, action) => {
    const options = cmd.optsWithGlobals() as GlobalOptions;
    const out = makeOutput(options);
    exit.out = out;
    out.command = commandPath(cmd);
    try {
      const target = resolveTarget(options);
      await action({ options, out, home: resolveHome(options), target });
      exit.code = ExitCode.ok;
    } catch (err) {
      // A Ctrl-C cleanup is under way (it broke what the command ran): the interruption is what gets reported.
      if (cleanupInProgress()) return;
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

/**
 * A reader that went away (`| head`, a closed pager) ends rdsctl as it ends any Unix tool (SIGPIPE,
 * 128 + 13): quietly, exit 141, after what a guard holds (a temporary instance) is cleaned up.
 */
export const EXIT_CLOSED_PIPE = 141;

function exitOnClosedOutput(): void {
  let closing = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (closing) return; // later writes to the closed stream fail too
    if (err.code !== 'EPIPE') throw err;
    closing = true;
    void cleanupBeforeExit('EPIPE').finally(() => process.exit(EXIT_CLOSED_PIPE));
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}

/**
 * The one signal policy (services only arm guards, src/services/analyze-interrupt.ts): a signal runs what
 * the armed guards must undo, then reports the interruption through the command's Output (its spinner
 * goes, --json gets its one document, the message says what still goes on on the target) and exits
 * 128 + the signal. A second signal during that cleanup exits at once with the commands that finish it.
 * SIGINT is left to a child that owns the terminal (connect --shell's client).
 */
function handleSignals(json: boolean, exit: { out?: Output }, onInterrupted: () => void): void {
  let cleaning = false;
  const onSignal = (signal: HandledSignal) => {
    if (signal === 'SIGINT' && ctrlCBelongsToChild()) return;
    if (cleaning) {
      const hints = manualHints();
      process.stderr.write(`\ninterrupted again${hints.length ? `: ${hints.join('; ')}` : ''}\n`);
      process.exit(SIGNAL_EXIT[signal]);
    }
    cleaning = true;
    onInterrupted();
    void cleanupBeforeExit(signal).catch(() => []).then((done) => {
      (exit.out ?? new Output({ json, quiet: false, color: false, tty: false })).interrupted(signal, done);
      process.exit(SIGNAL_EXIT[signal]);
    });
  };
  for (const s of Object.keys(SIGNAL_EXIT) as HandledSignal[]) process.on(s, onSignal);
}

export async function run(argv: string[]): Promise<void> {
  // The SDK warns on Node 20 that releases after January 2027 need Node 22; our lockfile pins a
  // release that supports Node 20, so keep our output clean (doctor and the README say this).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const json = argv.includes('--json');
  let helpText = '';
  const { program, exit } = buildProgram(json ? { write: (t) => { helpText += t; } } : undefined);
  exitOnClosedOutput();
  let interrupted = false;
  handleSignals(json, exit, () => { interrupted = true; });
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
