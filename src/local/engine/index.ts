/** The MariaDB engine: real mariadbd processes, one per DB instance (see types.ts for the contract). */
export { createMariadbEngine } from './mariadb-engine.js';
export { instancePaths, socketPathFor } from './paths.js';
export { ensureHomeCa, homeCaFiles } from './tls.js';
export { checkBinaries, binaries, assertBinaries, requireBinary, mysqlAvailable, INSTALL_HINT } from './binaries.js';
export type { BinaryCheck } from './binaries.js';
export { renderMyCnf, bufferPoolChunkSize } from './config.js';
export type * from './types.js';
