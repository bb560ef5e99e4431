import { spawn, type ChildProcess } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { requireBinary } from '../../system/binaries.js';
import { adminUser } from './admin.js';
import { run } from './exec.js';
import type { InstancePaths } from './types.js';

/**
 * Continuous binlog archiving (docs/BACKUPS.md, "Binlog archive"): `mariadb-binlog -R --raw --stop-never`
 * reads the binlog through the server (so encrypt_binlog=ON files arrive decrypted, as a replica gets
 * them) and writes each file byte for byte into the archive folder, following rotations. It exits when
 * mariadbd goes away; the control plane starts it again from the newest archived file, re-fetching it whole.
 */
export function startBinlogStream(paths: InstancePaths, dir: string, firstFile: string): ChildProcess {
  return spawn(requireBinary('mariadb-binlog'), [
    '--no-defaults', `--socket=${paths.socket}`, `--user=${adminUser()}`,
    '--read-from-remote-server', '--raw', '--stop-never', `--result-file=${dir}/`, firstFile,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** One archived transaction: its GTID and the second its commit was logged (epoch seconds, UTC). */
export interface ArchivedTrx {
  gtid: string;
  second: number;
}

const HEADER = /^#(\d\d)(\d\d)(\d\d) +(\d?\d):(\d\d):(\d\d) server id \d+ +end_log_pos \d+.*\tGTID (\d+-\d+-\d+)/;

/**
 * Pure: the transactions of `mariadb-binlog` output, in binlog order. The event header's time is the
 * GTID event's, which is the committing statement's start time (what NOW() returned in it); the tool
 * prints it in its own zone, so it runs with TZ=UTC.
 */
export function parseTransactions(text: string): ArchivedTrx[] {
  const out: ArchivedTrx[] = [];
  for (const line of text.split('\n')) {
    const m = HEADER.exec(line);
    if (!m) continue;
    const [, yy, mo, dd, hh, mi, ss, gtid] = m;
    out.push({ gtid, second: Date.UTC(2000 + Number(yy), Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss)) / 1000 });
  }
  return out;
}

/** The transactions of binlog files (plain, not sealed). A file still being written may end in half an event: what is complete counts. */
export async function readTransactions(files: string[]): Promise<ArchivedTrx[]> {
  if (files.length === 0) return [];
  const text = await runTolerant(requireBinary('mariadb-binlog'), ['--no-defaults', ...files]);
  return parseTransactions(text);
}

/** stdout whatever the exit code: mariadb-binlog stops with an error at a truncated last event, after printing the rest. */
function runTolerant(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(out).toString('utf8')));
  });
}

/**
 * Replays archived binlogs into a running node: every transaction after `startGtid` (exclusive; empty:
 * from the first file) up to `stopGtid` (inclusive), as the admin account over the socket. The GTIDs are
 * kept (mariadb-binlog writes SET gtid_seq_no), so the node's gtid_binlog_pos proves what was applied.
 */
export async function replayBinlogs(node: InstancePaths, files: string[], startGtid: string, stopGtid: string): Promise<void> {
  const args = ['--no-defaults', ...(startGtid ? [`--start-position=${startGtid}`] : []), `--stop-position=${stopGtid}`, ...files];
  await new Promise<void>((resolve, reject) => {
    const reader = spawn(requireBinary('mariadb-binlog'), args, { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const client = spawn(requireBinary('mariadb'), ['--no-defaults', `--socket=${node.socket}`, `--user=${adminUser()}`, '--binary-mode'], { stdio: ['pipe', 'ignore', 'pipe'] });
    const errors: string[] = [];
    reader.stderr.on('data', (d: Buffer) => errors.push(`mariadb-binlog: ${d}`));
    client.stderr.on('data', (d: Buffer) => errors.push(`mariadb: ${d}`));
    reader.stdout.pipe(client.stdin);
    client.stdin.on('error', () => undefined);
    reader.on('error', reject);
    client.on('error', reject);
    client.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`binlog replay failed (mariadb exit ${code}): ${errors.join(' ').trim().slice(0, 500)}`))));
  });
}

/** The server's binlog files, oldest first (SHOW BINARY LOGS). */
export async function serverBinlogs(paths: InstancePaths): Promise<string[]> {
  const text = await run(requireBinary('mariadb'), ['--no-defaults', `--socket=${paths.socket}`, `--user=${adminUser()}`, '-N', '-B', '-e', 'SHOW BINARY LOGS'], { timeoutMs: 10_000 });
  return text.split('\n').map((l) => l.split('\t')[0]).filter(Boolean);
}

/** Where the server writes now (SHOW MASTER STATUS): file and position. */
export async function masterPosition(paths: InstancePaths): Promise<{ file: string; position: number } | undefined> {
  const text = await run(requireBinary('mariadb'), ['--no-defaults', `--socket=${paths.socket}`, `--user=${adminUser()}`, '-N', '-B', '-e', 'SHOW MASTER STATUS'], { timeoutMs: 10_000 });
  const [file, pos] = text.trim().split('\t');
  return file ? { file, position: Number(pos) } : undefined;
}

/** Closes the current binlog file and opens the next (so the archive can seal the closed one). */
export async function rotateBinlog(paths: InstancePaths): Promise<void> {
  await run(requireBinary('mariadb'), ['--no-defaults', `--socket=${paths.socket}`, `--user=${adminUser()}`, '-e', 'FLUSH BINARY LOGS'], { timeoutMs: 10_000 });
}

/** A sealed segment: 12-byte IV, 16-byte GCM tag, then the ciphertext (AES-256-GCM under the instance's backup key). */
export function sealFile(plain: string, sealed: string, key: Buffer): void {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(fs.readFileSync(plain)), cipher.final()]);
  const tmp = `${sealed}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  fs.writeSync(fd, Buffer.concat([iv, cipher.getAuthTag(), body]));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, sealed);
  fs.rmSync(plain, { force: true });
  const dirFd = fs.openSync(path.dirname(sealed), 'r');
  fs.fsyncSync(dirFd);
  fs.closeSync(dirFd);
}

/** Opens a sealed segment into `plain` (0600); throws when the tag does not match (tampered or wrong key). */
export function unsealFile(sealed: string, plain: string, key: Buffer): void {
  const data = fs.readFileSync(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(12, 28));
  fs.writeFileSync(plain, Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]), { mode: 0o600 });
}
