import fs from 'node:fs';

/** pids (other than ours) whose command line contains `needle`, e.g. an instance's my.cnf path. */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(needle)) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends what a killed control plane left half-done for one instance (an orphaned mariadb-install-db and
 * its bootstrap mariadbd): SIGTERM, then SIGKILL after `graceMs`. Returns the pids it found.
 */
export async function stopStragglers(needle: string, graceMs = 10_000): Promise<number[]> {
  const pids = processesMentioning(needle);
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  pids.forEach((p) => signal(p, 'SIGTERM'));
  const deadline = Date.now() + graceMs;
  while (processesMentioning(needle).length > 0 && Date.now() < deadline) await sleep(100);
  processesMentioning(needle).forEach((p) => signal(p, 'SIGKILL'));
  return pids;
}
