import fs from 'node:fs';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { withAdmin } from '../engine/admin.js';
import type { FileModeFact, SecurityInspection } from '../../core/security/facts.js';
import { probeEncryptionAtRest } from '../engine/encryption-probe.js';
import { homeCaFiles } from '../engine/tls.js';
import type { InstancePaths } from '../engine/types.js';
import { homeLayout } from '../state/home.js';
import { servingNode, type InstanceRecord } from '../state/registry.js';
import { AwsFault, type OpHandler } from '../server/types.js';
import type { OpsContext } from './context.js';
import { instanceNotFound, invalidState, missingParameter } from './faults.js';
import { checkIdentifier } from './instances-validate.js';

/** A mode rule: the bits that must be clear, and what the rule is for (shown as evidence). */
interface ModeRule {
  forbidden: number;
  rule: string;
}
const OWNER_ONLY: ModeRule = { forbidden: 0o077, rule: 'owner only (0600/0700)' };
// As root the service account's group may read the server's keys and pass through folders (ownership.ts).
const SERVER_READ: ModeRule = { forbidden: 0o027, rule: 'owner, group read (0640 root:rdsctl-mysql)' };
const PASSAGE: ModeRule = { forbidden: 0o067, rule: 'owner, group pass-through only (0700/0710)' };

/** Pure: whether `mode` keeps the bits `rule` forbids clear. */
export function modeOk(mode: number, rule: ModeRule): boolean {
  return (mode & rule.forbidden) === 0;
}

function modeFacts(home: string, paths: InstancePaths): FileModeFact[] {
  const layout = homeLayout(home);
  const list: [string, ModeRule][] = [
    [layout.home, PASSAGE],
    [layout.credentialsFile, OWNER_ONLY],
    [layout.endpointFile, OWNER_ONLY],
    [layout.secretsDir, OWNER_ONLY],
    [homeCaFiles(home).caKeyFile, OWNER_ONLY],
    [paths.configFile, OWNER_ONLY],
    [path.join(paths.tlsDir, 'server-key.pem'), SERVER_READ],
  ];
  for (const dir of [layout.secretsDir, paths.keysDir]) {
    const rule = dir === layout.secretsDir ? OWNER_ONLY : SERVER_READ;
    for (const f of safeList(dir)) list.push([path.join(dir, f), rule]);
  }
  return list.flatMap(([p, rule]) => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return [];
    }
    const mode = st.mode & 0o777;
    return [{ path: p, mode: `0${mode.toString(8)}`, ok: modeOk(mode, rule) && !st.isSymbolicLink(), rule: rule.rule }];
  });
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The process's real uid from /proc/<pid>/status, and its name from /etc/passwd. */
function processUser(pid: number): { Uid?: number; OsUser?: string } {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return {};
  }
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
  if (!Number.isInteger(uid)) return {};
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === String(uid));
  return { Uid: uid, OsUser: line?.split(':')[0] };
}

async function serverFacts(paths: InstancePaths, rec: InstanceRecord) {
  return withAdmin(paths, async (c) => {
    const [vars] = await c.query<RowDataPacket[]>(
      "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('require_secure_transport', 'have_ssl', 'bind_address', 'tls_version', 'performance_schema', 'server_audit_logging', 'server_audit_events')");
    const [sessions] = await c.query<RowDataPacket[]>(
      'SELECT ID, HOST, DB, COMMAND, TIME FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID() ORDER BY ID', [rec.masterUsername]);
    return {
      variables: Object.fromEntries(vars.map((r) => [String(r.Variable_name), String(r.Value)])),
      sessions: sessions.map((r) => ({ Id: Number(r.ID), Host: String(r.HOST), ...(r.DB ? { Db: String(r.DB) } : {}), Command: String(r.COMMAND), Time: Number(r.TIME) })),
    };
  });
}

/**
 * rdsctl-only, local-only operation (JSON 1.0, x-amz-target RdsctlLocal_20261201.InspectDBInstanceSecurity):
 * what `rdsctl audit` must see on the real thing and no RDS API shows — the datadir's files, the
 * mariadbd process's OS user, file modes in the home, the server's TLS variables and the master user's
 * sessions. The control plane does it with its own rights (root over the socket, /proc, the files): the
 * master user gets nothing new, and the CLI still never reads a node's folder itself.
 */
export function inspectDBInstanceSecurity(ctx: OpsContext): OpHandler<SecurityInspection> {
  return async (req) => {
    if (!req.json) throw new AwsFault('InvalidAction', 'InspectDBInstanceSecurity speaks JSON 1.0 only (x-amz-target RdsctlLocal_20261201).', 400);
    const raw = req.json.DBInstanceIdentifier;
    if (typeof raw !== 'string' || !raw) throw missingParameter('DBInstanceIdentifier');
    const id = checkIdentifier(raw);
    const rec = ctx.registry.get(id);
    if (!rec) throw instanceNotFound(id);
    if (rec.status !== 'available' && rec.status !== 'storage-full') throw invalidState(`DBInstance ${id} is not in available state (it is ${rec.status}).`);
    const paths = ctx.paths(id);
    const node = servingNode(rec)!;
    const pid = ctx.engine.runningPid(paths);
    let out: SecurityInspection | undefined;
    let failure: unknown;
    // One job on the instance: no modify, stop or snapshot runs while the marker is in its datadir.
    await ctx.jobs.run([id], async () => {
      try {
        const server = await serverFacts(paths, rec);
        const encryption = await probeEncryptionAtRest(paths, { replica: rec.source !== undefined })
          .catch((e: Error) => ({ Error: e.message }));
        out = {
          DBInstanceIdentifier: id,
          Process: { NodeId: node.id, ...(pid ? { Pid: pid, ...processUser(pid) } : {}), Source: pid ? `/proc/${pid}/status` : 'not running' },
          Variables: server.variables,
          Encryption: encryption,
          FileModes: modeFacts(ctx.home, paths),
          MasterSessions: server.sessions,
          PerformanceSchema: server.variables.performance_schema ?? 'OFF',
        };
      } catch (e) {
        failure = e;
      }
    });
    if (!out) throw invalidState(`Could not inspect ${id}: ${(failure as Error)?.message ?? 'unknown error'}`);
    return out;
  };
}
