/**
 * GTID positions as text, pure. MariaDB: `domain-server-seq` per replication domain, comma separated
 * (@@gtid_binlog_pos, @@gtid_slave_pos). MySQL 8: `uuid:1-100:102,uuid2:1-5` (@@gtid_executed).
 */

/** MariaDB: domain → highest sequence number. */
function mariadbSeqs(pos: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of pos.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)-\d+-(\d+)$/.exec(part);
    if (m) out.set(m[1]!, Math.max(out.get(m[1]!) ?? 0, Number(m[2])));
  }
  return out;
}

/** MySQL: uuid → number of transactions in the set. */
function mysqlCounts(set: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of set.replace(/\s+/g, '').split(',').filter(Boolean)) {
    const [uuid, ...ranges] = part.split(':');
    let n = 0;
    for (const r of ranges) {
      const [a, b] = r.split('-').map(Number);
      n += (b ?? a!) - a! + 1;
    }
    out.set(uuid!.toLowerCase(), (out.get(uuid!.toLowerCase()) ?? 0) + n);
  }
  return out;
}

/**
 * How many transactions the primary has that the replica has not applied yet (0 when caught up or ahead).
 * undefined when a position cannot be read.
 */
export function gtidDistance(primary: string | undefined, replica: string | undefined): number | undefined {
  if (primary === undefined || replica === undefined) return undefined;
  const mysql = primary.includes(':') || replica.includes(':');
  const p = mysql ? mysqlCounts(primary) : mariadbSeqs(primary);
  const r = mysql ? mysqlCounts(replica) : mariadbSeqs(replica);
  let behind = 0;
  for (const [key, n] of p) behind += Math.max(0, n - (r.get(key) ?? 0));
  return behind;
}
