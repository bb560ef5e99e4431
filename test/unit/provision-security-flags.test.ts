import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/local-cli.js';

// The provision flags docs/SECURITY.md's recommended command uses (RDS.9 log exports, RDS.23 port, RDS.10
// IAM auth, RDS.25 default master user), seen in the request a dry run prints; bad values refused up front.
const dry = (...args: string[]) => runCli(['provision', 'shop', '--manage-master-password', '--dry-run', '--json', ...args], { env: { RDSCTL_HOME: '/nonexistent-rdsctl-home' } });

describe('provision security flags', () => {
  it('puts --log-exports, --port and --iam-auth into CreateDBInstance; the master user defaults to dbmaster', async () => {
    const r = await dry('--log-exports', 'audit,error,general,slowquery', '--port', '3307', '--iam-auth');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.data.request).toMatchObject({
      MasterUsername: 'dbmaster', EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'], Port: 3307, EnableIAMDatabaseAuthentication: true,
    });
    const plain = await dry();
    expect(plain.json.data.request).not.toHaveProperty('EnableCloudwatchLogsExports');
    expect(plain.json.data.request).not.toHaveProperty('Port');
  });

  it.each([
    [['--log-exports', 'audit,bogus'], 'INVALID_LOG_EXPORTS', /unknown log type bogus/],
    [['--port', '80'], 'INVALID_PORT', /--port must be 1150–65535/],
  ])('%o → exit 2 %s', async (args, code, message) => {
    const r = await dry(...args);
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});
