import { Chalk, type ChalkInstance } from 'chalk';
import { RdsctlError, type HandledSignal } from '../../core/errors.js';
import { interruptedError } from './interrupted.js';
import { wrapText } from './table.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  color: boolean;
  /** Interactive stderr: spinners allowed. */
  tty: boolean;
}

type Writer = (text: string) => void;

/**
 * All output goes through here. --json: exactly one JSON document on stdout (success or error).
 * Human: results on stdout, progress/warnings on stderr. Spinners only on an interactive stderr.
 */
export class Output {
  readonly opts: OutputOptions;
  private readonly stdout: Writer;
  private readonly stderr: Writer;
  private started = Date.now();
  private emitted = false;
  command = '';
  target: Record<string, unknown> | undefined;

  constructor(opts: OutputOptions, stdout?: Writer, stderr?: Writer) {
    this.opts = opts;
    this.stdout = stdout ?? ((t) => process.stdout.write(t));
    this.stderr = stderr ?? ((t) => process.stderr.write(t));
  }

  /** Progress line on stderr (never with --json or --quiet). */
  progress(message: string): void {
    if (this.opts.json || this.opts.quiet) return;
    this.stderr(`${message}\n`);
  }

  /** Progress with elapsed seconds since the command began; on a TTY a spinner keeps the clock moving. */
  step(message: string): void {
    const line = `[${this.elapsed()}] ${message}`;
    if (this.spinner) {
      // The clock is in the line itself: the spinner's ticking prefix must not be printed with it.
      this.spinner.stopAndPersist({ symbol: '•', prefixText: '', text: line });
      this.spinner.prefixText = `[${this.elapsed()}]`;
      this.spinner.start(`${message} …`);
      return;
    }
    this.progress(line);
  }

  /** Loads ora only when it will be used: interactive stderr, no --json/--quiet, not CI. */
  async enableSpinner(): Promise<void> {
    if (this.spinner || !this.opts.tty || this.opts.json || this.opts.quiet) return;
    const { default: ora } = await import('ora');
    // discardStdin (ora's default) puts the terminal in raw mode while spinning, so Ctrl-C no longer raises
    // SIGINT; its replacement only works once stdin flows, which nothing here starts: Ctrl-C was lost.
    // Left alone, the terminal itself turns Ctrl-C into SIGINT (for rdsctl and the tools it runs).
    this.spinner = ora({ stream: process.stderr, isEnabled: true, color: 'cyan', discardStdin: false });
    const tick = setInterval(() => {
      if (this.spinner?.isSpinning) this.spinner.prefixText = `[${this.elapsed()}]`;
    }, 250);
    tick.unref();
  }

  /** Before a prompt: the spinner's line goes, so nothing ticks over the question; the next step() brings it back. */
  pause(): void {
    this.spinner?.stop();
  }

  private stopSpinner(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }

  /** Remembers the last status seen per instance: on Ctrl-C that is what still goes on on the target. */
  noteStatus(id: string, status: string): void {
    this.statuses.set(id, status);
  }

  /**
   * Set by a command whose way to end is Ctrl-C (metrics --watch): it has nothing under way on the
   * target, so Ctrl-C just stops it (exit 130), without an "interrupted" error or a hint to look elsewhere.
   */
  endsWithCtrlC = false;

  /** Ctrl-C: the spinner goes, then the interruption is reported like any error (one JSON document with --json). */
  interrupted(signal: HandledSignal = 'SIGINT', done: string[] = []): void {
    // Without a spinner to clear, the terminal's "^C" is where the message would start.
    if (!this.opts.json && !this.spinner?.isSpinning && process.stderr.isTTY) this.stderr('\n');
    if (this.endsWithCtrlC && signal === 'SIGINT' && !this.opts.json) return;
    this.error(interruptedError([...this.statuses], signal, done));
  }

  /** Columns for human output on stdout: the terminal's width, or 80 when piped (a log, a ticket, less). */
  get width(): number {
    return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80;
  }

  /** Prose for stdout, wrapped between words at a terminal (its edge would cut words); piped, one line stays one line. */
  fit(text: string): string {
    return process.stdout.isTTY && process.stdout.columns ? wrapText(text, process.stdout.columns) : text;
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)}s`.padStart(6);
  }

  warn(message: string): void {
    if (this.opts.json) return;
    this.stderr(`${this.paint('yellow', 'warning:')} ${message}\n`);
  }

  /** Emit the command's result: the JSON envelope, or the human rendering on stdout. */
  result(data: unknown, human?: () => string): void {
    this.stopSpinner();
    if (this.opts.json) {
      this.emitJson({ ok: true, command: this.command, ...(this.target ? { target: this.target } : {}), data });
      return;
    }
    if (human) {
      const text = human();
      if (text) this.stdout(text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  error(err: RdsctlError): void {
    this.stopSpinner();
    if (this.opts.json) {
      if (this.emitted) return;
      this.emitJson({ ok: false, command: this.command, error: err.toJSON() });
      return;
    }
    // Wrapped between words on a terminal (its edge would cut them); a log keeps one greppable line each.
    const fit = (label: string, text: string) => (process.stderr.isTTY && process.stderr.columns ? wrapText(`${label} ${text}`, process.stderr.columns) : `${label} ${text}`);
    this.stderr(`${this.paint('red', 'error:')}${fit('error:', err.message).slice('error:'.length)}\n`);
    if (err.hint) this.stderr(`${this.paint('dim', 'hint:')}${fit('hint:', err.hint).slice('hint:'.length)}\n`);
  }

  /** Raw text on stdout (e.g. `local env` exports); not used with --json. */
  print(text: string): void {
    this.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  paint(style: 'red' | 'yellow' | 'green' | 'dim' | 'bold' | 'cyan', text: string): string {
    this.chalk ??= new Chalk({ level: this.opts.color ? 1 : 0 });
    return this.chalk[style](text);
  }

  private chalk: ChalkInstance | undefined;
  private spinner: import('ora').Ora | undefined;
  private readonly statuses = new Map<string, string>();

  private emitJson(doc: unknown): void {
    this.emitted = true;
    this.stdout(`${JSON.stringify(doc, jsonReplacer, 2)}\n`);
  }
}

/** Dates as ISO strings; bigint as number strings. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}
