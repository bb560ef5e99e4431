import path from 'node:path';
import { notFoundError } from '../../core/errors.js';
import { readSecret } from '../state/secrets.js';
import { readEndpointFile } from './endpoint-file.js';

export interface LocalCredentials {
  username: string;
  password: string;
  host: string;
  port: number;
  /** CA bundle that verifies the instance's server certificate (the home CA). */
  caFile?: string;
}

/**
 * The master credentials the control plane keeps for a local instance (<home>/secrets/<id>.json, 0600).
 * Reads files only and never prints; the caller decides what to show.
 */
export async function readLocalCredentials(home: string, id: string): Promise<LocalCredentials> {
  home = path.resolve(home);
  const secret = readSecret(home, id.toLowerCase());
  if (!secret) {
    throw notFoundError('CREDENTIALS_NOT_FOUND', `No stored master credentials for local instance "${id}".`, {
      hint: 'Check the identifier with rdsctl list; instances created outside this RDSCTL_HOME are not known here.',
    });
  }
  const rec = await import('../state/migrate.js').then(({ readInstanceRecords }) => readInstanceRecords(home).find((r) => r.id === id.toLowerCase()));
  return {
    username: secret.username,
    password: secret.password,
    host: '127.0.0.1',
    port: rec?.port ?? 0,
    caFile: readEndpointFile(home)?.caFile,
  };
}
