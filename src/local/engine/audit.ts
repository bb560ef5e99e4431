import type { Connection, RowDataPacket } from 'mysql2/promise';
import { auditLogFile } from './config.js';
import type { InstancePaths } from './types.js';

/**
 * Brings a running node's server_audit plugin to what its option group says (MARIADB_AUDIT_PLUGIN), as root
 * over the socket: the master user cannot (INSTALL/UNINSTALL need writes to mysql.plugin, and every
 * server_audit_* variable needs SUPER), which is what keeps it from turning the audit log off.
 * Unlogged: INSTALL SONAME and SET GLOBAL are per server, and a replica must never get a local GTID.
 * Returns what changed ('installed', 'configured', 'removed', or 'none').
 */
export async function syncAuditPlugin(conn: Connection, paths: InstancePaths, audit: Record<string, string> | undefined): Promise<'installed' | 'configured' | 'removed' | 'none'> {
  const [rows] = await conn.query<RowDataPacket[]>("SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'SERVER_AUDIT'");
  const installed = rows.length > 0;
  await conn.query('SET SESSION sql_log_bin=0');
  if (!audit) {
    if (!installed) return 'none';
    await conn.query('SET GLOBAL server_audit_logging = OFF');
    await conn.query("UNINSTALL SONAME 'server_audit'");
    return 'removed';
  }
  if (!installed) await conn.query("INSTALL SONAME 'server_audit'");
  await conn.query('SET GLOBAL server_audit_file_path = ?', [auditLogFile(paths)]);
  for (const [name, value] of Object.entries(audit)) {
    const variable = name.toLowerCase();
    if (!/^server_audit_[a-z_]+$/.test(variable)) continue; // the option group validated them; never build other SQL
    const numeric = /^\d+$/.test(value);
    await conn.query(`SET GLOBAL ${variable} = ${numeric ? value : '?'}`, numeric ? [] : [value]);
  }
  await conn.query('SET GLOBAL server_audit_logging = ON');
  return installed ? 'configured' : 'installed';
}
