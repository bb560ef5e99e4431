import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usageError } from '../core/errors.js';
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

/**
 * Where commands go. An explicit flag wins over the environment: --target, then --profile/--region
 * (they only make sense for aws), then RDSCTL_TARGET, then local.
 */
export function resolveTarget(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): TargetKind {
  const chosen = opts.target ?? (opts.profile || opts.region ? 'aws' : env.RDSCTL_TARGET || 'local');
  if (chosen !== 'local' && chosen !== 'aws') {
    const from = opts.target !== undefined ? '--target' : 'RDSCTL_TARGET';
    throw usageError('INVALID_TARGET', `Unknown target "${chosen}" (${from}).`, {
      hint: 'Use --target local (the local endpoint on MariaDB) or --target aws (real Amazon RDS).',
    });
  }
  return chosen;
}

/**
 * RDSCTL_HOME: --home, then env RDSCTL_HOME, then ~/.rdsctl. An empty value would resolve to the current
 * folder (which rdsctl then chmods 0700 and fills): refused, like a path that is not a folder.
 */
export function resolveHome(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  const from = opts.home !== undefined ? '--home' : env.RDSCTL_HOME !== undefined ? 'RDSCTL_HOME' : undefined;
  const raw = opts.home ?? env.RDSCTL_HOME;
  if (raw !== undefined && raw.trim() === '') {
    throw usageError('INVALID_HOME', `${from} is empty: rdsctl would use the current folder as its state folder. Nothing was changed.`, {
      hint: from === '--home' ? 'Pass a folder, e.g. --home ~/.rdsctl, or leave --home out.' : 'Unset RDSCTL_HOME (default ~/.rdsctl) or set it to a folder.',
    });
  }
  const home = path.resolve(raw ?? path.join(os.homedir(), '.rdsctl'));
  let isDir: boolean | undefined;
  try {
    isDir = fs.statSync(home).isDirectory();
  } catch {
    isDir = undefined; // does not exist yet: created on first use
  }
  if (isDir === false) {
    throw usageError('INVALID_HOME', `${from ?? 'The home folder'} ${home} is not a folder.`, {
      hint: `Pass a folder (new or existing), e.g. --home ${path.join(path.dirname(home), '.rdsctl')}.`,
    });
  }
  return home;
}
