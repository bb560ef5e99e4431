import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { usageError } from '../core/errors.js';
import { armGuard } from './analyze-interrupt.js';
import type { DbCredentials } from './credentials.js';

/**
 * Starts the mariadb client over verified TLS. The password goes in a 0600 option file read with
 * --defaults-extra-file, never on the child's command line (where `ps` would show it).
 */
export async function openShell(c: DbCredentials, database?: string): Promise<number> {
  if (!c.password) {
    throw usageError('PASSWORD_UNAVAILABLE', `rdsctl does not hold the password for ${c.DBInstanceIdentifier}.`, {
      hint: c.secretArn ? `rdsctl credentials ${c.DBInstanceIdentifier} reads it from Secrets Manager (${c.secretArn}); run the mariadb client yourself with it.` : 'Connect with your own client and password.',
    });
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-shell-'));
  const file = path.join(dir, 'client.cnf');
  const lines = ['[client]', `user=${quote(c.username)}`, `password=${quote(c.password)}`, `host=${c.host}`, `port=${c.port}`, 'ssl', 'ssl-verify-server-cert'];
  if (c.caFile) lines.push(`ssl-ca=${quote(c.caFile)}`);
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  const args = [`--defaults-extra-file=${file}`, ...(database ? [database] : [])];
  const child = spawn('mariadb', args, { stdio: 'inherit' });
  const signals = holdSignals(child, dir);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (err) => reject(usageError('CLIENT_MISSING', `Cannot start the mariadb client: ${err.message}.`, { hint: 'Install it: apt-get install -y mariadb-client (or run `rdsctl doctor`).' })));
      child.on('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    signals.release();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * While the client runs, Ctrl-C belongs to it (the terminal sends SIGINT to both; the client cancels
 * the running statement): rdsctl exiting at once would leave the client orphaned on the terminal and the
 * option file with the password behind. SIGTERM/SIGHUP end both: the CLI's signal handler runs this
 * cleanup (file first, then the same signal to the client) and exits 143 / 129.
 */
function holdSignals(child: ChildProcess, dir: string): { release(): void } {
  return armGuard({
    ownsCtrlC: true,
    cleanup: async (signal) => {
      rmSync(dir, { recursive: true, force: true });
      if (signal !== 'EPIPE') child.kill(signal);
    },
  });
}

/** Option-file values: quote and escape so any password character survives. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
