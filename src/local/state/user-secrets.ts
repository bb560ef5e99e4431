import fs from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from './atomic-file.js';
import { homeLayout } from './home.js';

/**
 * The passwords of the database users rdsctl creates (`rdsctl users`), kept like the master secret: one
 * 0600 JSON file per user under <home>/secrets/users/<scope>/<instance>/, folders 0700. `scope` keeps the
 * targets apart (`local`, `aws-<region>`): the same identifier on AWS is another instance. Written by the
 * CLI's services; on the local target the control plane also keeps them as long as something can bring
 * the users back (ops/user-secrets-keep.ts: removed with the instance, copied into its snapshots and
 * retained backups, restored with them). Printed only by `rdsctl credentials <id> --user <name>`.
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

export function userSecretsDir(home: string, scope: string, id: string): string {
  return path.join(homeLayout(path.resolve(home)).secretsDir, 'users', scope, id.toLowerCase());
}

const fileOf = (home: string, scope: string, id: string, name: string) => path.join(userSecretsDir(home, scope, id), `${name}.json`);

export function readUserSecret(home: string, scope: string, id: string, name: string): UserSecret | undefined {
  return readJson<UserSecret>(fileOf(home, scope, id, name));
}

/** Writes one user's secret into a folder (made 0700), 0600, atomically. */
export function writeUserSecretIn(dir: string, secret: Omit<UserSecret, 'updatedAt'> & { updatedAt?: string }): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeJsonAtomic(path.join(dir, `${secret.username}.json`), { ...secret, updatedAt: secret.updatedAt ?? new Date().toISOString() }, 0o600);
}

export function writeUserSecret(home: string, scope: string, id: string, secret: Omit<UserSecret, 'updatedAt'>): void {
  writeUserSecretIn(userSecretsDir(home, scope, id), { ...secret, updatedAt: undefined });
}

export function removeUserSecret(home: string, scope: string, id: string, name: string): void {
  fs.rmSync(fileOf(home, scope, id, name), { force: true });
}

/** Every user kept in a folder, by name ([] when there is none). */
export function listUserSecretsIn(dir: string): UserSecret[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((f) => readJson<UserSecret>(path.join(dir, f))).filter((s): s is UserSecret => s !== undefined);
}

/** Every user kept for the instance, by name. */
export function listUserSecrets(home: string, scope: string, id: string): UserSecret[] {
  return listUserSecretsIn(userSecretsDir(home, scope, id));
}

/** Removes every kept password of the instance; returns the user names that were kept. */
export function removeUserSecrets(home: string, scope: string, id: string): string[] {
  const names = listUserSecrets(home, scope, id).map((s) => s.username);
  fs.rmSync(userSecretsDir(home, scope, id), { recursive: true, force: true });
  return names;
}
