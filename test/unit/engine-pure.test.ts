import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { excessGlobalPrivileges, nativePasswordHash } from '../../src/local/engine/admin.js';
import { checkBinaries, findBinary, isMysql8VersionLine, requireBinary } from '../../src/system/binaries.js';
import { renderKeyLines } from '../../src/local/engine/keys.js';
import { MAX_SOCKET_PATH, ancestorsTraversable, instancePaths, serverRootFor, socketPathFor } from '../../src/local/engine/paths.js';
import { logSaysPortInUse, matchesCmdline } from '../../src/local/engine/process.js';
import type { BinaryName } from '../../src/system/binaries.js';

describe('instancePaths', () => {
  it('puts everything under RDSCTL_HOME/instances/<id>, socket and pid file in run/', () => {
    const p = instancePaths('/h', 'db1');
    expect(p).toEqual({
      root: '/h/instances/db1', serverRoot: '/h/instances/db1', datadir: '/h/instances/db1/data', configFile: '/h/instances/db1/my.cnf',
      runDir: '/h/instances/db1/run', socket: '/h/instances/db1/run/mysqld.sock', pidFile: '/h/instances/db1/run/mysqld.pid',
      errorLog: '/h/instances/db1/error.log', tlsDir: '/h/instances/db1/tls', keysDir: '/h/instances/db1/keys', tmpDir: '/h/instances/db1/tmp',
    });
  });

  it('as root, moves the server side out of a home the service user cannot walk to (a 0700 folder above it)', async () => {
    const closed = await mkdtemp(join(tmpdir(), 'rdsctl-closed-')); // mkdtemp makes it 0700
    try {
      const home = join(closed, 'home');
      expect(ancestorsTraversable(home)).toBe(false);
      expect(serverRootFor(home, 'db1', true)).toMatch(/^\/var\/lib\/rdsctl\/[0-9a-f]{16}\/db1$/);
      expect(serverRootFor(home, 'db1', false)).toBe(join(home, 'instances', 'db1'));
      expect(serverRootFor(join(tmpdir(), 'open-home'), 'db1', true)).toBe(join(tmpdir(), 'open-home', 'instances', 'db1'));
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });

  it('moves the socket to a short stable folder when the home path is too long', () => {
    const root = `/tmp/${'x'.repeat(120)}/instances/db1`;
    const s = socketPathFor(root, '/tmp');
    expect(s).toMatch(/^\/tmp\/rdsctl-[0-9a-f]{16}\/mysqld\.sock$/);
    expect(Buffer.byteLength(s)).toBeLessThanOrEqual(MAX_SOCKET_PATH);
    expect(socketPathFor(root, '/tmp')).toBe(s);
    expect(socketPathFor(`${root}2`, '/tmp')).not.toBe(s);
  });
});

describe('nativePasswordHash', () => {
  it.each([
    ['password', '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'],
    ['root', '*81F5E21E35407D884A6CD4A731AEBFB6AF209E1B'],
  ])('%j → %s (as PASSWORD() computes it)', (pw, hash) => {
    expect(nativePasswordHash(pw)).toBe(hash);
  });
});

describe('isMysql8VersionLine', () => {
  it.each([
    ['/usr/sbin/mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)', true],
    ['/usr/sbin/mysqld  Ver 8.4.0 for Linux on x86_64 (MySQL Community Server - GPL)', true],
    ['/usr/sbin/mysqld  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)', false],
    ['/usr/sbin/mysqld  Ver 5.7.44 for Linux on x86_64 (MySQL Community Server (GPL))', false],
  ])('%s → %s', (line, yes) => {
    expect(isMysql8VersionLine(line)).toBe(yes);
  });
});

describe('matchesCmdline (pid reuse guard)', () => {
  const cfg = '/h/instances/db1/my.cnf';
  it.each([
    [['/usr/sbin/mariadbd', `--defaults-file=${cfg}`], true],
    [['/usr/sbin/mariadbd', '--defaults-file=/h/instances/db2/my.cnf'], false],
    [['/usr/bin/sleep', `--defaults-file=${cfg}`], false],
    [[''], false],
  ])('%j → %s', (args, yes) => {
    expect(matchesCmdline(args, cfg)).toBe(yes);
  });
});

describe('logSaysPortInUse', () => {
  it.each([
    ["[ERROR] Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use", true],
    ['[ERROR] Aborting', false],
  ])('%s → %s', (line, yes) => {
    expect(logSaysPortInUse(line)).toBe(yes);
  });
});

describe('renderKeyLines', () => {
  it('writes <id>;<64 hex> lines numbered from 1', () => {
    const text = renderKeyLines([Buffer.alloc(32, 1), Buffer.alloc(32, 0xab)]);
    expect(text).toBe(`1;${'01'.repeat(32)}\n2;${'ab'.repeat(32)}\n`);
  });
});

describe('binaries', () => {
  it('finds the installed MariaDB tools and reports nothing missing here', () => {
    const check = checkBinaries();
    expect(check.missing).toEqual([]);
    expect(check.found.mariadbd).toMatch(/mariadbd$/);
  });

  it('a missing binary is MARIADB_MISSING (exit 2) with the apt-get hint', () => {
    expect(findBinary('mariadbd-does-not-exist')).toBeUndefined();
    expect(() => requireBinary('mariadbd-does-not-exist' as BinaryName)).toThrow(
      expect.objectContaining({ code: 'MARIADB_MISSING', exitCode: 2, hint: expect.stringContaining('apt-get install -y mariadb-server') }),
    );
  });
});

describe('excessGlobalPrivileges (start-path migration of the master user)', () => {
  it('finds nothing to migrate in the grants 10.11 shows for the current master user', () => {
    expect(excessGlobalPrivileges([
      "GRANT RELOAD, PROCESS, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR, CREATE USER ON *.* TO `admin`@`%` IDENTIFIED BY PASSWORD '*7C2A' WITH GRANT OPTION",
      'GRANT SELECT ON `mysql`.* TO `admin`@`%`',
      'GRANT SELECT, INSERT, UPDATE, DELETE ON `%`.* TO `admin`@`%` WITH GRANT OPTION',
    ])).toEqual([]);
  });

  it('finds the write privileges on *.* an earlier version (or an escalation) left', () => {
    expect(excessGlobalPrivileges(["GRANT SELECT, INSERT, UPDATE, RELOAD, CREATE USER ON *.* TO `admin`@`%` IDENTIFIED BY PASSWORD '*7C2A' WITH GRANT OPTION"]))
      .toEqual(['SELECT', 'INSERT', 'UPDATE']);
    expect(excessGlobalPrivileges(['GRANT ALL PRIVILEGES ON *.* TO `admin`@`%` WITH GRANT OPTION'])).toEqual(['ALL PRIVILEGES']);
  });
});
