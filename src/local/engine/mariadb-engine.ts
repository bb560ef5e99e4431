import { readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { conflictError, ExitCode, RdsctlError, usageError } from '../../core/errors.js';
import {
  adminUser, alterMasterPassword, createMasterUser, migrateMasterPrivileges, pingOnce, setGlobalReadOnly, withAdmin,
} from './admin.js';
import { ariaEncrypted, scrubAriaLog } from './aria-scrub.js';
import { mysqlAvailable, requireBinary } from '../../system/binaries.js';
import { renderMyCnf, tlsFiles } from './config.js';
import { run } from './exec.js';
import { writeEncryptionKeys } from './keys.js';
import { makeFolders, moveServerFiles, secureForService } from './ownership.js';
import { externalSocketDir, legacyPidFile } from './paths.js';
import { serviceAccount, type ServiceAccount } from '../../system/service-user.js';
import {
  errorLogTail, logSaysPortInUse, pidAlive, portBusy, portInUseError, runningPid, sleep, spawnMariadbd,
  startError, stopProcess,
} from './process.js';
import { directoryBytes } from './storage.js';
import { writeServerCert } from './tls.js';
import type { Engine, EngineSpec, InstancePaths, MasterUser, ProcessInfo } from './types.js';

const START_TIMEOUT_MS = 90_000;
const exists = (p: string) => stat(p).then(() => true, () => false);

function assertEngineSupported(spec: EngineSpec): void {
  if (spec.engine === 'mysql' && !mysqlAvailable()) {
    throw usageError('ENGINE_NOT_AVAILABLE', 'Engine "mysql" needs a MySQL 8 server (mysqld), which is not installed here.', {
      hint: 'Use --engine mariadb with the local target, or target AWS (--target aws) for MySQL.',
    });
  }
  if (spec.engine === 'mysql') {
    throw usageError('ENGINE_NOT_AVAILABLE', 'The local target runs MariaDB only; MySQL 8 instances are not supported yet.', {
      hint: 'Use --engine mariadb with the local target, or target AWS (--target aws) for MySQL.',
    });
  }
}

/**
 * Folders, server certificate (if missing), the CA copy and my.cnf: everything an instance needs
 * before a start; as root also the service account's ownership (ownership.ts). Run at every start,
 * so an instance made by an earlier version gets the current layout.
 */
async function prepare(paths: InstancePaths, spec: EngineSpec): Promise<ServiceAccount | undefined> {
  const acct = await serviceAccount();
  await moveServerFiles(paths);
  await makeFolders(paths);
  const t = tlsFiles(paths);
  if (!(await exists(t.cert))) await writeServerCert(paths, { caCertFile: spec.caCertFile, caKeyFile: spec.caKeyFile });
  await writeAtomic(t.ca, await readFile(spec.caCertFile), 0o644);
  await writeAtomic(paths.configFile, renderMyCnf(paths, spec, { user: acct?.name }), 0o600); // a crash never leaves half a config
  if (acct) await secureForService(paths, acct);
  return acct;
}

async function writeAtomic(file: string, data: string | Buffer, mode: number): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, file);
}

/**
 * `--user=` (empty) on purpose: given a user, mariadb-install-db also chowns the system's
 * plugin/auth_pam_tool_dir to it. The bootstrap server still switches to the service account, from
 * my.cnf, and the datadir is already its own.
 */
async function initDatadir(paths: InstancePaths, acct: ServiceAccount | undefined): Promise<void> {
  const args = [`--defaults-file=${paths.configFile}`, '--skip-test-db', '--skip-name-resolve'];
  if (acct) args.push('--user=', '--auth-root-socket-user=root');
  // Non-root: a second socket-auth admin account named after our OS user, so admin work still works.
  else args.push(`--auth-root-socket-user=${adminUser()}`);
  await run(requireBinary('mariadb-install-db'), args, { cwd: paths.root, timeoutMs: 180_000 });
}

async function assertFresh(paths: InstancePaths): Promise<void> {
  const entries = await readdir(paths.datadir).catch(() => [] as string[]);
  if (entries.length > 0) {
    throw conflictError('INSTANCE_DATA_EXISTS', `${paths.datadir} already holds data; refusing to initialise over it.`, {
      hint: 'Delete the instance first, or pick another identifier.',
    });
  }
}

/** Starts mariadbd (or adopts a running one) and returns once it answers on its socket. */
async function start(paths: InstancePaths, spec: EngineSpec): Promise<ProcessInfo> {
  assertEngineSupported(spec);
  await stopLegacyServer(paths);
  const running = runningPid(paths);
  if (running !== undefined) {
    await waitReady(paths, spec, running); // it may still be in crash recovery
    return { pid: running };
  }
  if (await portBusy(spec.port)) throw portInUseError(spec.port);
  await prepare(paths, spec);
  const pid = spawnMariadbd(paths);
  await waitReady(paths, spec, pid);
  await withAdmin(paths, async (c) => {
    if (spec.masterUsername) await migrateMasterPrivileges(c, spec.masterUsername);
    // Bound the plaintext Aria-log window (see aria-scrub.ts) to "since the last start".
    if (spec.storageEncrypted) await scrubAriaLog(c);
  });
  return { pid };
}

/**
 * A mariadbd an earlier version started (pid file in the instance root, running as root, socket
 * elsewhere) is stopped cleanly, so this start brings it back under the current layout and user.
 */
async function stopLegacyServer(paths: InstancePaths): Promise<void> {
  const legacy = { ...paths, pidFile: legacyPidFile(paths) };
  if (runningPid(legacy) === undefined) return;
  await stopProcess(legacy);
  await rm(legacy.pidFile, { force: true });
}

/** Fail fast and say why: waiting would only end in a misleading "did not answer" after 90 s. */
function adminRefused(paths: InstancePaths, spec: EngineSpec): RdsctlError {
  return new RdsctlError('ENGINE_ADMIN_REFUSED', ExitCode.unexpected,
    `mariadbd for ${spec.id} is running but refuses rdsctl's admin account ${adminUser()}@localhost (socket ${paths.socket}): it was renamed, dropped or given a password, which the master user's CREATE USER privilege allows (docs/SECURITY.md, "Known gap").`, {
      hint: `Delete the instance (rdsctl delete ${spec.id}) and create it again, or restore root@localhost (IDENTIFIED VIA unix_socket) by hand.`,
    });
}

async function waitReady(paths: InstancePaths, spec: EngineSpec, pid: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let state = await pingOnce(paths); state !== 'up'; state = await pingOnce(paths)) {
    if (state === 'refused') {
      await stopProcess(paths); // a server rdsctl cannot administer must not keep running unmanaged
      throw adminRefused(paths, spec);
    }
    if (!pidAlive(pid)) {
      const logTail = await errorLogTail(paths);
      if (logSaysPortInUse(logTail)) throw portInUseError(spec.port);
      throw startError(paths, `mariadbd for ${spec.id} exited during startup`, logTail);
    }
    if (Date.now() > deadline) {
      const what = `mariadbd for ${spec.id} (pid ${pid}) did not answer within ${START_TIMEOUT_MS / 1000}s; it is still running (crash recovery?)`;
      throw startError(paths, what, await errorLogTail(paths));
    }
    await sleep(100);
  }
}

async function create(paths: InstancePaths, spec: EngineSpec, master: MasterUser): Promise<ProcessInfo> {
  assertEngineSupported(spec);
  requireBinary('mariadbd');
  requireBinary('mariadb-install-db');
  await assertFresh(paths);
  if (await portBusy(spec.port)) throw portInUseError(spec.port);
  try {
    return await build(paths, spec, master);
  } catch (e) {
    // No process left behind; the files stay for inspection (error.log) until the instance is deleted.
    await stopProcess(paths).catch(() => undefined);
    throw e;
  }
}

async function build(paths: InstancePaths, spec: EngineSpec, master: MasterUser): Promise<ProcessInfo> {
  let acct = await prepare(paths, spec);
  if (spec.storageEncrypted) {
    await writeEncryptionKeys(paths); // before init: system tables are born encrypted
    acct = await prepare(paths, spec); // the new key files get the service account's modes
  }
  await initDatadir(paths, acct);
  const info = await start(paths, spec);
  await withAdmin(paths, async (c) => {
    await createMasterUser(c, master);
    if (spec.storageEncrypted) await scrubAriaLog(c);
  });
  return info;
}

async function destroy(paths: InstancePaths): Promise<void> {
  await stopProcess(paths);
  await rm(paths.root, { recursive: true, force: true });
  if (paths.serverRoot !== paths.root) {
    await rm(paths.serverRoot, { recursive: true, force: true });
    await rmdir(dirname(paths.serverRoot)).catch(() => undefined); // the home's folder, once its last instance is gone
  }
  const sockDir = externalSocketDir(paths);
  if (sockDir) await rm(sockDir, { recursive: true, force: true });
}

export function createMariadbEngine(): Engine {
  return {
    create,
    start,
    writeConfig: async (paths, spec) => {
      await prepare(paths, spec);
    },
    stop: (paths) => stopProcess(paths),
    runningPid,
    setMasterPassword: (paths, master) =>
      withAdmin(paths, async (c) => {
        await alterMasterPassword(c, master);
        if (await ariaEncrypted(c)) await scrubAriaLog(c);
      }),
    setReadOnly: (paths, ro) => withAdmin(paths, (c) => setGlobalReadOnly(c, ro)),
    // tmp/ too: spilled temporary tables, sort files and INTO OUTFILE results take real disk.
    storageUsage: async (paths) => ({ usedBytes: (await directoryBytes(paths.datadir)) + (await directoryBytes(paths.tmpDir)) }),
    destroy,
  };
}
