import { readJson, writeJsonAtomic } from '../state/atomic-file.js';
import { homeLayout } from '../state/home.js';

/** <home>/endpoint.json: where the control plane listens (no secrets; the keys are in credentials.json). */
export interface EndpointFile {
  url: string;
  port: number;
  pid: number;
  region: string;
  /** The CA bundle that verifies every instance's server certificate. */
  caFile: string;
  logFile: string;
  startedAt: string;
  /** The port was fixed by RDSCTL_LOCAL_PORT / --port (else chosen free and remembered). */
  portFixed: boolean;
  /** RDSCTL_MARIADB_BINDIR the control plane was started with (it runs every mariadbd from there). */
  mariadbBindir?: string;
}

export function readEndpointFile(home: string): EndpointFile | undefined {
  try {
    return readJson<EndpointFile>(homeLayout(home).endpointFile);
  } catch {
    return undefined;
  }
}

export function writeEndpointFile(home: string, info: EndpointFile): void {
  writeJsonAtomic(homeLayout(home).endpointFile, info, 0o600);
}
