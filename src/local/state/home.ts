import fs from 'node:fs';
import path from 'node:path';

/**
 * Every path the control plane keeps in RDSCTL_HOME. instances/<node-id>/ are the engine's node folders
 * (one mariadbd each); the records of every resource kind live in state/<kind>/ (store.ts).
 */
export interface HomeLayout {
  home: string;
  instancesDir: string;
  stateDir: string;
  secretsDir: string;
  credentialsFile: string;
  endpointFile: string;
  pidFile: string;
  logFile: string;
  eventsFile: string;
}

export function homeLayout(home: string): HomeLayout {
  const root = path.resolve(home);
  return {
    home: root,
    instancesDir: path.join(root, 'instances'),
    stateDir: path.join(root, 'state'),
    secretsDir: path.join(root, 'secrets'),
    credentialsFile: path.join(root, 'credentials.json'),
    endpointFile: path.join(root, 'endpoint.json'),
    pidFile: path.join(root, 'control-plane.pid'),
    logFile: path.join(root, 'control-plane.log'),
    eventsFile: path.join(root, 'events.jsonl'),
  };
}

/**
 * Creates the home (0700) and its folders; tightens the mode of an existing home. One exception:
 * when rdsctl runs as root, the engine lets the service account's group pass through the home and
 * instances/ (root:<group> 0710, see src/local/engine/ownership.ts) — that is kept, or every
 * mariadbd would lose its files; anything looser is tightened.
 */
export function ensureHome(home: string): HomeLayout {
  const layout = homeLayout(home);
  for (const dir of [layout.home, layout.instancesDir, layout.stateDir, layout.secretsDir]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (dir === layout.secretsDir || !serviceOnlyPassage(fs.statSync(dir))) fs.chmodSync(dir, 0o700);
  }
  return layout;
}

/** root:<a group> 0710 — the pass-through the engine gives the service account (nobody may list or read). */
export function serviceOnlyPassage(st: { mode: number; uid: number; gid: number }): boolean {
  return (st.mode & 0o777) === 0o710 && st.uid === 0 && st.gid !== 0;
}

export function instanceRoot(home: string, id: string): string {
  return path.join(homeLayout(home).instancesDir, id);
}
