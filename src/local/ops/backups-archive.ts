import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Trx } from '../../core/pitr.js';
import {
  masterPosition, readTransactions, rotateBinlog, sealFile, serverBinlogs, startBinlogStream, unsealFile,
} from '../engine/binlog-archive.js';
import type { InstanceRecord } from '../state/registry.js';
import { backupFiles, backupKey, backupStore, ensureBackupFiles } from './backups-store.js';
import type { OpsContext } from './context.js';

/** One archiver per running primary with retention > 0 (in memory: a control-plane restart starts them again). */
interface Archiver {
  child?: ChildProcess;
  dbi: string;
  /** Every commit in a second ≤ this (epoch s) is archived; set while the archive has caught up with the server. */
  throughSecond?: number;
  persistedAt: number;
  rotatedAt: number;
}

const archivers = new WeakMap<OpsContext, Map<string, Archiver>>();

export function archiversOf(ctx: OpsContext): Map<string, Archiver> {
  let m = archivers.get(ctx);
  if (!m) archivers.set(ctx, (m = new Map()));
  return m;
}

const FILE = /^binlog\.\d{6,}$/;

/** The archived files, oldest first: plain names and sealed ones (`<name>.sealed`), by binlog name. */
export function archivedFiles(dir: string): { name: string; sealed: boolean }[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out = new Map<string, boolean>();
  for (const n of names) {
    if (FILE.test(n)) out.set(n, out.get(n) ?? false);
    else if (n.endsWith('.sealed') && FILE.test(n.slice(0, -7))) out.set(n.slice(0, -7), true);
  }
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, sealed]) => ({ name, sealed }));
}

/** Starts the archiver from the newest archived file (re-fetched whole), or from the server's oldest when the archive is empty or that file is gone (a gap). */
export async function startArchiver(ctx: OpsContext, rec: InstanceRecord, a: Archiver): Promise<void> {
  const files = ensureBackupFiles(ctx.home, rec.dbiResourceId);
  const paths = ctx.paths(rec.id);
  const onServer = await serverBinlogs(paths);
  if (onServer.length === 0) return;
  const newest = archivedFiles(files.binlogs).at(-1)?.name;
  let first = newest ?? onServer[0];
  if (newest && !onServer.includes(newest)) {
    const next = onServer.find((f) => f > newest);
    first = next ?? onServer[0];
    // The files between are gone from the server: the GTID check of the index (core/pitr.ts gapsIn) cuts the window there.
    if (next !== `binlog.${String(Number(newest.slice(7)) + 1).padStart(6, '0')}`) recordGap(ctx, rec, `binlog files after ${newest} were purged before they were archived`);
  }
  const child = startBinlogStream(paths, files.binlogs, first);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-500); });
  child.on('exit', (code, signal) => {
    if (a.child === child) a.child = undefined;
    a.throughSecond = undefined;
    ctx.log.info(`binlog archiver of ${rec.id} exited (${signal ?? code}): ${stderr.trim()}`);
  });
  a.child = child;
  ctx.log.info(`binlog archiver of ${rec.id} started at ${first} (pid ${child.pid})`);
}

export function recordGap(ctx: OpsContext, rec: InstanceRecord, reason: string): void {
  const store = backupStore(ctx.home);
  const b = store.get(rec.dbiResourceId);
  if (b) store.save({ ...b, gaps: [...b.gaps, { found: new Date().toISOString(), reason }] });
  ctx.event(rec.id, `Binlog archive gap: ${reason}; the restore window now starts after it`, ['backup', 'failure']);
}

/**
 * The checkpoint: when the archive's newest file has every byte the server has written (SHOW MASTER
 * STATUS), everything committed up to now is archived. Two seconds are taken off: a commit's binlog
 * time is its statement's start, which can precede its write by a little.
 */
export async function checkpoint(ctx: OpsContext, rec: InstanceRecord, a: Archiver): Promise<void> {
  const at = Date.now();
  const pos = await masterPosition(ctx.paths(rec.id));
  if (!pos) return;
  const file = path.join(backupFiles(ctx.home, rec.dbiResourceId).binlogs, pos.file);
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size < pos.position) return;
  a.throughSecond = Math.floor(at / 1000) - 2;
  if (at - a.persistedAt > 10_000) {
    a.persistedAt = at;
    const store = backupStore(ctx.home);
    const b = store.get(rec.dbiResourceId);
    if (b) store.save({ ...b, archivedThrough: new Date(a.throughSecond * 1000).toISOString() });
  }
}

/** RDS rotates binlogs every 5 minutes; here too for encrypted instances, so the plain newest file is short-lived (RDSCTL_BINLOG_ROTATE_MS). */
export function rotateMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.RDSCTL_BINLOG_ROTATE_MS);
  return Number.isFinite(v) && v > 0 ? v : 300_000;
}

/** Closed files (all but the newest): their transaction index is written once; an encrypted instance's are sealed. */
export async function closeSegments(ctx: OpsContext, rec: InstanceRecord, a: Archiver): Promise<void> {
  const files = backupFiles(ctx.home, rec.dbiResourceId);
  if (rec.storageEncrypted && Date.now() - a.rotatedAt > rotateMs()) {
    a.rotatedAt = Date.now();
    await rotateBinlog(ctx.paths(rec.id));
  }
  await closeFiles(ctx.home, rec, archivedFiles(files.binlogs).slice(0, -1));
}

/** The instance is gone (backups retained): the newest file is closed too. */
export async function sealAll(home: string, rec: InstanceRecord): Promise<void> {
  await closeFiles(home, rec, archivedFiles(backupFiles(home, rec.dbiResourceId).binlogs));
}

async function closeFiles(home: string, rec: InstanceRecord, list: { name: string; sealed: boolean }[]): Promise<void> {
  const dir = backupFiles(home, rec.dbiResourceId).binlogs;
  for (const f of list) {
    const plain = path.join(dir, f.name);
    const index = `${plain}.trx.json`;
    if (!fs.existsSync(index) && !f.sealed) fs.writeFileSync(index, JSON.stringify(await readTransactions([plain])), { mode: 0o600 });
    if (rec.storageEncrypted && !f.sealed) sealFile(plain, `${plain}.sealed`, backupKey(home, rec.dbiResourceId));
  }
}

/** The archive's transactions in binlog order: closed files from their index, the newest read now. */
export async function archiveIndex(home: string, dbi: string): Promise<{ trxs: Trx[]; files: { name: string; sealed: boolean; trxs: Trx[] }[] }> {
  const dir = backupFiles(home, dbi).binlogs;
  const out: { name: string; sealed: boolean; trxs: Trx[] }[] = [];
  for (const f of archivedFiles(dir)) {
    const plain = path.join(dir, f.name);
    const cached = readIndex(`${plain}.trx.json`);
    out.push({ ...f, trxs: cached ?? (f.sealed ? [] : await readTransactions([plain])) });
  }
  return { trxs: out.flatMap((f) => f.trxs), files: out };
}

function readIndex(file: string): Trx[] | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Trx[];
  } catch {
    return undefined;
  }
}

/** The archived files as plain files for a replay: sealed ones opened into `scratch` (0700), plain ones read where they are. */
export function plainCopies(home: string, dbi: string, names: string[], scratch: string): string[] {
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const dir = backupFiles(home, dbi).binlogs;
  const sealed = new Set(archivedFiles(dir).filter((f) => f.sealed).map((f) => f.name));
  return names.map((n) => {
    const target = path.join(scratch, n);
    if (sealed.has(n)) unsealFile(path.join(dir, `${n}.sealed`), target, backupKey(home, dbi));
    else return path.join(dir, n);
    return target;
  });
}

/** Ends the archiver of an instance (stop, delete, retention 0, shutdown) and persists its checkpoint. */
export async function stopArchiver(ctx: OpsContext, id: string): Promise<void> {
  const a = archiversOf(ctx).get(id);
  if (!a) return;
  archiversOf(ctx).delete(id);
  const child = a.child;
  if (a.throughSecond !== undefined) {
    const store = backupStore(ctx.home);
    const b = store.get(a.dbi);
    if (b) store.save({ ...b, archivedThrough: new Date(a.throughSecond * 1000).toISOString() });
  }
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}
