import type { DBInstance } from '@aws-sdk/client-rds';
import { conflictError, usageError } from '../core/errors.js';
import { notServing } from '../core/instance-state.js';
import { gtidDistance } from '../core/gtid.js';
import { parseDsn } from '../db/dsn.js';
import { gtidPosition, replicaStatus, type ReplicaStatus } from '../db/replication.js';
import { openSession, type DbTarget } from '../db/session.js';
import { resolveDbTarget, type ConnectionRequest } from './analyze-target.js';
import type { Fleet } from './replicas.js';
import type { VerifyTargets } from './replicas-verify.js';

/**
 * SQL endpoints of a primary and its replicas: from the RDS API (the replicas share the primary's master
 * user, password and TLS trust; only the endpoint differs), or from DSNs (--dsn + --replica-dsn).
 */
export async function instanceTargets(req: ConnectionRequest, fleet: Fleet): Promise<VerifyTargets> {
  const { db } = await resolveDbTarget({ ...req, instanceId: fleet.primary.DBInstanceIdentifier, database: undefined });
  const primary: DbTarget = { ...db, database: undefined };
  const replicas = fleet.replicas.map((r) => {
    // The one "takes connections" rule, before anything connects (a replica being created has no endpoint yet).
    const refusal = notServing(r.DBInstanceIdentifier!, r.DBInstanceStatus) ?? (r.Endpoint?.Address ? undefined
      : conflictError('REPLICA_NO_ENDPOINT', `Read replica ${r.DBInstanceIdentifier} has no endpoint yet.`, { hint: `Wait for it: \`rdsctl describe ${r.DBInstanceIdentifier}\`.` }));
    if (refusal) throw conflictError(refusal.code, `Read replica ${refusal.message}`, { hint: refusal.hint });
    return { id: r.DBInstanceIdentifier!, target: replicaTarget(primary, r) };
  });
  return { primary, replicas, sourceId: fleet.primary.DBInstanceIdentifier };
}

function replicaTarget(primary: DbTarget, r: DBInstance): DbTarget {
  const host = r.Endpoint?.Address ?? '';
  const port = r.Endpoint?.Port ?? 3306;
  return { ...primary, host, port, label: `mysql://${primary.user}@${host}:${port}/ (${r.DBInstanceIdentifier})` };
}

export async function dsnTargets(dsn: string, replicaDsns: string[], password: () => Promise<string | undefined>): Promise<VerifyTargets> {
  if (!replicaDsns.length) {
    throw usageError('REPLICA_DSN_REQUIRED', '--dsn names the primary; name each replica with --replica-dsn.', {
      hint: 'e.g. --dsn mysql://admin@primary:3306/ --replica-dsn mysql://admin@replica:3306/ (password in RDSCTL_DB_PASSWORD)',
    });
  }
  const p = parseDsn(dsn);
  const primary = p.password ? p : { ...p, password: await password() };
  const replicas = replicaDsns.map((d, i) => {
    const t = parseDsn(d);
    return { id: `replica-${i + 1}`, target: { ...t, password: t.password ?? primary.password } };
  });
  return { primary, replicas };
}

export interface ReplicaSqlView {
  id: string;
  status?: ReplicaStatus;
  gtidDistance?: number;
  /** Why the numbers are missing (unreachable, not replicating …). */
  problem?: string;
}

/** Lag over SQL: each replica's status row, and how many transactions it is behind the primary's GTID position. */
export async function sqlLag(t: VerifyTargets): Promise<ReplicaSqlView[]> {
  let primaryPos: string | undefined;
  try {
    const p = await openSession(t.primary);
    primaryPos = await gtidPosition(p, 'primary').finally(() => p.close());
  } catch {
    primaryPos = undefined;
  }
  return Promise.all(t.replicas.map(async (r) => {
    try {
      const s = await openSession(r.target);
      try {
        const status = await replicaStatus(s);
        const pos = await gtidPosition(s, 'replica');
        return { id: r.id, status, gtidDistance: gtidDistance(primaryPos, pos), problem: status ? undefined : 'not replicating' };
      } finally {
        await s.close();
      }
    } catch (err) {
      return { id: r.id, problem: `unreachable over SQL: ${(err as Error).message.split('\n')[0]}` };
    }
  }));
}
