import type { Output } from './render/output.js';

export type TargetKind = 'local' | 'aws';

/** Global options, as commander parses them (see main.ts). */
export interface GlobalOptions {
  target?: string;
  profile?: string;
  region?: string;
  endpointUrl?: string;
  home?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  yes?: boolean;
  dryRun?: boolean;
}

export interface CliContext {
  options: GlobalOptions;
  out: Output;
  /** RDSCTL_HOME resolved (flag, env, ~/.rdsctl). */
  home: string;
  target: TargetKind;
}
