import { describe, expect, it } from 'vitest';
import { bufferPoolChunkSize, renderMyCnf } from '../../src/local/engine/config.js';
import { instancePaths } from '../../src/local/engine/paths.js';
import type { EngineSpec } from '../../src/local/engine/types.js';

const MiB = 1024 * 1024;
const paths = instancePaths('/home/u/.rdsctl', 'shop');
const spec: EngineSpec = {
  id: 'shop', engine: 'mariadb', port: 40001, serverId: 7, innodbBufferPoolSize: 24 * MiB, maxConnections: 85,
  storageEncrypted: false, requireSecureTransport: true, readOnly: false,
  caCertFile: '/home/u/.rdsctl/ca/ca-cert.pem', caKeyFile: '/home/u/.rdsctl/ca/ca-key.pem',
};
const lines = (s: EngineSpec, user: string | undefined = 'rdsctl-mysql') => renderMyCnf(paths, s, { user }).split('\n');

describe('bufferPoolChunkSize', () => {
  it.each([
    [24 * MiB, 24 * MiB],
    [128 * MiB, 128 * MiB],
    [256 * MiB, 128 * MiB],
    [384 * MiB, 128 * MiB],
    [200 * MiB, 100 * MiB],
    [1000 * MiB, 125 * MiB],
    [5 * MiB, 5 * MiB],
    [MiB, MiB],
  ])('pool %i → chunk %i (divides the pool exactly)', (pool, chunk) => {
    expect(bufferPoolChunkSize(pool)).toBe(chunk);
    expect(pool % bufferPoolChunkSize(pool)).toBe(0);
  });
});

describe('renderMyCnf', () => {
  it('starts with the [mysqld] group and names the service user only when given one (never root)', () => {
    expect(lines(spec)[1]).toBe('[mysqld]');
    expect(lines(spec)).toContain('user=rdsctl-mysql');
    expect(lines(spec, '').some((l) => l.startsWith('user='))).toBe(false);
    expect(lines(spec).some((l) => l.startsWith('log-error') || l.startsWith('log_error'))).toBe(false);
    expect(lines(spec)).toContain(`ssl_ca=${paths.tlsDir}/ca-cert.pem`);
  });

  it.each([
    ['port=40001'], ['server_id=7'], ['max_connections=85'], [`innodb_buffer_pool_size=${24 * MiB}`],
    [`innodb_buffer_pool_chunk_size=${24 * MiB}`], ['bind-address=127.0.0.1'], ['skip-name-resolve'],
    ['log_bin=binlog'], ['binlog_format=ROW'], ['gtid_strict_mode=ON'], ['log_slave_updates=ON'], ['sync_binlog=1'],
    ['innodb_flush_log_at_trx_commit=1'], ['require_secure_transport=ON'], ['tls_version=TLSv1.2,TLSv1.3'],
    ['read_only=OFF'], ['performance_schema=OFF'], [`secure_file_priv=${paths.tmpDir}`], [`datadir=${paths.datadir}`], [`socket=${paths.socket}`],
  ])('contains %s', (line) => {
    expect(lines(spec)).toContain(line);
  });

  it('follows readOnly and requireSecureTransport from the spec', () => {
    const l = lines({ ...spec, readOnly: true, requireSecureTransport: false });
    expect(l).toContain('read_only=ON');
    expect(l).toContain('require_secure_transport=OFF');
  });

  it('adds encryption at rest only when storageEncrypted', () => {
    const enc = [
      'plugin_load_add=file_key_management', 'innodb_encrypt_tables=FORCE', 'innodb_encrypt_log=ON',
      'innodb_encrypt_temporary_tables=ON', 'encrypt_binlog=ON', 'encrypt_tmp_files=ON', 'aria_encrypt_tables=ON',
      'file_key_management_encryption_algorithm=AES_CTR',
      `file_key_management_filename=${paths.keysDir}/keyfile.enc`, `file_key_management_filekey=FILE:${paths.keysDir}/keyfile.pass`,
    ];
    expect(lines({ ...spec, storageEncrypted: true })).toEqual(expect.arrayContaining(enc));
    expect(lines(spec).some((l) => l.includes('encrypt'))).toBe(false);
  });

  it('never names /etc/mysql', () => {
    expect(renderMyCnf(paths, spec, { user: 'rdsctl-mysql' })).not.toContain('/etc/mysql');
  });
});
