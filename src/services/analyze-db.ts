/**
 * Moved to src/db/ (DSN parsing, TLS, sessions and connection errors are shared by analyze-queries,
 * loadtest, replicas verify and the metrics sampler). Re-exported so the analyze-* modules keep their imports.
 */
export { connectError, openSession, sslOptions, type DbTarget, type ServerFlavor, type SqlSession } from '../db/session.js';
export { parseDsn } from '../db/dsn.js';
