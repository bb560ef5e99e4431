import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RdsctlError, ExitCode } from '../core/errors.js';

const run = async (file: string, args: string[]): Promise<string> => (await promisify(execFile)(file, args)).stdout;

/**
 * The OS account every mariadbd runs as when rdsctl runs as root (mariadbd drops to it itself, from
 * `user=` in my.cnf). Why a dedicated one rather than Debian's `mysql`: that account owns the system
 * MariaDB's /var/lib/mysql, and a compromised instance must not reach it (nor the other way round).
 * It has no home, no shell and no password; its own group is the only one that may traverse the
 * instance folders (see local/engine/ownership.ts). A fact of this machine (src/system): the engine uses
 * it, and `rdsctl doctor` reports it without reaching into the engine.
 */
export const SERVICE_USER = 'rdsctl-mysql';

export interface ServiceAccount {
  name: string;
  uid: number;
  gid: number;
}

export const runningAsRoot = (): boolean => process.getuid?.() === 0;

let cached: Promise<ServiceAccount> | undefined;

/** The service account when we are root (created on first use), or undefined: then mariadbd runs as us. */
export async function serviceAccount(): Promise<ServiceAccount | undefined> {
  if (!runningAsRoot()) return undefined;
  cached ??= lookupOrCreate().catch((e: unknown) => {
    cached = undefined; // a later call may succeed (e.g. useradd installed meanwhile)
    throw e;
  });
  return cached;
}

/** Parses one `getent passwd` line: name:x:uid:gid:… */
export function parsePasswdLine(line: string): ServiceAccount | undefined {
  const [name, , uid, gid] = line.trim().split(':');
  const u = Number(uid);
  const g = Number(gid);
  return name && Number.isInteger(u) && Number.isInteger(g) ? { name, uid: u, gid: g } : undefined;
}

/** The account if it exists (no creation). */
export async function lookupServiceAccount(): Promise<ServiceAccount | undefined> {
  const out = await run('getent', ['passwd', SERVICE_USER]).catch(() => ''); // exit 2 = no such user
  return parsePasswdLine(out);
}

async function lookupOrCreate(): Promise<ServiceAccount> {
  const found = await lookupServiceAccount();
  if (found) return found;
  // Two control planes may race here: the loser's useradd fails with "already exists"; look again.
  await run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent',
    '--shell', '/usr/sbin/nologin', '--comment', 'rdsctl local MariaDB instances', SERVICE_USER]).catch(() => undefined);
  const made = await lookupServiceAccount();
  if (made) return made;
  throw new RdsctlError('SERVICE_USER_MISSING', ExitCode.unexpected,
    `The OS user ${SERVICE_USER} (which runs every mariadbd when rdsctl runs as root) does not exist and could not be created.`, {
      hint: `Create it: useradd --system --user-group --no-create-home --shell /usr/sbin/nologin ${SERVICE_USER}, then retry.`,
    });
}
