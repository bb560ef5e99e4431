import type { Connection, RowDataPacket } from 'mysql2/promise';

/**
 * Applies the option group's MARIADB_AUDIT_PLUGIN to a running node, as root over the socket: settings and
 * server_audit_logging ON, or logging OFF when the group no longer has the option. The plugin itself is
 * always loaded (config.ts auditLines); a node started before that (an older rdsctl) answers 'not-loaded'
 * and gets it at its next start. The master user can do none of this: every server_audit_* variable needs
 * SUPER, and the plugin is FORCE_PLUS_PERMANENT.
 */
export async function applyAuditSettings(conn: Connection, audit: Record<string, string> | undefined): Promise<'on' | 'off' | 'not-loaded'> {
  const [rows] = await conn.query<RowDataPacket[]>("SELECT PLUGIN_STATUS AS s FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'SERVER_AUDIT'");
  if (rows[0]?.s !== 'ACTIVE') return 'not-loaded';
  if (!audit) {
    await conn.query('SET GLOBAL server_audit_logging = OFF');
    return 'off';
  }
  for (const [name, value] of Object.entries(audit)) {
    const variable = name.toLowerCase();
    if (!/^server_audit_[a-z_]+$/.test(variable)) continue; // the option group validated them; never build other SQL
    const numeric = /^\d+$/.test(value);
    await conn.query(`SET GLOBAL ${variable} = ${numeric ? value : '?'}`, numeric ? [] : [value]);
  }
  await conn.query('SET GLOBAL server_audit_logging = ON');
  return 'on';
}
