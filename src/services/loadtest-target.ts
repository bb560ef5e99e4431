import type { DBInstance } from '@aws-sdk/client-rds';
import { conflictError, usageError } from '../core/errors.js';
import { notServing } from '../core/instance-state.js';
import { labelWithDatabase, parseDsn } from '../db/dsn.js';
import type { DbTarget } from '../db/session.js';
import { resolveDbTarget, type ConnectionRequest } from './analyze-target.js';
import { describeInstance } from './instances.js';

export interface LoadTargetRequest extends Omit<ConnectionRequest, 'database'> {
  database?: string;
  /** Reads to the instance's read replicas (found through DescribeDBInstances), writes to the primary. */
  readReplicas?: boolean;
  /** Servers that take the reads when there is no RDS instance to ask (--replica-dsn, with --dsn). */
  replicaDsns?: string[];
}

/** `instanceId`: the DB instance behind `primary` (absent with --dsn), so messages can name it. */
export interface LoadTargets { primary: DbTarget; replicas: DbTarget[]; database: string; instanceId?: string }

export const DEFAULT_DATABASE = 'loadtest';

/** An instance that takes no connections gets the one wrong-state error (core's rule, exit 5) before anything connects. */
function requireServing(db: DBInstance, what: string): void {
  const refusal = notServing(db.DBInstanceIdentifier ?? '?', db.DBInstanceStatus);
  if (refusal) throw conflictError(refusal.code, `${what} ${refusal.message}`, { hint: refusal.hint });
}

/** Where the load goes: the primary (instance or --dsn) and, with --read-replicas, every replica. */
export async function resolveLoadTargets(req: LoadTargetRequest): Promise<LoadTargets> {
  if (!req.instanceId && !req.dsn) {
    throw usageError('NO_DATABASE', 'Name the server to load.', { hint: 'Pass an instance id (rdsctl list), or --dsn mysql://user@host:port/ (password in RDSCTL_DB_PASSWORD).' });
  }
  if (req.readReplicas && !req.instanceId) {
    throw usageError('READ_REPLICAS_NEED_INSTANCE', '--read-replicas finds the replicas through the RDS API, so it needs an instance id, not --dsn.', {
      hint: 'Pass the instance id, or keep --dsn and name the read servers with --replica-dsn.' });
  }
  if (req.replicaDsns?.length && req.instanceId) {
    throw usageError('REPLICA_DSN_NEEDS_DSN', '--replica-dsn goes with --dsn; for an instance use --read-replicas.', { hint: 'Drop --replica-dsn, or use --dsn for the primary.' });
  }
  let described: DBInstance | undefined;
  if (req.instanceId) {
    described = await describeInstance(await req.rds!(), req.instanceId);
    requireServing(described, 'DB instance');
  }
  // Replicas are found before any password is asked for: a missing replica is the first thing to say.
  const replicaEndpoints = described && req.readReplicas ? await discoverReplicas(req, described) : undefined;
  const dsnDb = req.dsn ? parseDsn(req.dsn).database : undefined;
  const database = req.database ?? dsnDb ?? DEFAULT_DATABASE;
  // The database is created by prepare, so connect without one; sessions pick it with USE.
  const { db } = await resolveDbTarget({ ...req, database: undefined });
  // Labels name the store's database, the one every session USEs (not the instance's DBName or the DSN's).
  const primary: DbTarget = { ...db, database: undefined, label: labelWithDatabase(db.label, database) };
  if (replicaEndpoints) {
    // Replicas share the primary's master user, password and TLS trust; only the endpoint differs.
    const replicas = replicaEndpoints.map((r) => ({ ...primary, host: r.host, port: r.port, label: `mysql://${primary.user}@${r.host}:${r.port}/${database} (${r.id})` }));
    return { primary, database, replicas, instanceId: req.instanceId };
  }
  const replicas = (req.replicaDsns ?? []).map((dsn) => {
    const t = parseDsn(dsn);
    return { ...t, database: undefined, password: t.password ?? primary.password, label: labelWithDatabase(t.label, database) };
  });
  return { primary, replicas, database, instanceId: req.instanceId };
}

/** Each replica's endpoint, from ReadReplicaDBInstanceIdentifiers and one DescribeDBInstances per replica. */
async function discoverReplicas(req: LoadTargetRequest, primary: DBInstance): Promise<Array<{ id: string; host: string; port: number }>> {
  const ids = primary.ReadReplicaDBInstanceIdentifiers ?? [];
  if (!ids.length) {
    throw conflictError('NO_READ_REPLICAS', `DB instance ${primary.DBInstanceIdentifier} has no read replicas, so --read-replicas has nowhere to send reads.`, {
      hint: 'Run without --read-replicas (everything goes to the primary), or create a read replica first.' });
  }
  const rds = await req.rds!();
  const out: Array<{ id: string; host: string; port: number }> = [];
  for (const id of ids) {
    const r = await describeInstance(rds, id);
    requireServing(r, 'Read replica');
    if (!r.Endpoint?.Address) throw conflictError('REPLICA_NO_ENDPOINT', `Read replica ${id} has no endpoint yet.`, { hint: `Wait for it: \`rdsctl describe ${id}\`.` });
    out.push({ id: r.DBInstanceIdentifier ?? id, host: r.Endpoint.Address, port: r.Endpoint.Port ?? 3306 });
  }
  return out;
}
