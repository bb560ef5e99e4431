import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A real pseudo-terminal for interactive tests: a tmux session (own server socket per test file, so a
 * developer's tmux is never touched) running bash, driven with send-keys and read with capture-pane.
 */
export interface TmuxSession {
  name: string;
  /** Types a command line and Enter; its exit code is echoed after it (read with exitCode()). */
  run(commandLine: string): Promise<void>;
  /** tmux key names: 'C-c', 'Enter', 'y' … */
  keys(...keys: string[]): Promise<void>;
  /** The visible pane as plain text, lines not joined (what the user sees, wrapped at the pane width). */
  screen(): Promise<string>;
  /** Everything printed so far, scrollback included. */
  history(): Promise<string>;
  /** The visible pane with the lines the terminal wrapped joined again (a line longer than the pane did not fit). */
  joined(): Promise<string>;
  /** Waits until the pane matches, returns the match; fails with the screen after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The exit code of the last run() (waits for it). */
  exitCode(timeoutMs?: number): Promise<number>;
  /** Clears the screen and the scrollback (between two commands). */
  clear(): Promise<void>;
  kill(): Promise<void>;
}

export interface TmuxOptions {
  /** Environment for the shell; undefined unsets a variable (e.g. CI, which turns spinners off). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  width?: number;
  height?: number;
}

const SOCKET = `rdsctl-test-${process.pid}`;
const tmux = (...args: string[]) => exec('tmux', ['-L', SOCKET, ...args], { timeout: 10_000 });
let marker = 0;

export async function startTmux(name: string, opts: TmuxOptions = {}): Promise<TmuxSession> {
  const set = Object.entries(opts.env ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const unset = Object.entries(opts.env ?? {}).filter(([, v]) => v === undefined).flatMap(([k]) => ['-u', k]);
  // `env` sets the shell's environment exactly (tmux -e cannot unset); bash without rc files, plain prompt.
  await tmux('new-session', '-d', '-s', name, '-x', String(opts.width ?? 80), '-y', String(opts.height ?? 30),
    ...(opts.cwd ? ['-c', opts.cwd] : []), 'env', ...unset, ...set, 'PS1=$ ', 'bash', '--norc', '--noprofile', '-i');
  const target = ['-t', name];
  let lastMarker = '';
  const session: TmuxSession = {
    name,
    async run(commandLine) {
      lastMarker = `__rc${++marker}`;
      // The marker is printed as two words joined by the shell, so the typed line itself never matches.
      await tmux('send-keys', ...target, '-l', `${commandLine}; echo "${lastMarker}=""$?"`);
      await tmux('send-keys', ...target, 'Enter');
    },
    async keys(...keys) {
      await tmux('send-keys', ...target, ...keys);
    },
    async screen() {
      return (await tmux('capture-pane', '-p', ...target)).stdout;
    },
    async history() {
      return (await tmux('capture-pane', '-p', '-S', '-', ...target)).stdout;
    },
    async joined() {
      return (await tmux('capture-pane', '-p', '-J', ...target)).stdout;
    },
    async waitFor(pattern, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const text = await session.screen();
        const m = text.match(pattern);
        if (m) return m;
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} on the terminal:\n${text}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async exitCode(timeoutMs = 60_000) {
      const m = await session.waitFor(new RegExp(`${lastMarker}=(\\d+)`), timeoutMs);
      return Number(m[1]);
    },
    async clear() {
      await tmux('send-keys', ...target, '-l', 'clear');
      await tmux('send-keys', ...target, 'Enter');
      await session.waitFor(/^\$\s*$/); // only the prompt is left
      await tmux('clear-history', ...target);
    },
    async kill() {
      await tmux('kill-session', ...target).catch(() => undefined);
    },
  };
  await session.waitFor(/^\$/m, 10_000); // capture-pane drops trailing blanks: "$ " reads "$"
  return session;
}

/** For afterAll: ends a session by name even if the test that made it failed half-way. */
export async function killTmux(name: string): Promise<void> {
  await tmux('kill-session', '-t', name).catch(() => undefined);
}

/** For afterAll, after killTmux: stops this file's tmux server and removes its socket (tmux leaves it behind). */
export async function endTmuxServer(): Promise<void> {
  await tmux('kill-server').catch(() => undefined);
  const dir = path.join(process.env.TMUX_TMPDIR ?? os.tmpdir(), `tmux-${process.getuid?.() ?? 0}`);
  await rm(path.join(dir, SOCKET), { force: true });
}
