import { conflictError, usageError } from '../errors.js';
import { identifierProblem } from '../identifiers.js';

/** RDS: up to 15 read replicas per MySQL/MariaDB source. */
export const MAX_REPLICAS = 15;
/** RDS MySQL/MariaDB: a replication chain holds at most four instances (source + three cascaded levels). */
export const MAX_CHAIN = 4;

/** A replica as DescribeDBInstances shows it (only what the plan needs). */
export interface ExistingReplica {
  id: string;
  /** InstanceCreateTime; a replica still being created may have none yet (then it counts as the newest). */
  created?: Date | string;
  status?: string;
}

export interface ReplicaPlan {
  source: string;
  count: number;
  current: string[];
  create: string[];
  /** Newest first. */
  delete: string[];
}

/** `--count N`: an integer 0–15, else exit 2 naming the flag. */
export function parseReplicaCount(raw: string): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_REPLICAS) {
    throw usageError('INVALID_REPLICA_COUNT', `--count must be a whole number from 0 to ${MAX_REPLICAS} (RDS allows ${MAX_REPLICAS} read replicas per source), not "${raw}": nothing was changed.`, {
      hint: 'e.g. --count 2',
    });
  }
  return n;
}

/** The name of the k-th replica: `<prefix>-<k>`, the prefix defaulting to `<source>-replica`. */
export function replicaName(source: string, k: number, prefix?: string): string {
  return `${prefix ?? `${source}-replica`}-${k}`;
}

const time = (r: ExistingReplica) => (r.created === undefined ? Infinity : new Date(r.created).getTime());

/**
 * Pure: the replicas to create or delete so that `source` has `count` read replicas. New ones take the
 * lowest free k; scaling down removes the newest first (by InstanceCreateTime, then by name).
 * `chain` is the source's own ancestry (its source, that one's source …): a replica of a replica is allowed
 * while the chain stays within MAX_CHAIN instances.
 */
export function planReplicas(source: string, existing: ExistingReplica[], count: number, opts: { prefix?: string; chain?: string[] } = {}): ReplicaPlan {
  const current = existing.map((r) => r.id);
  const plan: ReplicaPlan = { source, count, current, create: [], delete: [] };
  if (count > existing.length) {
    const chain = opts.chain ?? [];
    if (chain.length + 2 > MAX_CHAIN) {
      throw conflictError('REPLICA_CHAIN_TOO_DEEP', `${source} is already the end of a replication chain of ${chain.length + 1} instances (${[...chain].reverse().join(' → ')} → ${source}); RDS allows ${MAX_CHAIN}: nothing was created.`, {
        hint: `Add replicas to the chain's primary instead: rdsctl scale-replicas ${chain[chain.length - 1]} --count ${count}`,
      });
    }
    const taken = new Set(current);
    for (let k = 1; plan.create.length < count - existing.length; k++) {
      const name = replicaName(source, k, opts.prefix);
      if (!taken.has(name)) plan.create.push(name);
    }
    const bad = plan.create.map((n) => [n, identifierProblem(n)] as const).find(([, p]) => p);
    if (bad) {
      throw usageError('INVALID_REPLICA_NAME', `The replica name "${bad[0]}" ${bad[1]}: nothing was created.`, {
        hint: 'Pass a shorter --prefix (letters, digits and hyphens, starting with a letter).',
      });
    }
  } else if (count < existing.length) {
    const newestFirst = [...existing].sort((a, b) => time(b) - time(a) || b.id.localeCompare(a.id, 'en', { numeric: true }));
    plan.delete = newestFirst.slice(0, existing.length - count).map((r) => r.id);
  }
  return plan;
}
