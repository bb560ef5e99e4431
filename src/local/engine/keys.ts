import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { requireBinary } from '../../system/binaries.js';
import { keyFiles } from './config.js';
import { run } from './exec.js';
import type { InstancePaths } from './types.js';

/**
 * file_key_management key file: `<id>;<64 hex>` lines. Key 1 is the default for tables, logs and
 * binlogs; key 2 is what MariaDB uses for temporary data when present.
 */
export function renderKeyLines(keys: Buffer[]): string {
  return keys.map((k, i) => `${i + 1};${k.toString('hex')}`).join('\n') + '\n';
}

/**
 * Writes the encrypted key file and its password file (both 0600). The plaintext keys go to
 * openssl on stdin and never touch disk; the password is passed as `-pass file:`, never on argv.
 * `-md sha1` (EVP_BytesToKey, legacy) is the only format the plugin reads.
 */
export async function writeEncryptionKeys(paths: InstancePaths): Promise<void> {
  const openssl = requireBinary('openssl');
  const { keyFile, fileKey } = keyFiles(paths);
  await mkdir(paths.keysDir, { recursive: true, mode: 0o700 });
  await writeFile(fileKey, randomBytes(32).toString('hex'), { mode: 0o600 });
  const plain = renderKeyLines([randomBytes(32), randomBytes(32)]);
  await run(openssl, ['enc', '-aes-256-cbc', '-md', 'sha1', '-salt', '-pass', `file:${fileKey}`, '-out', keyFile], {
    input: plain,
  });
  await chmod(keyFile, 0o600);
}
