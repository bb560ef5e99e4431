import fs from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from '../state/atomic-file.js';
import { homeLayout } from '../state/home.js';

/**
 * The passwords of the database users rdsctl creates (`rdsctl users`), kept like the master secret: one
 * 0600 JSON file per user under <home>/secrets/users/<scope>/<instance>/, folders 0700. `scope` keeps the
 * targets apart (`local`, `aws-<region>`): the same identifier on AWS is another instance. Read and
 * written by the CLI's services only (the control plane never needs them); printed only by
 * `rdsctl credentials <id> --user <name>`.
 */
export interface UserSecret {
  username: string;
  password: string;
  role: string;
  database: string;
  /** Host part of the account ('%'). */
  host: string;
  updatedAt: string;
}

function dirOf(home: string, scope: string, id: string): string {
  return path.join(homeLayout(path.resolve(home)).secretsDir, 'users', scope, id.toLowerCase());
}

const fileOf = (home: string, scope: string, id: string, name: string) => path.join(dirOf(home, scope, id), `${name}.json`);

export function readUserSecret(home: string, scope: string, id: string, name: string): UserSecret | undefined {
  return readJson<UserSecret>(fileOf(home, scope, id, name));
}

export function writeUserSecret(home: string, scope: string, id: string, secret: Omit<UserSecret, 'updatedAt'>): void {
  fs.mkdirSync(dirOf(home, scope, id), { recursive: true, mode: 0o700 });
  writeJsonAtomic(fileOf(home, scope, id, secret.username), { ...secret, updatedAt: new Date().toISOString() }, 0o600);
}

export function removeUserSecret(home: string, scope: string, id: string, name: string): void {
  fs.rmSync(fileOf(home, scope, id, name), { force: true });
}

/** Every user kept for the instance, by name. */
export function listUserSecrets(home: string, scope: string, id: string): UserSecret[] {
  let names: string[];
  try {
    names = fs.readdirSync(dirOf(home, scope, id)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((f) => readJson<UserSecret>(path.join(dirOf(home, scope, id), f))).filter((s): s is UserSecret => s !== undefined);
}
