/**
 * RDSCTL.MASTER-USE from the audit log: MariaDB server_audit's CONNECT / FAILED_CONNECT lines
 * (`timestamp,serverhost,username,host,connectionid,queryid,operation,database,object,retcode`), as
 * DownloadDBLogFilePortion serves `audit/server_audit.log` on both targets. Pure.
 */
export interface ConnectEvent {
  time: string;
  user: string;
  host: string;
  connection: number;
  ok: boolean;
}

/** The CONNECT and FAILED_CONNECT events of a portion of the log (other lines and cut lines are skipped). */
export function connectEvents(text: string): { events: ConnectEvent[]; first?: string; last?: string } {
  const events: ConnectEvent[] = [];
  let first: string | undefined;
  let last: string | undefined;
  for (const line of text.split('\n')) {
    const f = line.split(',');
    if (f.length < 10 || !/^\d{8} \d{2}:\d{2}:\d{2}$/.test(f[0])) continue;
    first ??= f[0];
    last = f[0];
    const op = f[6];
    if (op !== 'CONNECT' && op !== 'FAILED_CONNECT') continue;
    events.push({ time: f[0], user: f[2], host: f[3], connection: Number(f[4]), ok: op === 'CONNECT' && f[f.length - 1].trim() === '0' });
  }
  return { events, first, last };
}

export interface MasterUseVerdict {
  status: 'pass' | 'fail';
  evidence: string[];
}

const counted = (xs: string[]) => [...new Map(xs.map((x) => [x, xs.filter((y) => y === x).length])).entries()].map(([x, n]) => `${x} ×${n}`).join(', ');

/**
 * Every successful login of the master user in the window is a use (the control plane itself logs in as
 * root over the socket, RDS as rdsadmin): the log names user and host, not the program, so a DBA's own
 * session counts too — the evidence says which connections, so a person can tell them apart.
 */
export function masterUseFromLog(text: string, master: string, window: string): MasterUseVerdict {
  const { events, first, last } = connectEvents(text);
  const mine = events.filter((e) => e.user === master);
  const logins = mine.filter((e) => e.ok);
  const failedLogins = mine.length - logins.length;
  const span = first ? `${first} – ${last}` : 'empty';
  const evidence = [`audit/server_audit.log (${window}, ${span}): ${events.length} CONNECT event(s), ${logins.length} login(s) of ${master}${failedLogins ? `, ${failedLogins} failed` : ''}`];
  if (logins.length === 0) return { status: 'pass', evidence };
  const ids = logins.slice(-5).map((e) => `#${e.connection} ${e.time}`).join(', ');
  evidence.push(`${master} logged in from ${counted(logins.map((e) => e.host))}; latest: ${ids}`);
  evidence.push('the log names user and host, not the program: a DBA\'s own sessions (rdsctl connect, users, iam grant) count too');
  return { status: 'fail', evidence };
}
