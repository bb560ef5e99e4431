import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readJson, writeJsonAtomic } from './atomic-file.js';
import { ensureHome } from './home.js';

/** The access key pair the local endpoint accepts (SigV4). Generated once per home, stored 0600. */
export interface EndpointCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function randomFrom(alphabet: string, length: number): string {
  // Rejection-free mapping is fine here: both alphabets divide 256 evenly (32 and 64 symbols).
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function generateCredentials(): EndpointCredentials {
  return {
    accessKeyId: `AKIA${randomFrom(KEY_ALPHABET, 16)}`,
    secretAccessKey: randomFrom(SECRET_ALPHABET, 40),
    region: LOCAL_REGION,
  };
}

/** Reads the home's credentials, creating them on first use (exclusive create: two racers agree). */
export function loadOrCreateCredentials(home: string): EndpointCredentials {
  const layout = ensureHome(home);
  const existing = readJson<EndpointCredentials>(layout.credentialsFile);
  if (existing) return existing;
  const creds = generateCredentials();
  const tmp = `${layout.credentialsFile}.new`;
  writeJsonAtomic(tmp, creds);
  try {
    fs.linkSync(tmp, layout.credentialsFile); // fails if another process won the race
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return readJson<EndpointCredentials>(layout.credentialsFile)!;
}
