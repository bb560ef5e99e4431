import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBinary } from '../../system/binaries.js';
import { tlsFiles } from './config.js';
import { run } from './exec.js';
import type { InstancePaths } from './types.js';

export interface HomeCa {
  caCertFile: string;
  caKeyFile: string;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

export function homeCaFiles(home: string): HomeCa {
  return { caCertFile: join(home, 'ca', 'ca-cert.pem'), caKeyFile: join(home, 'ca', 'ca-key.pem') };
}

/**
 * The home-wide CA every instance certificate is signed by (clients trust this one file).
 * Built in a private temp folder and renamed into place, so concurrent callers never see half a CA
 * and the first one to finish wins.
 */
export async function ensureHomeCa(home: string): Promise<HomeCa> {
  const files = homeCaFiles(home);
  if (await exists(files.caCertFile)) return files;
  const openssl = requireBinary('openssl');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const tmp = join(home, `.ca-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  try {
    const key = join(tmp, 'ca-key.pem');
    await newKey(openssl, key);
    await run(openssl, ['req', '-x509', '-new', '-key', key, '-sha256', '-days', '3650',
      '-subj', '/CN=rdsctl local CA', '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', join(tmp, 'ca-cert.pem')]);
    await chmod(join(tmp, 'ca-cert.pem'), 0o644);
    await rename(tmp, join(home, 'ca')).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e; // another caller won the race
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return files;
}

/** P-256 keys: fast to make, accepted by MariaDB (OpenSSL 3) and Node's TLS. No passphrase by design. */
async function newKey(openssl: string, file: string): Promise<void> {
  await run(openssl, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
  await chmod(file, 0o600);
}

/** Server certificate for 127.0.0.1/localhost, signed by the home CA; key 0600 in tlsDir. */
export async function writeServerCert(paths: InstancePaths, ca: HomeCa): Promise<void> {
  const openssl = requireBinary('openssl');
  const { cert, key } = tlsFiles(paths);
  await mkdir(paths.tlsDir, { recursive: true, mode: 0o700 });
  await newKey(openssl, key);
  const csr = join(paths.tlsDir, 'server.csr');
  const ext = join(paths.tlsDir, 'server-ext.cnf');
  await writeFile(ext, [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    '',
  ].join('\n'));
  await run(openssl, ['req', '-new', '-key', key, '-subj', '/CN=localhost', '-out', csr]);
  await run(openssl, ['x509', '-req', '-in', csr, '-CA', ca.caCertFile, '-CAkey', ca.caKeyFile,
    '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', '825', '-sha256', '-extfile', ext, '-out', cert]);
  await rm(csr, { force: true });
  await rm(ext, { force: true });
}
