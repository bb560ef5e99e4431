import type { Option, OptionGroupOption, OptionSetting } from '@aws-sdk/client-rds';
import { AUDIT_EVENTS, AUDIT_OPTION, parseAuditEvents } from '../../core/audit-events.js';
import { invalidValue } from './faults.js';

export { AUDIT_OPTION };

/**
 * The options a mariadb 10.11 option group can hold here: MARIADB_AUDIT_PLUGIN only (the one RDS offers
 * for MariaDB besides none), with RDS's settings. SERVER_AUDIT_FILE_PATH is not a setting here: the file
 * is always the node's `audit/server_audit.log` (the log-files API reads it), and SERVER_AUDIT_LOGGING is
 * ON and not modifiable, as on RDS.
 */

interface SettingDef {
  name: string;
  description: string;
  default: string;
  allowed: string;
  dataType: 'STRING' | 'INTEGER' | 'BOOLEAN';
  modifiable: boolean;
  collection: boolean;
  check(value: string): boolean;
}

const intIn = (min: number, max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const userList = (v: string) => v === '' || v.split(',').every((u) => /^[A-Za-z0-9_.$-]{1,80}$/.test(u.trim()));

export const AUDIT_SETTINGS: SettingDef[] = [
  { name: 'SERVER_AUDIT_EVENTS', description: 'Which events are logged: connections, queries by kind, tables.', default: 'CONNECT,QUERY', allowed: AUDIT_EVENTS.join(','), dataType: 'STRING', modifiable: true, collection: true,
    check: (v) => { const p = parseAuditEvents(v); return p.events !== '' && p.bad.length === 0; } },
  { name: 'SERVER_AUDIT_EXCL_USERS', description: 'Users whose activity is not logged.', default: '', allowed: '', dataType: 'STRING', modifiable: true, collection: true, check: userList },
  { name: 'SERVER_AUDIT_INCL_USERS', description: 'Only these users\' activity is logged (empty: everyone).', default: '', allowed: '', dataType: 'STRING', modifiable: true, collection: true, check: userList },
  { name: 'SERVER_AUDIT_FILE_ROTATE_SIZE', description: 'Size in bytes at which the log file is rotated.', default: '1000000', allowed: '1-1000000000', dataType: 'INTEGER', modifiable: true, collection: false, check: intIn(1, 1_000_000_000) },
  { name: 'SERVER_AUDIT_FILE_ROTATIONS', description: 'How many rotated log files are kept.', default: '9', allowed: '0-100', dataType: 'INTEGER', modifiable: true, collection: false, check: intIn(0, 100) },
  { name: 'SERVER_AUDIT_QUERY_LOG_LIMIT', description: 'Longest query text logged, in bytes.', default: '1024', allowed: '0-2147483647', dataType: 'INTEGER', modifiable: true, collection: false, check: intIn(0, 2_147_483_647) },
  { name: 'SERVER_AUDIT_LOGGING', description: 'Logging is on while the option is in the group.', default: 'ON', allowed: 'ON', dataType: 'STRING', modifiable: false, collection: false, check: (v) => v === 'ON' },
];

const settingDef = (name: string) => AUDIT_SETTINGS.find((s) => s.name === name.toUpperCase());

export function checkOptionName(name: string): void {
  if (name !== AUDIT_OPTION) throw invalidValue(`Option ${name} is not available for mariadb 10.11 on the local endpoint; available: ${AUDIT_OPTION}.`);
}

/** The settings as sent (upper-cased names, events upper-cased and de-spaced); refuses unknown and bad ones. */
export function checkSettings(settings: { name: string; value?: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of settings) {
    const def = settingDef(s.name);
    if (!def) throw invalidValue(`Option setting ${s.name} is not valid for ${AUDIT_OPTION}. Valid: ${AUDIT_SETTINGS.map((d) => d.name).join(', ')}.`);
    const value = (s.value ?? '').trim();
    if (!def.modifiable && value !== def.default) throw invalidValue(`Option setting ${def.name} cannot be modified (it is ${def.default}).`);
    if (!def.check(value)) throw invalidValue(`Invalid value ${value} for ${def.name}. Allowed: ${def.allowed || 'comma-separated user names'}.`);
    out[def.name] = def.name === 'SERVER_AUDIT_EVENTS' ? parseAuditEvents(value).events : value;
  }
  return out;
}

/** Every setting's value (defaults where the group sets none): what the engine applies. */
export function effectiveSettings(user: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of AUDIT_SETTINGS) if (d.modifiable) out[d.name] = user[d.name] ?? d.default;
  return out;
}

function renderSetting(d: SettingDef, value: string): OptionSetting {
  return { Name: d.name, Value: value, DefaultValue: d.default, Description: d.description, ApplyType: 'DYNAMIC', DataType: d.dataType, AllowedValues: d.allowed || undefined, IsModifiable: d.modifiable, IsCollection: d.collection };
}

export function renderAuditOption(user: Record<string, string>): Option {
  return {
    OptionName: AUDIT_OPTION, OptionDescription: 'MariaDB Audit Plugin', Persistent: false, Permanent: false,
    OptionSettings: AUDIT_SETTINGS.map((d) => renderSetting(d, user[d.name] ?? d.default)), DBSecurityGroupMemberships: [], VpcSecurityGroupMemberships: [],
  };
}

export function auditOptionDescription(major: string): OptionGroupOption {
  return {
    Name: AUDIT_OPTION, Description: 'MariaDB Audit Plugin', EngineName: 'mariadb', MajorEngineVersion: major, MinimumRequiredMinorEngineVersion: '0',
    PortRequired: false, OptionsDependedOn: [], OptionsConflictsWith: [], Persistent: false, Permanent: false, RequiresAutoMinorEngineVersionUpgrade: false,
    VpcOnly: false, SupportsOptionVersionDowngrade: false, OptionGroupOptionVersions: [], CopyableCrossAccount: true,
    OptionGroupOptionSettings: AUDIT_SETTINGS.map((d) => ({
      SettingName: d.name, SettingDescription: d.description, DefaultValue: d.default, ApplyType: 'DYNAMIC', AllowedValues: d.allowed || undefined, IsModifiable: d.modifiable, IsRequired: false,
    })),
  };
}
