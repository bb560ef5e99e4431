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

const GTID_EVENT = 162;
const HEADER_LEN = 19;

/**
 * Pure: the GTID events of binlog bytes (format v4: 4-byte magic, then events with a 19-byte header —
 * timestamp u32, type u8, server_id u32, length u32, next position u32, flags u16 — all little-endian;
 * a GTID event's body starts with seq_no u64 and domain_id u32). `from` is where to start (4: after the
 * magic); returns the transactions and where the last complete event ends (a file still being written
 * may end in half an event: the next scan starts there). Reading the headers is what `mariadb-binlog`
 * prints as `#YYMMDD HH:MM:SS server id N … GTID d-s-n` (the same fields), without decoding every row.
 */
export function scanGtids(buf: Buffer, from = 4): { trxs: ArchivedTrx[]; end: number } {
  const trxs: ArchivedTrx[] = [];
  let at = Math.max(4, from);
  while (at + HEADER_LEN <= buf.length) {
    const length = buf.readUInt32LE(at + 9);
    if (length < HEADER_LEN || at + length > buf.length) break;
    if (buf[at + 4] === GTID_EVENT && length >= HEADER_LEN + 12) {
      const seq = buf.readBigUInt64LE(at + HEADER_LEN);
      const domain = buf.readUInt32LE(at + HEADER_LEN + 8);
      trxs.push({ gtid: `${domain}-${buf.readUInt32LE(at + 5)}-${seq}`, second: buf.readUInt32LE(at) });
    }
    at += length;
  }
  return { trxs, end: at };
}

/** Per file: how far it was scanned and what it held (the newest file grows; a re-fetched one starts again). */
const scanned = new Map<string, { size: number; end: number; trxs: ArchivedTrx[] }>();

/** The transactions of one plain binlog file, scanning only what was appended since the last call. */
export function readTransactionsOf(file: string): ArchivedTrx[] {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    scanned.delete(file);
    return [];
  }
  const seen = scanned.get(file);
  if (seen && seen.size === size) return seen.trxs;
  const start = seen && size > seen.size ? seen.end : 4;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - start + 4);
    fs.readSync(fd, buf, 4, size - start, start);
    const { trxs, end } = scanGtids(buf, 4);
    const all = [...(start === 4 ? [] : seen!.trxs), ...trxs];
    scanned.set(file, { size, end: start + end - 4, trxs: all });
    return all;
  } finally {
    fs.closeSync(fd);
  }
}

/** The transactions of binlog files (plain, not sealed), in order. */
export async function readTransactions(files: string[]): Promise<ArchivedTrx[]> {
  return files.flatMap((f) => readTransactionsOf(f));
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
