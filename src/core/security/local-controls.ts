import type { ControlResult, Fix } from './controls.js';
import type { EncryptionProbe, SecurityInspection } from './facts.js';
import { isLoopbackHost } from '../loopback.js';

/**
 * The local target's evidence from the real thing (InspectDBInstanceSecurity), folded into the controls:
 * the API record says what was asked for, these say what the files, the server and the process show.
 */
function isProbe(e: SecurityInspection['Encryption']): e is EncryptionProbe {
  return 'marker' in e;
}

function encryption(base: ControlResult, ins: SecurityInspection, fix: Fix): ControlResult {
  const e = ins.Encryption;
  if (!isProbe(e)) return { ...base, status: base.status === 'pass' ? 'not-measurable' : base.status, evidence: [...base.evidence, `marker probe failed: ${e.Error}`] };
  const mib = (e.bytesScanned / 1048576).toFixed(1);
  const evidence = [...base.evidence, `marker written through the server, flushed; ${e.filesScanned} datadir files (${mib} MiB) grepped${e.binlogged ? '' : ' (replica: not binlogged)'}`];
  // aria_log.* is never encrypted by MariaDB (docs/SECURITY.md): a documented residual, not this instance's setting.
  const plain = e.hits.filter((h) => h.kind !== 'aria-log');
  const residual = e.hits.filter((h) => h.kind === 'aria-log');
  if (plain.length) evidence.push(`marker in plaintext: ${plain.map((h) => `${h.file} (${h.kind})`).join(', ')}`);
  else evidence.push('marker in no InnoDB tablespace, redo log, binlog or Aria data file');
  if (residual.length) evidence.push(`known residual: Aria redo log ${residual.map((h) => h.file).join(', ')} holds Aria changes in plaintext (MariaDB never encrypts it; docs/SECURITY.md)`);
  if (e.unencryptedTablespaces > 0) evidence.push(`${e.unencryptedTablespaces} InnoDB tablespace(s) ENCRYPTION_SCHEME=0`);
  const aria = e.userAriaTables;
  if (aria.length) evidence.push(`user Aria tables ${aria.slice(0, 3).join(', ')}${aria.length > 3 ? ` +${aria.length - 3}` : ''}: their changes reach aria_log in plaintext (ALTER TABLE … ENGINE=InnoDB)`);
  const bad = base.status === 'fail' || plain.length > 0 || aria.length > 0;
  const ariaFix: Fix = { kind: 'manual', how: `convert the user Aria tables to InnoDB (ALTER TABLE ${aria[0] ?? 'db.t'} ENGINE=InnoDB)` };
  return { ...base, status: bad ? 'fail' : 'pass', evidence, ...(bad ? { fix: base.status === 'fail' || plain.length ? fix : ariaFix } : {}) };
}

function tls(title: string, ins: SecurityInspection): ControlResult {
  const v = ins.Variables;
  const ok = v.require_secure_transport === 'ON' && v.have_ssl === 'YES';
  return { id: 'RDSCTL.TLS', title, status: ok ? 'pass' : 'fail',
    evidence: [`SHOW VARIABLES: require_secure_transport=${v.require_secure_transport ?? '?'}, have_ssl=${v.have_ssl ?? '?'}, tls_version=${v.tls_version ?? '?'}`],
    ...(ok ? {} : { fix: { kind: 'manual' as const, how: `the local endpoint always sets require_secure_transport=ON: restart the instance (rdsctl reboot ${ins.DBInstanceIdentifier}) and report this if it stays` } }) };
}

function publicAccess(base: ControlResult, ins: SecurityInspection): ControlResult {
  const bind = ins.Variables.bind_address ?? '?';
  const loopback = isLoopbackHost(bind);
  return { ...base, status: base.status === 'pass' && loopback ? 'pass' : 'fail', evidence: [...base.evidence, `SHOW VARIABLES: bind_address=${bind}`] };
}

/** The option group says what was asked for; server_audit_logging says whether the server logs now. */
function auditLog(base: ControlResult, ins: SecurityInspection): ControlResult {
  const v = ins.Variables;
  const logging = v.server_audit_logging;
  const evidence = [...base.evidence, logging === undefined ? 'SHOW VARIABLES: no server_audit_logging (server_audit not loaded)' : `SHOW VARIABLES: server_audit_logging=${logging}${v.server_audit_events ? `, server_audit_events=${v.server_audit_events}` : ''}`];
  if (base.status !== 'pass' || logging === 'ON') return { ...base, evidence };
  return { ...base, status: 'fail', evidence, fix: { kind: 'manual', how: `the option group has the option but the server does not log: rdsctl reboot ${ins.DBInstanceIdentifier} (a server started without server_audit loaded gets it at its next start)` } };
}

function masterSessions(ins: SecurityInspection, user: string): string[] {
  const s = ins.MasterSessions;
  const hosts = [...new Set(s.map((x) => x.Host.replace(/:\d+$/, '')))];
  return [
    `${s.length} session(s) of ${user} in PROCESSLIST now${hosts.length ? ` from ${hosts.join(', ')}` : ''}`,
    `which program opened them is not visible: performance_schema=${ins.PerformanceSchema} (no session_connect_attrs), and a snapshot is not a history; with the audit log on (RDSCTL.AUDIT-LOG) its CONNECT events are read instead`,
  ];
}

/** Local only: the OS user of the mariadbd process and the modes of the home's secrets. */
function host(ins: SecurityInspection): ControlResult[] {
  const p = ins.Process;
  const userOk = p.Uid !== undefined && p.Uid !== 0;
  const osUser: ControlResult = p.Uid === undefined
    ? { id: 'RDSCTL.OS-USER', title: 'mariadbd not running as root', status: 'not-measurable', evidence: [`${p.NodeId}: ${p.Source}`] }
    : { id: 'RDSCTL.OS-USER', title: 'mariadbd not running as root', status: userOk ? 'pass' : 'fail',
      evidence: [`${p.Source}: Uid ${p.Uid} (${p.OsUser ?? 'unknown'})`],
      ...(userOk ? {} : { fix: { kind: 'manual' as const, how: `restart the instance with this rdsctl (rdsctl reboot ${ins.DBInstanceIdentifier}): as root it starts mariadbd as rdsctl-mysql` } }) };
  const bad = ins.FileModes.filter((f) => !f.ok);
  const modes: ControlResult = { id: 'RDSCTL.FILE-MODES', title: 'Home and secret files private', status: bad.length ? 'fail' : 'pass',
    evidence: bad.length ? bad.map((f) => `${f.path} is ${f.mode}, want ${f.rule}`) : [`${ins.FileModes.length} paths checked (home ${ins.FileModes[0]?.mode ?? '?'}, secrets and keys owner-only or group-read)`],
    ...(bad.length ? { fix: { kind: 'manual' as const, how: `chmod go-rwx ${bad.map((f) => f.path).join(' ')}` } } : {}) };
  return [osUser, modes];
}

export const localControls = { encryption, tls, publicAccess, auditLog, masterSessions, host };
