import fs from 'node:fs';
import type { RowDataPacket } from 'mysql2/promise';
import { withAdmin } from '../engine/admin.js';
import type { InstancePaths } from '../engine/types.js';

/** Linux's USER_HZ (CLK_TCK): /proc/<pid>/stat counts CPU time in these ticks; 100 on every Linux ABI we run on. */
export const CLK_TCK = 100;
export const PAGE_SIZE = 4096;

/** Cumulative counters of one mariadbd and its disk at one moment (monotonic, except rssBytes/binlogBytes/threads). */
export interface RawSample {
  at: number;
  cpuTicks: number;
  rssBytes: number;
  readBytes: number;
  writeBytes: number;
  /** Device-wide (/proc/diskstats of the data folder's block device): reads, ms reading, writes, ms writing, weighted ms in queue. */
  disk?: { reads: number; readMs: number; writes: number; writeMs: number; weightedMs: number };
  status: Record<string, number>;
  binlogBytes: number;
}

const STATUS = ['Threads_connected', 'Bytes_received', 'Bytes_sent', 'Innodb_data_reads', 'Innodb_data_writes'];

/** /proc/<pid>/stat fields 14 and 15 (utime, stime), counted after the last ')' (the command may hold spaces). */
export function parseCpuTicks(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

export function parseIo(text: string): { readBytes: number; writeBytes: number } {
  const get = (k: string) => Number(new RegExp(`^${k}:\\s*(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { readBytes: get('read_bytes'), writeBytes: get('write_bytes') };
}

/** The /proc/diskstats line of the block device holding `dir` (major:minor from stat), or undefined. */
export function diskOf(dir: string, diskstats = fs.readFileSync('/proc/diskstats', 'utf8')): RawSample['disk'] {
  const dev = fs.statSync(dir).dev;
  const major = Math.floor(dev / 256) & 0xfff;
  const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  for (const line of diskstats.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (Number(f[0]) !== major || Number(f[1]) !== minor) continue;
    return { reads: Number(f[3]), readMs: Number(f[6]), writes: Number(f[7]), writeMs: Number(f[10]), weightedMs: Number(f[13]) };
  }
  return undefined;
}

/** Reads one node: /proc for the process, the server's status as root over its socket (the master user has no SUPER). */
export async function readNode(paths: InstancePaths, pid: number): Promise<RawSample> {
  const at = Date.now();
  const cpuTicks = parseCpuTicks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const rssBytes = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
  const io = parseIo(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
  let disk: RawSample['disk'];
  try {
    disk = diskOf(paths.datadir);
  } catch {
    disk = undefined; // no /proc/diskstats line for this device (e.g. an overlay): no latency, no queue depth
  }
  const { status, binlogBytes } = await withAdmin(paths, async (c) => {
    const [rows] = await c.query<RowDataPacket[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS.map(() => '?').join(',')})`, STATUS);
    const st: Record<string, number> = {};
    for (const r of rows) st[String(r.Variable_name)] = Number(r.Value);
    let bytes = 0;
    try {
      const [logs] = await c.query<RowDataPacket[]>('SHOW BINARY LOGS');
      bytes = logs.reduce((a, r) => a + Number(r.File_size), 0);
    } catch {
      bytes = 0; // binary logging off
    }
    return { status: st, binlogBytes: bytes };
  });
  return { at, cpuTicks, rssBytes, readBytes: io.readBytes, writeBytes: io.writeBytes, disk, status, binlogBytes };
}
