import fs from 'node:fs';
import { portInUse } from '../../system/processes.js';

/**
 * Instance ports. An instance keeps its port for life (the endpoint must not move), so it is taken
 * below the kernel's ephemeral range: there no outgoing connection can grab it while the instance
 * is stopped. Ports being handed out but not yet saved in a record are reserved in memory.
 */
const reserved = new Set<number>();

export function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2000 ? low : 32768;
  } catch {
    return 32768;
  }
}

export async function portIsFree(port: number): Promise<boolean> {
  return !(await portInUse(port));
}

/** A port free on 127.0.0.1 now, not used by another instance, below the ephemeral range. */
export async function pickInstancePort(taken: Set<number>, range: [number, number] = [10000, ephemeralLow() - 1]): Promise<number> {
  const [lo, hi] = range;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = lo + Math.floor(Math.random() * (hi - lo + 1));
    if (taken.has(port) || reserved.has(port)) continue;
    reserved.add(port);
    if (await portIsFree(port)) return port;
    reserved.delete(port);
  }
  throw new Error(`no free port found on 127.0.0.1 between ${lo} and ${hi}`);
}

/** The port is now recorded in the instance's record (or the create was refused). */
export function releaseReservation(port: number): void {
  reserved.delete(port);
}

/** An explicit Port: free on the machine and not promised to another instance. */
export async function claimPort(port: number, taken: Set<number>): Promise<boolean> {
  if (taken.has(port) || reserved.has(port)) return false;
  reserved.add(port);
  if (await portIsFree(port)) return true;
  reserved.delete(port);
  return false;
}
