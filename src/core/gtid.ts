/**
 * MariaDB GTID positions ("domain-server-seq", comma-separated, one per domain): how many transactions
 * a replica still has to apply to reach its source's position. Pure.
 */
export function parseGtidPos(pos: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const part of pos.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)-(\d+)-(\d+)$/.exec(part);
    if (m) out.set(Number(m[1]), Number(m[3]));
  }
  return out;
}

/** Σ over the source's domains of (source seq − replica seq), never negative. */
export function gtidDistance(sourcePos: string, replicaPos: string): number {
  const replica = parseGtidPos(replicaPos);
  let total = 0;
  for (const [domain, seq] of parseGtidPos(sourcePos)) total += Math.max(0, seq - (replica.get(domain) ?? 0));
  return total;
}
