import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** Required for the local target; optional ones only add features. */
  required: boolean;
  detail: string;
  fix?: string;
}

const APT = 'apt-get install -y mariadb-server mariadb-client mariadb-backup';
const SEARCH_DIRS = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];

export async function findBinary(name: string): Promise<string | undefined> {
  for (const dir of SEARCH_DIRS) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const BINARIES: { name: string; required: boolean; fix: string; why: string }[] = [
  { name: 'mariadbd', required: true, fix: APT, why: 'runs each local DB instance' },
  { name: 'mariadb-install-db', required: true, fix: APT, why: 'initialises instance data directories' },
  { name: 'mariadb', required: true, fix: APT, why: 'client for `rdsctl connect --shell`' },
  { name: 'mariadb-admin', required: true, fix: APT, why: 'instance health checks' },
  { name: 'mariadb-backup', required: true, fix: APT, why: 'snapshots, replicas and restores' },
  { name: 'mariadb-binlog', required: true, fix: APT, why: 'point-in-time restore' },
  { name: 'openssl', required: true, fix: 'apt-get install -y openssl', why: 'local CA, TLS certificates and encryption keys' },
  { name: 'mysqld', required: false, fix: 'install MySQL 8 server packages', why: 'engine "mysql" on the local target' },
  { name: 'pt-query-digest', required: false, fix: 'apt-get install -y percona-toolkit', why: 'benchmarks against pt-query-digest' },
  { name: 'sysbench', required: false, fix: 'apt-get install -y sysbench', why: 'load-test benchmarks' },
  { name: 'moto_server', required: false, fix: "pip install 'moto[server]'", why: 'aws-target tests against an independent implementation' },
];

export async function runDoctor(home: string): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [nodeCheck()];
  for (const b of BINARIES) {
    // Debian's /usr/sbin/mysqld is MariaDB's; only a real MySQL 8 server counts for engine "mysql".
    const found = b.name === 'mysqld' ? await findMysql8() : await findBinary(b.name);
    checks.push({ name: b.name, ok: Boolean(found), required: b.required, detail: found ? found : `missing (${b.why})`, fix: found ? undefined : b.fix });
  }
  checks.push(await homeCheck(home));
  return checks;
}

async function findMysql8(): Promise<string | undefined> {
  const bin = await findBinary('mysqld');
  if (!bin) return undefined;
  const { execFile } = await import('node:child_process');
  const version = await new Promise<string>((resolve) => execFile(bin, ['--version'], (_e, out) => resolve(String(out ?? ''))));
  return /MariaDB/i.test(version) || !/Ver 8\./.test(version) ? undefined : bin;
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
    return mode === 0o700
      ? { name: 'RDSCTL_HOME', ok: true, required: true, detail: `${home} (mode 0700)` }
      : { name: 'RDSCTL_HOME', ok: false, required: true, detail: `${home} has mode 0${mode.toString(8)}`, fix: `chmod 700 ${home}` };
  } catch {
    return { name: 'RDSCTL_HOME', ok: true, required: true, detail: `${home} (created on first use, mode 0700)` };
  }
}
