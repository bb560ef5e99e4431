import type { Session } from '../loadtest/runner.js';
import { connectError, sslOptions, type DbTarget } from '../db/session.js';

/**
 * Many sessions to one server for the load generator. The TLS rules and connection errors are the
 * shared ones of db/session.ts; what differs is the command phase: the wire session (db/wire/) prepares
 * statements with parameters once per connection, as sysbench does, and reads results the generator
 * only counts without decoding them, so the generator measures the server, not its own client.
 */
export async function sessionOpener(t: DbTarget): Promise<() => Promise<Session>> {
  const { openWire } = await import('../db/wire/session.js');
  const ssl = await sslOptions(t.tls);
  return async () => {
    // The wire session is the Session itself: no wrapper between the generator and the socket.
    return await openWire({
      host: t.socketPath ? undefined : t.host, port: t.port, socketPath: t.socketPath, user: t.user, password: t.password,
      database: t.database, ssl, connectTimeout: 10_000, multipleStatements: false,
    }).catch((err: unknown) => { throw connectError(err, t.label); });
  };
}
