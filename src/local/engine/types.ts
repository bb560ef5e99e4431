/**
 * The contract between the control plane (src/local/ops) and the MariaDB engine (src/local/engine).
 * ops decides *what* (RDS semantics, statuses); engine does it on real mariadbd processes.
 */

/**
 * Where one instance lives on disk. All paths absolute. `root` is RDSCTL_HOME/instances/<id>/;
 * `serverRoot` (what mariadbd reaches) is the same folder unless the service user cannot walk to it
 * (see paths.ts).
 */
export interface InstancePaths {
  root: string; // RDSCTL_HOME/instances/<id>: record, my.cnf, error log (rdsctl's, root-only)
  serverRoot: string; // <root>, or /var/lib/rdsctl/<hash of home>/<id>
  datadir: string; // <serverRoot>/data
  configFile: string; // <root>/my.cnf (always passed first as --defaults-file; read before mariadbd drops privileges)
  runDir: string; // <serverRoot>/run: socket and pid file (mariadbd creates them as the service user)
  socket: string; // <runDir>/mysqld.sock (or a short /tmp/rdsctl-<hash>/ folder)
  pidFile: string; // <runDir>/mysqld.pid
  errorLog: string; // <root>/error.log (opened by rdsctl, handed to mariadbd as stderr)
  tlsDir: string; // <serverRoot>/tls (home CA copy, server cert + key)
  keysDir: string; // <serverRoot>/keys (encryption key file + its file key)
  tmpDir: string; // <serverRoot>/tmp (tmpdir, secure_file_priv)
}

/** Everything the engine needs to render my.cnf and create an instance. */
export interface EngineSpec {
  id: string;
  engine: 'mariadb' | 'mysql';
  port: number;
  serverId: number;
  innodbBufferPoolSize: number;
  maxConnections: number;
  storageEncrypted: boolean;
  requireSecureTransport: boolean;
  /** Read-only (replica, or storage-full). */
  readOnly: boolean;
  /** The master user: the start path migrates its privileges when an earlier version created it. */
  masterUsername?: string;
  /** Home-wide CA (shared by all instances): PEM paths. */
  caCertFile: string;
  caKeyFile: string;
  /** IAM database authentication: auth_pam with a PAM service running this verifier command (engine/pam.ts). */
  iamAuth?: { verifier: string[] };
  /** The DB parameter group's user values, formulas evaluated (ops/pg-apply.ts); absent: none. */
  parameters?: Record<string, string>;
  /** The option group's MARIADB_AUDIT_PLUGIN settings (SERVER_AUDIT_EVENTS …); absent: no audit log. */
  audit?: Record<string, string>;
}

export interface MasterUser {
  username: string;
  password: string;
}

export interface ProcessInfo {
  pid: number;
}

/** Numbers the control plane reads to answer DescribeDBInstances and enforce storage. */
export interface StorageUsage {
  /** Bytes used by the instance: datadir (tables, redo, undo, binlogs) and tmp/ (spilled temporary tables, sort files). */
  usedBytes: number;
}

export interface Engine {
  /** Writes my.cnf, TLS material, key files; runs mariadb-install-db; starts; creates the master user. */
  create(paths: InstancePaths, spec: EngineSpec, master: MasterUser): Promise<ProcessInfo>;
  /** Rewrites my.cnf from spec (class change etc.); takes effect at next start. */
  writeConfig(paths: InstancePaths, spec: EngineSpec): Promise<void>;
  /** Starts mariadbd detached (own session) and waits until it answers on its socket. */
  start(paths: InstancePaths, spec: EngineSpec): Promise<ProcessInfo>;
  /** SIGTERM and wait for exit (clean shutdown). No-op if not running. */
  stop(paths: InstancePaths): Promise<void>;
  /** pid of a live mariadbd for these paths (pid file + /proc check), or undefined. */
  runningPid(paths: InstancePaths): number | undefined;
  /** ALTER USER … IDENTIFIED BY … over the socket (never on a command line). */
  setMasterPassword(paths: InstancePaths, master: MasterUser): Promise<void>;
  /** SET GLOBAL read_only (storage-full, replicas). */
  setReadOnly(paths: InstancePaths, readOnly: boolean): Promise<void>;
  storageUsage(paths: InstancePaths): Promise<StorageUsage>;
  /** Stops the process if running and removes the instance folder. */
  destroy(paths: InstancePaths): Promise<void>;
}
