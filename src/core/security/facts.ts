/**
 * What `rdsctl audit` evaluates: the facts the RDS API gives on either target, and, on the local target,
 * what the control plane saw on the real thing (InspectDBInstanceSecurity). Types only.
 */

export interface MarkerHit {
  /** Relative to the datadir. */
  file: string;
  kind: 'innodb-tablespace' | 'innodb-redo' | 'binlog' | 'relay-log' | 'aria-data' | 'aria-log' | 'other';
}

export interface EncryptionProbe {
  /** A random string, meaningless; an unencrypted instance keeps it in its logs. */
  marker: string;
  filesScanned: number;
  bytesScanned: number;
  hits: MarkerHit[];
  /** Whether the marker went through the binlog (not on replicas: an errant GTID there would break replication). */
  binlogged: boolean;
  /** InnoDB tablespaces with ENCRYPTION_SCHEME=0 at probe time. */
  unencryptedTablespaces: number;
  /** User tables in Aria: their changes pass through the never-encrypted aria_log.* (docs/SECURITY.md). */
  userAriaTables: string[];
}

export interface FileModeFact {
  path: string;
  mode: string;
  ok: boolean;
  rule: string;
}

export interface SecurityInspection {
  DBInstanceIdentifier: string;
  Process: { NodeId: string; Pid?: number; Uid?: number; OsUser?: string; Source: string };
  Variables: Record<string, string>;
  Encryption: EncryptionProbe | { Error: string };
  FileModes: FileModeFact[];
  MasterSessions: { Id: number; Host: string; Db?: string; Command: string; Time: number }[];
  PerformanceSchema: string;
}
