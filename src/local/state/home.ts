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

/** Creates the home (0700) and its folders; tightens the mode of an existing home. */
export function ensureHome(home: string): HomeLayout {
  const layout = homeLayout(home);
  for (const dir of [layout.home, layout.instancesDir, layout.stateDir, layout.secretsDir]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
  }
  return layout;
}

export function instanceRoot(home: string, id: string): string {
  return path.join(homeLayout(home).instancesDir, id);
}
