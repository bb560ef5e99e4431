import { describe, expect, it } from 'vitest';
import * as analyzeDb from '../../src/services/analyze-db.js';
import { parseDsn } from '../../src/db/dsn.js';
import { connectError, openSession, sslOptions } from '../../src/db/session.js';

describe('src/db: the one home of DSN parsing, TLS and SQL sessions', () => {
  it('analyze-queries uses the same functions (re-exported, not copied)', () => {
    expect(analyzeDb.parseDsn).toBe(parseDsn);
    expect(analyzeDb.openSession).toBe(openSession);
    expect(analyzeDb.connectError).toBe(connectError);
    expect(analyzeDb.sslOptions).toBe(sslOptions);
  });

  it('parses a DSN with TLS as rdsctl connect prints it, never keeping the password in the label', () => {
    const t = parseDsn('mysql://admin:s%40cret@127.0.0.1:4000/app?ssl-mode=VERIFY_IDENTITY&ssl-ca=/h/ca/ca-cert.pem');
    expect(t).toMatchObject({ host: '127.0.0.1', port: 4000, user: 'admin', password: 's@cret', database: 'app', tls: { caFile: '/h/ca/ca-cert.pem', verifyIdentity: true } });
    expect(t.label).toBe('mysql://admin@127.0.0.1:4000/app');
  });

  it('an unreadable CA is a clear usage error naming the file', async () => {
    await expect(sslOptions({ caFile: '/nonexistent/ca.pem' })).rejects.toMatchObject({ code: 'SSL_CA_UNREADABLE', exitCode: 2 });
    expect(await sslOptions({ profile: 'Amazon RDS' })).toBe('Amazon RDS');
  });

  it('connection failures map to exit codes: access denied → 3, unreachable → 7', () => {
    expect(connectError({ errno: 1045, message: 'denied' }, 'mysql://u@h:1/')).toMatchObject({ code: 'DB_ACCESS_DENIED', exitCode: 3 });
    expect(connectError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'mysql://u@h:1/')).toMatchObject({ code: 'DB_UNREACHABLE', exitCode: 7 });
  });
});
