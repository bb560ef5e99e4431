/** What the CLI (and tests) know about a home's control-plane process. Implemented in endpoint.ts. */
export interface LocalEndpointInfo {
  home: string;
  url: string; // http://127.0.0.1:<port>
  port: number;
  pid: number;
  region: string; // the region the endpoint signs for (us-east-1)
  accessKeyId: string;
  secretAccessKey: string;
  /** Settings of this command the running control plane does not use (e.g. another RDSCTL_MARIADB_BINDIR). */
  warnings?: string[];
}
