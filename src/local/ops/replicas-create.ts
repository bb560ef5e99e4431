import { mkdir } from 'node:fs/promises';
import { rdsArnName } from '../../core/arn.js';
import { copyDatadir, copyKeys } from '../engine/backup.js';
import { tlsFiles } from '../engine/config.js';
import { configureReplica, createReplicationUser, replicaStatus } from '../engine/replication.js';
import type { OpHandler, FlatParams } from '../server/types.js';
import { randomFrom } from '../state/credentials.js';
import { setServingPid, type InstanceRecord } from '../state/registry.js';
import { writeReplicationSecret, readReplicationSecret } from '../state/replication-secrets.js';
import { readSecret, writeSecret } from '../state/secrets.js';
import { storageKeyArn } from './arns.js';
import type { OpsContext } from './context.js';
import { instanceExists, instanceNotFound, instanceQuota, invalidCombination, invalidState } from './faults.js';
import { generatePassword, nextServerId } from './instances-create.js';
import { renderInstance, type InstanceResult } from './instances-render.js';
import { checkIdentifier, checkInstanceClass, checkPort, INSTANCE_QUOTA } from './instances-validate.js';
import { bool, int, required, str, tags } from './params.js';
import { releaseReservation } from './ports.js';
import { choosePort, refusePlacement } from './placement.js';
import { readMonitoring } from './monitoring.js';
import { chainDepth, classify, MAX_CHAIN_DEPTH, MAX_REPLICAS, replicasOf, replicaFields } from './replicas-status.js';

/** Parameters the local endpoint honours; any other is refused rather than silently ignored. */
const HONOURED = new Set([
  'Action', 'Version', 'DBInstanceIdentifier', 'SourceDBInstanceIdentifier', 'DBInstanceClass', 'Port',
  'DeletionProtection', 'CopyTagsToSnapshot', 'AutoMinorVersionUpgrade', 'MultiAZ', 'PubliclyAccessible', 'AvailabilityZone',
  'MonitoringInterval', 'MonitoringRoleArn',
]);

function refuseUnhonoured(flat: FlatParams): void {
  for (const [k, v] of Object.entries(flat)) {
    if (HONOURED.has(k) || k.startsWith('Tags.') || v === '') continue;
    throw invalidCombination(`The local endpoint does not support ${k} on CreateDBInstanceReadReplica; omit it (the replica takes its source's settings).`);
  }
  refusePlacement(flat, 'a read replica');
}

function loadSource(ctx: OpsContext, param: string): InstanceRecord {
  const name = rdsArnName(param.toLowerCase(), 'db')?.name ?? param.toLowerCase();
  const source = ctx.registry.get(name);
  if (!source) throw instanceNotFound(param);
  if (source.status !== 'available') throw invalidState(`DB Instance ${source.id} is not in available state (it is ${source.status}).`);
  if (source.backupRetentionPeriod === 0) {
    throw invalidState(`Automated backups are not enabled for DB instance ${source.id}. To create a read replica, use ModifyDBInstance to set its backup retention period to a non-zero value.`);
  }
  if (replicasOf(ctx, source.id).length >= MAX_REPLICAS) {
    throw instanceQuota(`DB instance ${source.id} already has ${MAX_REPLICAS} read replicas, the most RDS allows for one source.`);
  }
  if (chainDepth(ctx, source) >= MAX_CHAIN_DEPTH) {
    throw invalidState(`Cannot create a read replica of ${source.id}: it is already at replication depth ${MAX_CHAIN_DEPTH}, and a chain may have at most ${MAX_CHAIN_DEPTH + 1} instances.`);
  }
  return source;
}

/** The replica: its source's settings, its own node of role replica, its own endpoint; no backups of its own (RDS: retention 0). */
function replicaRecord(ctx: OpsContext, flat: FlatParams, id: string, source: InstanceRecord, port: number): InstanceRecord {
  return {
    ...structuredClone(source),
    id, dbiResourceId: `db-${randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 26)}`,
    instanceClass: checkInstanceClass(str(flat, 'DBInstanceClass') ?? source.instanceClass, source.engine),
    port, nodes: [{ id, role: 'replica', port, serverId: nextServerId(ctx) }], source: source.id,
    // Encrypted with the source's key (RDS: the source's KMS key in the same region), shown as such.
    kmsKeyId: source.storageEncrypted ? storageKeyArn(source.kmsKeyId) : undefined,
    // RDS does not manage a read replica's master password: it is its source's, replicated (no MasterUserSecret).
    manageMasterUserPassword: false, masterUserSecretArn: undefined,
    // RDS: the replica's own Enhanced Monitoring, 0 unless asked (not the source's); ModifyDBInstance's rule.
    monitoringInterval: undefined, monitoringRoleArn: undefined, ...readMonitoring(flat, {}),
    backupRetentionPeriod: 0, deletionProtection: bool(flat, 'DeletionProtection') ?? false,
    copyTagsToSnapshot: bool(flat, 'CopyTagsToSnapshot') ?? false, tags: tags(flat),
    createTime: new Date().toISOString(), status: 'creating', statusReason: undefined, desiredState: 'running',
    initCompleted: false, pending: {}, pendingOptionGroupName: undefined, readOnlyForStorage: undefined, lastStorageChange: undefined,
  };
}

/** CreateDBInstanceReadReplica: validates, records `creating`, answers; the copy runs in a job on source + replica. */
export function createDBInstanceReadReplica(ctx: OpsContext): OpHandler<InstanceResult> {
  return async (req) => {
    const id = checkIdentifier(required(req.flat, 'DBInstanceIdentifier'));
    const sourceParam = required(req.flat, 'SourceDBInstanceIdentifier');
    refuseUnhonoured(req.flat);
    const wantedPort = checkPort(int(req.flat, 'Port'));
    const source = loadSource(ctx, sourceParam);
    if (ctx.registry.get(id)) throw instanceExists(id);
    if (ctx.registry.list().length >= INSTANCE_QUOTA) throw instanceQuota(`You have reached the DB instance quota (${INSTANCE_QUOTA}) of this endpoint.`);
    replicaRecord(ctx, req.flat, id, source, 0); // validates the class before a port is claimed
    const port = await choosePort(ctx, wantedPort);
    let rec: InstanceRecord;
    try {
      if (ctx.registry.get(id)) throw instanceExists(id);
      rec = replicaRecord(ctx, req.flat, id, loadSource(ctx, sourceParam), port);
      const master = readSecret(ctx.home, source.id);
      if (master) writeSecret(ctx.home, id, { username: master.username, password: master.password, managed: master.managed });
      writeReplicationSecret(ctx.home, id, { username: `rdsrepl_${id}`, password: generatePassword() });
      ctx.registry.save(rec);
    } finally {
      releaseReservation(port);
    }
    ctx.event(id, `DB instance created as a read replica of ${source.id}`, ['creation', 'read replica']);
    void ctx.jobs.run([id, source.id], () => runCreateReplica(ctx, id));
    return { DBInstance: { ...renderInstance(rec, ctx.caValidTill), ...replicaFields(ctx, rec) } };
  };
}

const CONNECT_RETRY_S = 2;
const REPLICATING_TIMEOUT_MS = 120_000;
/** A connection error that outlasts a few retries (TLS, auth) fails the creation with the server's message. */
const IO_ERROR_GRACE_MS = 15_000;

export async function runCreateReplica(ctx: OpsContext, id: string): Promise<void> {
  const rec = ctx.registry.get(id);
  const source = rec?.source ? ctx.registry.get(rec.source) : undefined;
  const user = readReplicationSecret(ctx.home, id);
  if (!rec || !user) return;
  if (!source) throw new Error(`the source instance ${rec.source} is gone`);
  const paths = ctx.paths(id);
  const sourcePaths = ctx.paths(source.id);
  try {
    await mkdir(paths.serverRoot, { recursive: true, mode: 0o700 });
    if (rec.storageEncrypted) await copyKeys(sourcePaths, paths);
    const gtid = await copyDatadir(sourcePaths, paths, source.source !== undefined);
    await ctx.engine.writeConfig(paths, ctx.spec(rec));
    const { pid } = await ctx.engine.start(paths, ctx.spec(rec));
    ctx.registry.update(id, (r) => setServingPid(r, pid));
    await createReplicationUser(sourcePaths, user);
    // The replica's own copy of the home CA: mariadbd (the service account) cannot read the home's ca/ folder.
    await configureReplica(paths, { port: source.port, caFile: tlsFiles(paths).ca, user, connectRetry: CONNECT_RETRY_S }, gtid);
    await waitReplicating(ctx, id);
    ctx.registry.update(id, (r) => {
      r.initCompleted = true;
      if (r.status === 'creating') r.status = 'available';
    });
    ctx.event(id, `Read replica of ${source.id} is available and replicating from GTID ${gtid || '(start)'} (mariadbd pid ${pid}, port ${rec.port})`, ['availability', 'read replica']);
  } catch (err) {
    await ctx.engine.stop(paths).catch(() => undefined);
    throw err;
  }
}

/** Until both threads run; a replication error fails the creation with the server's own message. */
async function waitReplicating(ctx: OpsContext, id: string): Promise<void> {
  const deadline = Date.now() + REPLICATING_TIMEOUT_MS;
  let ioErrorSince: number | undefined;
  for (;;) {
    const st = await replicaStatus(ctx.paths(id));
    const state = classify(st);
    if (state.status === 'replicating') {
      ctx.replication.set(id, { ...state, secondsBehind: st.secondsBehind, gtidDistance: null, sampledAt: new Date() });
      return;
    }
    if (state.status === 'error' && st.lastSqlError) throw new Error(`replication failed: ${state.message}`);
    ioErrorSince = st.lastIoError ? (ioErrorSince ?? Date.now()) : undefined;
    if (ioErrorSince !== undefined && Date.now() - ioErrorSince > IO_ERROR_GRACE_MS) throw new Error(`replication could not connect to the source: ${st.lastIoError}`);
    if (Date.now() > deadline) throw new Error(`replication did not start within ${REPLICATING_TIMEOUT_MS / 1000}s: ${state.message ?? st.ioRunning}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
