import type { FlatParams } from '../server/types.js';
import { iamAuthUnavailable } from '../../system/pam.js';
import { invalidCombination } from './faults.js';
import { bool } from './params.js';

/**
 * EnableIAMDatabaseAuthentication of a Create/ModifyDBInstance request. Turning it on needs what the
 * PAM route needs on this machine (system/pam.ts); without it the request is refused, never accepted
 * and left unverified.
 */
export function readIamAuth(flat: FlatParams): boolean | undefined {
  const on = bool(flat, 'EnableIAMDatabaseAuthentication');
  const why = on ? iamAuthUnavailable() : undefined;
  if (why) throw invalidCombination(`IAM database authentication cannot run on this machine: ${why}.`);
  return on;
}
