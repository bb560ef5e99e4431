import type { Command } from 'commander';
import type { Output } from './render/output.js';

/** mysql://user:secret@host/… — a DSN that carries a password (mysql://user@host/… does not). */
export const dsnHasPassword = (dsn: string): boolean => /^[^:]+:\/\/[^/@]*:[^/@]+@/.test(dsn);

const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * A password typed in a DSN on the command line is readable by every local user (ps, /proc) and stays in
 * the shell's history: warn (once per flag), and name the ways that keep it off the command line. Only
 * values that came from the command line: the same DSN from an environment variable is not visible.
 * One rule for every command that takes DSNs (analyze-queries --dsn, loadtest --dsn / --replica-dsn).
 */
export function warnDsnPasswords(cmd: Command, out: Output, keys: string[], prefer = 'RDSCTL_DB_PASSWORD or --password-stdin'): void {
  const opts = cmd.opts() as Record<string, string | string[] | undefined>;
  for (const key of keys) {
    if (cmd.getOptionValueSource(key) !== 'cli') continue;
    const values = ([] as Array<string | undefined>).concat(opts[key]);
    if (values.some((v) => v !== undefined && dsnHasPassword(v))) {
      out.warn(`the password in ${flagOf(key)} is visible to other users (ps, shell history): prefer ${prefer}.`);
    }
  }
}
