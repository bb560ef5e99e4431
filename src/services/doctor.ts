import { stat } from 'node:fs/promises';
import { serviceOnlyPassage } from '../local/state/home.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** Required for the local target; optional ones only add features. */
  required: boolean;
  detail: string;
  fix?: string;
}

const OPTIONAL: { name: string; fix: string; why: string }[] = [
  { name: 'pt-query-digest', fix: 'apt-get install -y percona-toolkit', why: 'tests and benchmarks compare with pt-query-digest' },
  { name: 'sysbench', fix: 'apt-get install -y sysbench', why: 'load-test benchmarks' },
  { name: 'moto_server', fix: "pip install 'moto[server]'", why: 'aws-target tests against an independent implementation' },
];

const WHY: Record<string, string> = {
  mariadbd: 'runs each local DB instance', 'mariadb-install-db': 'initialises instance data directories',
  mariadb: 'client for `rdsctl connect --shell` and validation copies', 'mariadb-admin': 'instance health checks',
  'mariadb-binlog': 'point-in-time restore', 'mariadb-backup': 'snapshots, replicas and restores',
  openssl: 'local CA, TLS certificates and encryption keys',
};

export async function runDoctor(home: string): Promise<DoctorCheck[]> {
  const { checkBinaries, findBinary, mysqlAvailable, REQUIRED_BINARIES } = await import('../system/binaries.js');
  const checks: DoctorCheck[] = [nodeCheck()];
  const required = checkBinaries();
  for (const b of REQUIRED_BINARIES) {
    const found = required.found[b.name];
    checks.push({ name: b.name, ok: Boolean(found), required: true, detail: found ?? `missing (${WHY[b.name]})`, fix: found ? undefined : required.hint });
  }
  // Debian's /usr/sbin/mysqld is MariaDB's; only a real MySQL 8 server counts.
  const mysql = mysqlAvailable();
  checks.push({ name: 'mysqld (MySQL 8)', ok: mysql, required: false, detail: mysql ? findBinary('mysqld')! : 'not installed (engine "mysql" is not offered by the local target)' });
  for (const b of OPTIONAL) {
    const found = findBinary(b.name);
    checks.push({ name: b.name, ok: Boolean(found), required: false, detail: found ?? `missing (${b.why})`, fix: found ? undefined : b.fix });
  }
  checks.push(await homeCheck(home));
  if (process.getuid?.() === 0) checks.push(await serviceUserCheck(), await confinementCheck(), await iamAuthCheck());
  return checks;
}

/** As root every mariadbd runs as a dedicated account (docs/SECURITY.md); it is created on first use. */
async function serviceUserCheck(): Promise<DoctorCheck> {
  const { SERVICE_USER, lookupServiceAccount } = await import('../system/service-user.js');
  const { findBinary } = await import('../system/binaries.js');
  const acct = await lookupServiceAccount();
  if (acct) return { name: 'service user', ok: true, required: true, detail: `${SERVICE_USER} (uid ${acct.uid}) runs every mariadbd` };
  const useradd = findBinary('useradd');
  return useradd
    ? { name: 'service user', ok: true, required: true, detail: `${SERVICE_USER} will be created on first use (${useradd})` }
    : { name: 'service user', ok: false, required: true, detail: `${SERVICE_USER} is missing and useradd is not installed`, fix: 'apt-get install -y passwd' };
}

/** As root every mariadbd runs in a mount namespace where only its own folders are writable (docs/SECURITY.md). */
async function confinementCheck(): Promise<DoctorCheck> {
  const { mountNamespacesWork } = await import('../system/mount-namespace.js');
  return mountNamespacesWork()
    ? { name: 'mariadbd confinement', ok: true, required: false, detail: 'mount namespaces work: each mariadbd writes only its own folders' }
    : { name: 'mariadbd confinement', ok: false, required: false, detail: 'no mount namespace here (unshare --mount refused): mariadbd runs unconfined as the service user',
        fix: 'run where unshare --mount works (root with CAP_SYS_ADMIN; a container needs --cap-add SYS_ADMIN)' };
}

/** IAM database authentication runs through auth_pam in the node's namespace (docs/SECURITY.md). */
async function iamAuthCheck(): Promise<DoctorCheck> {
  const { iamAuthUnavailable } = await import('../system/pam.js');
  const why = iamAuthUnavailable();
  return why === undefined
    ? { name: 'IAM database auth', ok: true, required: false, detail: 'auth_pam, setuid auth_pam_tool and pam_exec are here: rdsctl iam enable works' }
    : { name: 'IAM database auth', ok: false, required: false, detail: `unavailable: ${why}`, fix: 'apt-get install -y mariadb-server libpam-modules (as root, with mount namespaces)' };
}

function nodeCheck(): DoctorCheck {
  const major = Number(process.versions.node.split('.')[0]);
  return {
    name: 'node',
    ok: major >= 20,
    required: true,
    detail: `v${process.versions.node}${major < 22 ? ' (works; AWS SDK releases after January 2027 need Node 22 — the lockfile pins one that supports 20)' : ''}`,
    fix: major >= 20 ? undefined : 'install Node.js 20 or newer',
  };
}

async function homeCheck(home: string): Promise<DoctorCheck> {
  try {
    const s = await stat(home);
    const mode = s.mode & 0o777;
    if (serviceOnlyPassage(s)) return { name: 'RDSCTL_HOME', ok: true, required: true, detail: `${home} (mode 0710: the service user may pass through, not list)` };
    return mode === 0o700
      ? { name: 'RDSCTL_HOME', ok: true, required: true, detail: `${home} (mode 0700)` }
      : { name: 'RDSCTL_HOME', ok: false, required: true, detail: `${home} has mode 0${mode.toString(8)}`, fix: `chmod 700 ${home}` };
  } catch {
    return { name: 'RDSCTL_HOME', ok: true, required: true, detail: `${home} (created on first use, mode 0700)` };
  }
}
