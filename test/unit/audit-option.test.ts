import { describe, expect, it } from 'vitest';
import { parseAuditEvents } from '../../src/core/audit-events.js';
import { renderMyCnf } from '../../src/local/engine/config.js';
import { instancePaths } from '../../src/local/engine/paths.js';
import type { EngineSpec } from '../../src/local/engine/types.js';
import { checkSettings, effectiveSettings } from '../../src/local/ops/og-catalog.js';
import { AwsFault } from '../../src/local/server/types.js';

const paths = instancePaths('/home/u/.rdsctl', 'shop');
const spec: EngineSpec = {
  id: 'shop', engine: 'mariadb', port: 40001, serverId: 7, innodbBufferPoolSize: 24 * 1024 * 1024, maxConnections: 85,
  storageEncrypted: false, requireSecureTransport: true, readOnly: false,
  caCertFile: '/home/u/.rdsctl/ca/ca-cert.pem', caKeyFile: '/home/u/.rdsctl/ca/ca-key.pem',
};
const cnf = (s: EngineSpec) => renderMyCnf(paths, s, { user: 'rdsctl-mysql' }).split('\n');
const faultOf = (fn: () => unknown) => { try { fn(); return undefined; } catch (e) { return e instanceof AwsFault ? e.code : String(e); } };

describe('my.cnf: server_audit on every node, on only with the option', () => {
  it('loads the plugin FORCE_PLUS_PERMANENT with logging off, the file in the datadir, and the replicas-only init_connect', () => {
    const l = cnf(spec);
    expect(l).toContain('plugin_load_add=server_audit');
    expect(l).toContain('loose-server_audit=FORCE_PLUS_PERMANENT');
    expect(l).toContain(`loose-server_audit_file_path=${paths.datadir}/server_audit.log`);
    expect(l).toContain('loose-server_audit_logging=OFF');
    expect(l.filter((x) => x.startsWith('loose-server_audit_events'))).toEqual([]);
    expect(l.find((x) => x.startsWith('init_connect='))).toMatch(/^init_connect="IF @@read_only = 0 AND EXISTS .*END IF"$/);
  });

  it('with MARIADB_AUDIT_PLUGIN: its settings, then logging ON (last, so it wins)', () => {
    const l = cnf({ ...spec, audit: effectiveSettings({ SERVER_AUDIT_EVENTS: 'CONNECT,QUERY_DDL' }) });
    expect(l).toContain('loose-server_audit_events=CONNECT,QUERY_DDL');
    expect(l).toContain('loose-server_audit_file_rotations=9');
    expect(l.indexOf('loose-server_audit_logging=ON')).toBeGreaterThan(l.indexOf('loose-server_audit_events=CONNECT,QUERY_DDL'));
    expect(l).not.toContain('loose-server_audit_logging=OFF');
  });
});

describe('MARIADB_AUDIT_PLUGIN settings', () => {
  it('normalises events and refuses unknown ones, bad numbers, and the fixed settings', () => {
    expect(parseAuditEvents(' connect, query_ddl,CONNECT ')).toEqual({ events: 'CONNECT,QUERY_DDL', bad: [] });
    expect(parseAuditEvents('CONNECT,LOGIN').bad).toEqual(['LOGIN']);
    expect(checkSettings([{ name: 'server_audit_events', value: 'connect,query_dcl' }])).toEqual({ SERVER_AUDIT_EVENTS: 'CONNECT,QUERY_DCL' });
    expect(faultOf(() => checkSettings([{ name: 'SERVER_AUDIT_EVENTS', value: 'NOPE' }]))).toBe('InvalidParameterValue');
    expect(faultOf(() => checkSettings([{ name: 'SERVER_AUDIT_FILE_ROTATIONS', value: '101' }]))).toBe('InvalidParameterValue');
    expect(faultOf(() => checkSettings([{ name: 'SERVER_AUDIT_LOGGING', value: 'OFF' }]))).toBe('InvalidParameterValue');
    expect(faultOf(() => checkSettings([{ name: 'SERVER_AUDIT_FILE_PATH', value: '/tmp/x' }]))).toBe('InvalidParameterValue');
    expect(faultOf(() => checkSettings([{ name: 'SERVER_AUDIT_EXCL_USERS', value: "a'; DROP" }]))).toBe('InvalidParameterValue');
  });

  it('fills the defaults RDS documents', () => {
    expect(effectiveSettings({})).toEqual({
      SERVER_AUDIT_EVENTS: 'CONNECT,QUERY', SERVER_AUDIT_EXCL_USERS: '', SERVER_AUDIT_INCL_USERS: '',
      SERVER_AUDIT_FILE_ROTATE_SIZE: '1000000', SERVER_AUDIT_FILE_ROTATIONS: '9', SERVER_AUDIT_QUERY_LOG_LIMIT: '1024',
    });
  });
});
