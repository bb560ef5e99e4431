import fs from 'node:fs';
import path from 'node:path';
import { readJson } from './atomic-file.js';
import { homeLayout } from './home.js';
import { instanceStore, type InstanceRecord } from './registry.js';

/**
 * Homes written before the instance/node split kept each record in the node's folder
 * (instances/<id>/instance.json) with the process fields (serverId, pid) on the instance itself.
 * The control plane migrates such a home when it starts; until then the readers below (local status,
 * credentials) see the old records as the control plane will.
 */
type LegacyRecord = Omit<InstanceRecord, 'nodes'> & { nodes?: undefined; serverId: number; pid?: number; usedBytes?: number };

export function legacyRecordFile(home: string, id: string): string {
  return path.join(homeLayout(home).instancesDir, id, 'instance.json');
}

/** Pure: the old record as an instance with one primary node on the endpoint port. */
export function fromLegacy(old: LegacyRecord): InstanceRecord {
  const { serverId, pid, usedBytes: _unused, ...rest } = old;
  return { ...rest, nodes: [{ id: old.id, role: 'primary', port: old.port, serverId, ...(pid !== undefined ? { pid } : {}) }] };
}

function legacyIds(home: string): string[] {
  try {
    return fs.readdirSync(homeLayout(home).instancesDir).filter((id) => fs.existsSync(legacyRecordFile(home, id))).sort();
  } catch {
    return [];
  }
}

/**
 * Moves every old-layout record into the instance store and removes the old file; safe to repeat and
 * to crash in: the store is written first, and a record already in the store wins over the old file.
 * Also drops `.deleting-<id>` folders the old delete left when killed between its rename and rm (their
 * record was already gone). Returns the migrated identifiers.
 */
export function migrateLegacyLayout(home: string): string[] {
  const store = instanceStore(home);
  const migrated: string[] = [];
  for (const id of legacyIds(home)) {
    const old = readJson<LegacyRecord>(legacyRecordFile(home, id));
    if (old && !store.get(id)) {
      store.save(fromLegacy(old));
      migrated.push(id);
    }
    fs.rmSync(legacyRecordFile(home, id), { force: true });
  }
  const root = homeLayout(home).home;
  for (const name of fs.readdirSync(root)) {
    if (name.startsWith('.deleting-')) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
  return migrated;
}

/** Every instance record, old-layout ones included (read-only: for readers outside the control plane). */
export function readInstanceRecords(home: string): InstanceRecord[] {
  const store = instanceStore(home);
  const records = new Map(store.list().map((r) => [r.id, r]));
  for (const id of legacyIds(home)) {
    if (records.has(id)) continue;
    const old = readJson<LegacyRecord>(legacyRecordFile(home, id));
    if (old) records.set(id, fromLegacy(old));
  }
  return [...records.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
