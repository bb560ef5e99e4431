/**
 * The MariaDB engine: real mariadbd processes, one per DB instance (contract in types.ts).
 *
 * For other parts of the local target:
 * - A replica or restored instance made from a copy of another's datadir: copy into a fresh
 *   paths.datadir (not yet created), then call writeConfig (folders, server certificate, my.cnf and,
 *   as root, the service account's ownership: a data/ whose top is not its own is re-owned) before
 *   start; for an encrypted source, copy its keysDir first — new keys cannot read the old files, and
 *   create() is the only place keys are made.
 * - Admin SQL over the Unix socket (no password, unix_socket auth): withAdmin(paths, fn).
 *   On a replica, run admin writes with `SET sql_log_bin=0` (GTID strict mode).
 * - Client tools (mariadb-backup, mariadb-binlog, mariadb): pass `--defaults-file=<paths.configFile>`
 *   first and `--user=${adminUser()}`; the [client] group of my.cnf names the socket.
 */
export { createMariadbEngine } from './mariadb-engine.js';
export { instancePaths, socketPathFor } from './paths.js';
export { ensureHomeCa, homeCaFiles } from './tls.js';
export type { HomeCa } from './tls.js';
export { checkBinaries, binaries, assertBinaries, requireBinary, mysqlAvailable, INSTALL_HINT } from '../../system/binaries.js';
export type { BinaryCheck, BinaryName } from '../../system/binaries.js';
export { renderMyCnf, bufferPoolChunkSize } from './config.js';
export { adminUser, withAdmin } from './admin.js';
export type * from './types.js';
