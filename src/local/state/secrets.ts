import fs from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from './atomic-file.js';
import { homeLayout } from './home.js';

/** The master user's credentials for one instance, kept 0600 so local tools can connect. */
export interface InstanceSecret {
  username: string;
  password: string;
  /** true when the control plane generated it (ManageMasterUserPassword). */
  managed: boolean;
  updatedAt: string;
  /** The Secrets Manager secret RDS keeps for a managed password (ops/secrets-manager.ts serves it). */
  managedSecret?: ManagedSecret;
}

/**
 * A managed password as Secrets Manager holds it: name `rds!db-<uuid>`, its ARN, the AWSCURRENT version
 * (the `password` above) and, after a rotation, the AWSPREVIOUS one, kept so clients can still read it.
 */
export interface ManagedSecret {
  name: string;
  arn: string;
  createdAt: string;
  versionId: string;
  versionCreatedAt: string;
  previous?: { versionId: string; password: string; createdAt: string };
  rotatedAt?: string;
}

export function secretFile(home: string, id: string): string {
  return path.join(homeLayout(home).secretsDir, `${id}.json`);
}

export function readSecret(home: string, id: string): InstanceSecret | undefined {
  return readJson<InstanceSecret>(secretFile(home, id));
}

export function writeSecret(home: string, id: string, secret: Omit<InstanceSecret, 'updatedAt'>): void {
  fs.mkdirSync(homeLayout(home).secretsDir, { recursive: true, mode: 0o700 });
  writeJsonAtomic(secretFile(home, id), { ...secret, updatedAt: new Date().toISOString() }, 0o600);
}

export function removeSecret(home: string, id: string): void {
  fs.rmSync(secretFile(home, id), { force: true });
}
