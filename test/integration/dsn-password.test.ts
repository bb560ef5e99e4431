import { describe, expect, it } from 'vitest';
import { dsnHasPassword } from '../../src/cli/dsn-password.js';
import { runCli, tempHome, cleanupHome } from '../helpers/local-cli.js';

// One warning rule for every command that takes DSNs on the command line (src/cli/dsn-password.ts).
describe('a password inside a DSN on the command line', () => {
  it('is recognised only when the DSN carries one', () => {
    expect(dsnHasPassword('mysql://app:s3cret@db.example:3306/shop')).toBe(true);
    expect(dsnHasPassword('mysql://app@db.example:3306/shop')).toBe(false);
    expect(dsnHasPassword('mysql://db.example/shop')).toBe(false);
    expect(dsnHasPassword('mysql://app@db.example/shop?ssl-mode=REQUIRED&x=a:b@c')).toBe(false);
  });

  it('loadtest --dsn and --replica-dsn warn (the command then fails on the unreachable server, never printing it)', async () => {
    const home = await tempHome();
    try {
      // Port 1 on loopback refuses the connection at once: exit 7, after the warnings.
      const both = await runCli(['loadtest', 'run', '--dsn', 'mysql://app:Pw-in-dsn-1@127.0.0.1:1/loadtest', '--replica-dsn', 'mysql://app:Pw-in-dsn-2@127.0.0.1:1/',
        '--duration', '1s'], { env: { RDSCTL_HOME: home } });
      expect(both.code).toBe(7);
      expect(both.stderr).toMatch(/warning: the password in --dsn is visible to other users \(ps, shell history\): prefer RDSCTL_DB_PASSWORD or --password-stdin\./);
      expect(both.stderr).toMatch(/warning: the password in --replica-dsn is visible to other users/);
      expect(both.stdout + both.stderr).not.toMatch(/Pw-in-dsn/);
      const prepare = await runCli(['loadtest', 'prepare', '--dsn', 'mysql://app:Pw-in-dsn-1@127.0.0.1:1/loadtest', '--scale', '1'], { env: { RDSCTL_HOME: home } });
      expect(prepare.stderr).toMatch(/warning: the password in --dsn is visible to other users/);
      // No password in the DSN (it comes from RDSCTL_DB_PASSWORD): nothing to warn about.
      const clean = await runCli(['loadtest', 'run', '--dsn', 'mysql://app@127.0.0.1:1/loadtest', '--duration', '1s'], { env: { RDSCTL_HOME: home, RDSCTL_DB_PASSWORD: 'x' } });
      expect(clean.code).toBe(7);
      expect(clean.stderr).not.toMatch(/warning/);
      // analyze-queries keeps its warning (same helper), naming DATABASE_URL too.
      const analyze = await runCli(['analyze-queries', '--dsn', 'mysql://app:Pw-in-dsn-1@127.0.0.1:1/shop', '--digest'], { env: { RDSCTL_HOME: home } });
      expect(analyze.stderr).toMatch(/warning: the password in --dsn is visible to other users \(ps, shell history\): prefer DATABASE_URL, RDSCTL_DB_PASSWORD or --password-stdin\./);
      expect(analyze.stdout + analyze.stderr).not.toMatch(/Pw-in-dsn/);
    } finally {
      await cleanupHome(home);
    }
  });
});
