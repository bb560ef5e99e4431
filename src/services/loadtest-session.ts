import type { Session } from '../loadtest/runner.js';
import { connectError, sslOptions, type DbTarget } from '../db/session.js';

/**
 * Many sessions to one server for the load generator. The TLS rules and connection errors are the
 * shared ones of analyze-db.ts; what differs is that statements with parameters are prepared once per
 * connection (mysql2 execute), as sysbench does, so the generator measures the server, not parsing.
 */
export async function sessionOpener(t: DbTarget): Promise<() => Promise<Session>> {
  const mysql = await import('mysql2/promise');
  const ssl = await sslOptions(t.tls);
  return async () => {
    let conn: import('mysql2/promise').Connection;
    try {
      conn = await mysql.createConnection({
        host: t.socketPath ? undefined : t.host, port: t.port, socketPath: t.socketPath, user: t.user, password: t.password,
        database: t.database, ssl, connectTimeout: 10_000, multipleStatements: false, dateStrings: true, supportBigNumbers: true,
      });
    } catch (err) {
      throw connectError(err, t.label);
    }
    // A connection error event with no listener would end the process; the failing statement reports it.
    conn.on('error', () => undefined);
    // The callback API under mysql2's promise wrapper: the wrapper captures a stack trace per statement,
    // which is a measurable share of the generator's CPU per query (see docs/BENCHMARKS.md).
    const core = (conn as unknown as { connection: CallbackConnection }).connection;
    return {
      exec(sql: string, params?: unknown[]) {
        return new Promise((resolve, reject) => {
          const done = (err: Error | null, r: unknown) => (err ? reject(err) : resolve((Array.isArray(r) ? r : [r]) as Array<Record<string, unknown>>));
          if (params) core.execute(sql, params, done);
          else core.query(sql, done);
        });
      },
      close: () => conn.end().catch(() => undefined),
    };
  };
}

type Callback = (err: Error | null, result: unknown) => void;
interface CallbackConnection {
  execute(sql: string, params: unknown[], cb: Callback): void;
  query(sql: string, cb: Callback): void;
}
