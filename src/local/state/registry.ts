import { Store, storeDir } from './store.js';

/** What the control plane wants the process to be; survives control-plane restarts. */
export type DesiredState = 'running' | 'stopped' | 'deleted';

/** Changes waiting for the maintenance window (ApplyImmediately=false). */
export interface PendingChanges {
  DBInstanceClass?: string;
  AllocatedStorage?: number;
  BackupRetentionPeriod?: number;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** What a node (one mariadbd) does for its instance. */
export type NodeRole = 'primary' | 'replica' | 'standby' | 'restore';

/**
 * One mariadbd behind a DB instance. Its folder is the engine's (paths for the node id); its port is
 * private to the control plane — only the serving node listens on the instance's endpoint port.
 * Node ids: the instance's first node takes the instance identifier (so its folder is
 * instances/<id>/ as before); later nodes of the same instance (a Multi-AZ standby, a restore
 * scratch node) take `<id>.<role>…`, which no identifier can collide with (identifiers have no '.').
 */
export interface NodeRecord {
  id: string;
  role: NodeRole;
  /** The TCP port this mariadbd listens on (the serving node: the instance's endpoint port). */
  port: number;
  serverId: number;
  pid?: number;
}

/**
 * A DB instance: the API resource, as persisted in state/instances/<id>.json. Field names follow RDS
 * where they exist. `port` is the endpoint port (Endpoint.Port), owned by the control plane and stable
 * for the instance's life; the processes are its `nodes`.
 */
export interface InstanceRecord {
  id: string;
  dbiResourceId: string;
  engine: 'mariadb' | 'mysql';
  engineVersion: string;
  instanceClass: string;
  masterUsername: string;
  manageMasterUserPassword: boolean;
  dbName?: string;
  /** Endpoint.Port. */
  port: number;
  /** The mariadbd processes behind the instance; the serving one first (servingNode). */
  nodes: NodeRecord[];
  /** ReadReplicaSourceDBInstanceIdentifier, for a read replica. Its replicas are the instances naming it here. */
  source?: string;
  /** A PromoteReadReplica in flight (its settings): recovery finishes it after a control-plane crash. */
  promoting?: { backupRetentionPeriod: number; preferredBackupWindow?: string };
  allocatedStorage: number;
  maxAllocatedStorage?: number;
  storageType: string;
  iops?: number;
  backupRetentionPeriod: number;
  preferredBackupWindow: string;
  preferredMaintenanceWindow: string;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  deletionProtection: boolean;
  /** CopyTagsToSnapshot as created (optional: records written before it was kept read as false). */
  copyTagsToSnapshot?: boolean;
  createTime: string;
  status: string;
  /** Why the instance is failed / storage-full etc. (StatusInfos and events carry it too). */
  statusReason?: string;
  desiredState: DesiredState;
  /** true once engine.create finished (datadir initialised, master user created). */
  initCompleted: boolean;
  pending: PendingChanges;
  tags: Tag[];
  availabilityZone: string;
  /** Storage-full made the server read-only; lifted when storage is raised. */
  readOnlyForStorage?: boolean;
  /** Metadata-only settings, stored and returned as sent (ops/instance-metadata.ts); absent in older records. */
  autoMinorVersionUpgrade?: boolean;
  vpcSecurityGroupIds?: string[];
  dbSubnetGroupName?: string;
  optionGroupName?: string;
  /** OptionGroupMemberships Status while a change is being applied or waits for a reboot (ops/og-apply.ts); absent: in-sync. */
  optionGroupStatus?: 'applying' | 'in-sync' | 'pending-apply' | 'pending-maintenance-apply' | 'failed';
  /** ModifyDBInstance to another option group without ApplyImmediately: taken at the next reboot or start (ops/og-apply.ts). */
  pendingOptionGroupName?: string;
  caCertificateIdentifier?: string;
  cloudwatchLogsExports?: string[];
  engineLifecycleSupport?: string;
  masterUserSecretKmsKeyId?: string;
  /** MasterUserSecret.SecretArn: the Secrets Manager secret of a managed password (its file: state/secrets.ts). */
  masterUserSecretArn?: string;
  /** The DB parameter group (absent: default.mariadb10.11) and where its values stand (ops/pg-apply.ts). */
  parameterGroupName?: string;
  parameterApplyStatus?: 'in-sync' | 'applying' | 'pending-reboot';
  /** IAMDatabaseAuthenticationEnabled: the node loads auth_pam and the control plane verifies IAM tokens. */
  iamDatabaseAuthenticationEnabled?: boolean;
  /** Seconds between metric samples (0 or absent: basic monitoring, one a minute) and the role RDS requires for it. */
  monitoringInterval?: number;
  monitoringRoleArn?: string;
  /** ISO time AllocatedStorage last changed (modification or autoscaling): starts the autoscaling cooldown. */
  lastStorageChange?: string;
}

/**
 * The node that serves the endpoint: the primary, or a replica instance's own node. A failover makes
 * another node serve by giving it this role and the endpoint port (docs/ARCHITECTURE.md).
 */
export function servingNode(rec: Pick<InstanceRecord, 'id' | 'nodes'>): NodeRecord | undefined {
  return rec.nodes?.find((n) => n.role === 'primary' || n.role === 'replica');
}

/** The id of the serving node's folder; the instance id for records that have no node yet. */
export function servingNodeId(rec: Pick<InstanceRecord, 'id' | 'nodes'>): string {
  return servingNode(rec)?.id ?? rec.id;
}

/** Every node's id; the instance id for a record that has none yet. */
export function nodeIds(rec: Pick<InstanceRecord, 'id' | 'nodes'>): string[] {
  return rec.nodes?.length ? rec.nodes.map((n) => n.id) : [rec.id];
}

/** Records the serving node's pid (undefined: not running). */
export function setServingPid(rec: InstanceRecord, pid: number | undefined): void {
  const node = servingNode(rec);
  if (node) node.pid = pid;
}

export function instanceFile(home: string, id: string): string {
  return instanceStore(home).file(id);
}

export function instanceStore(home: string): Store<InstanceRecord> {
  return new Store<InstanceRecord>(storeDir(home, 'instances'));
}

/** The DB instances: the store of their records, plus the rules every change to one obeys. */
export class Registry {
  private readonly store: Store<InstanceRecord>;
  constructor(readonly home: string) {
    this.store = instanceStore(home);
  }

  get(id: string): InstanceRecord | undefined {
    return this.store.get(id);
  }

  save(rec: InstanceRecord): void {
    this.store.save(rec);
  }

  /** Applies `change` to the stored record and saves it; returns the new record (undefined if gone). */
  update(id: string, change: (rec: InstanceRecord) => void): InstanceRecord | undefined {
    const rec = this.get(id);
    if (!rec) return undefined;
    const allocated = rec.allocatedStorage;
    change(rec);
    // Every path that changes AllocatedStorage (modify now, at the next reboot, autoscaling) comes through
    // here, so the autoscaling cooldown cannot be forgotten by one of them.
    if (rec.allocatedStorage !== allocated) rec.lastStorageChange = new Date().toISOString();
    this.save(rec);
    return rec;
  }

  remove(id: string): void {
    this.store.remove(id);
  }

  /** All instances, sorted by identifier (Describe pages in this order). */
  list(): InstanceRecord[] {
    return this.store.list();
  }
}
