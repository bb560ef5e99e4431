import fs from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from './atomic-file.js';
import { homeLayout } from './home.js';

/** The resource kinds the control plane keeps, each in its own store (instances today). */
export type StoreKind = 'instances' | 'snapshots' | 'automated-backups' | 'alarms' | 'parameter-groups' | 'subnet-groups'
  | 'iam-roles' | 'iam-policies' | 'iam-users' | 'iam-access-keys' | 'sts-sessions' | 'option-groups';

/** <home>/state/<kind>/: outside every node's folder, so removing a node's files never touches a record. */
export function storeDir(home: string, kind: StoreKind): string {
  return path.join(homeLayout(home).stateDir, kind);
}

/**
 * One crash-safe store of one resource kind: a JSON file per resource (`<id>.json`, 0600), written by
 * temp file + fsync + rename + fsync of the folder, so a reader (or the next start after a kill -9)
 * sees the old record or the new one, never half of each. Listing skips the writer's temp files.
 */
export class Store<T extends { id: string }> {
  constructor(readonly dir: string) {}

  file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  get(id: string): T | undefined {
    return readJson<T>(this.file(id));
  }

  save(rec: T): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeJsonAtomic(this.file(rec.id), rec);
  }

  remove(id: string): void {
    fs.rmSync(this.file(id), { force: true });
  }

  /** Every record, sorted by identifier (sorted ids, not file names: "a" before "a-b", though "a-b.json" < "a.json"). */
  list(): T[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const ids = names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -'.json'.length));
    const out: T[] = [];
    for (const id of ids.sort()) {
      const rec = this.get(id);
      if (rec) out.push(rec);
    }
    return out;
  }
}
