/**
 * The audit log's event classes (MariaDB server_audit's server_audit_events, RDS's SERVER_AUDIT_EVENTS of
 * the MARIADB_AUDIT_PLUGIN option), and the option itself. Shared by the local endpoint's option groups
 * and `rdsctl audit-log`.
 */
export const AUDIT_OPTION = 'MARIADB_AUDIT_PLUGIN';
export const AUDIT_EVENTS = ['CONNECT', 'QUERY', 'TABLE', 'QUERY_DDL', 'QUERY_DML', 'QUERY_DML_NO_SELECT', 'QUERY_DCL'];
/** rdsctl audit-log's default: who connected (and who failed to), schema changes, privilege changes. */
export const DEFAULT_AUDIT_EVENTS = 'CONNECT,QUERY_DDL,QUERY_DCL';

/** `connect, query_ddl` → `CONNECT,QUERY_DDL`; the unknown ones are returned in `bad`. */
export function parseAuditEvents(list: string): { events: string; bad: string[] } {
  const items = list.split(',').map((e) => e.trim().toUpperCase()).filter((e) => e !== '');
  return { events: [...new Set(items)].join(','), bad: items.filter((e) => !AUDIT_EVENTS.includes(e)) };
}
