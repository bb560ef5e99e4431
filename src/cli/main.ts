import { Command, Option, CommanderError } from 'commander';
import os from 'node:os';
import path from 'node:path';
import { ExitCode, RdsctlError } from '../core/errors.js';
import type { CliContext, GlobalOptions, TargetKind } from './context.js';
import { Output } from './render/output.js';
import { toRdsctlError } from './to-error.js';
import { COMMANDS } from './commands/index.js';

export type Action = (ctx: CliContext) => Promise<void>;
/** Runs one command action with the context built from global options; only here is the exit code set. */
export type Runner = (cmd: Command, action: Action) => Promise<void>;

export function resolveHome(opts: GlobalOptions): string {
  return path.resolve(opts.home ?? process.env.RDSCTL_HOME ?? path.join(os.homedir(), '.rdsctl'));
}

export function resolveTarget(opts: GlobalOptions): TargetKind {
  const explicit = opts.target ?? process.env.RDSCTL_TARGET;
  if (explicit) {
    if (explicit !== 'local' && explicit !== 'aws') {
      throw new RdsctlError('INVALID_TARGET', ExitCode.usage, `Unknown target "${explicit}".`, {
        hint: 'Use --target local (the local endpoint on MariaDB) or --target aws (real Amazon RDS).',
      });
    }
    return explicit;
  }
  // Naming an AWS profile or region means the user wants AWS.
  return opts.profile || opts.region ? 'aws' : 'local';
}

function makeOutput(opts: GlobalOptions): Output {
  const noColor = opts.color === false || process.env.NO_COLOR !== undefined || !process.stderr.isTTY;
  return new Output({
    json: Boolean(opts.json),
    quiet: Boolean(opts.quiet),
    color: !noColor,
    tty: Boolean(process.stderr.isTTY) && !process.env.CI,
  });
}

export function buildProgram(): { program: Command; exit: { code: number } } {
  const exit = { code: 0 };
  const program = new Command('rdsctl')
    .description('A DBA tool for MySQL/MariaDB on Amazon RDS — and a real local RDS endpoint on MariaDB.')
    .version('0.1.0')
    .addOption(new Option('--target <target>', 'where commands go: local (default) or aws').env('RDSCTL_TARGET'))
    .option('--profile <name>', 'AWS profile (implies --target aws)')
    .option('--region <region>', 'AWS region (implies --target aws)')
    .option('--endpoint-url <url>', 'override the AWS endpoint URL')
    .addOption(new Option('--home <dir>', 'rdsctl state folder (default ~/.rdsctl)').env('RDSCTL_HOME'))
    .option('--json', 'print exactly one JSON document on stdout')
    .option('-q, --quiet', 'no progress output')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('-y, --yes', 'do not ask for confirmation (needed without a TTY)')
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

export async function run(argv: string[]): Promise<void> {
  // The SDK warns on Node 20 that releases after January 2027 need Node 22; our lockfile pins a
  // release that supports Node 20, so keep our output clean (doctor and the README say this).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { program, exit } = buildProgram();
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    process.stderr.write('\ninterrupted\n');
    process.exit(ExitCode.interrupted);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage problems exit 2 (commander already printed the message).
      process.exitCode = err.exitCode === 0 ? 0 : ExitCode.usage;
      if (err.exitCode !== 0 && argv.includes('--json')) {
        process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'USAGE', exitCode: 2, message: err.message } })}\n`);
      }
      return;
    }
    throw err;
  }
  if (!interrupted) process.exitCode = exit.code;
}
