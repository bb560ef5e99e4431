import { readdir, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidsMentioning, runCli, tempHome } from '../helpers/local-cli.js';

// MariaDB installed elsewhere than RDSCTL_MARIADB_BINDIR says = MariaDB missing, as on a fresh machine.
describe('MariaDB binaries missing', () => {
  let home: string;
  const env = () => ({ RDSCTL_HOME: home, RDSCTL_MARIADB_BINDIR: '/nonexistent-mariadb' });

  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('provision fails with MARIADB_MISSING (exit 2), the apt-get fix, and starts nothing', async () => {
    const r = await runCli(['provision', 'shop', '--manage-master-password', '--json'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('MARIADB_MISSING');
    expect(r.json.error.hint).toBe('Install them: apt-get install -y mariadb-server mariadb-client mariadb-backup');
    expect(await pidsMentioning(home)).toEqual([]);
    expect((await readdir(home)).filter((f) => f === 'instances' || f === 'endpoint.json')).toEqual([]);
  });

  it('doctor names what is missing and how to fix it (exit 6)', async () => {
    const r = await runCli(['doctor'], { env: env() });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/MISS mariadbd .*missing/);
    expect(r.stdout).toMatch(/ok {3}openssl/);
    expect(r.stderr).toContain('apt-get install -y mariadb-server mariadb-client mariadb-backup');
  });

  it('doctor passes where MariaDB is installed', async () => {
    const r = await runCli(['doctor', '--json'], { env: { RDSCTL_HOME: home } });
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.data.checks.filter((c: { required: boolean; ok: boolean }) => c.required && !c.ok)).toEqual([]);
  });
});
