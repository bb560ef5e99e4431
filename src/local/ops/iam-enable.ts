import { iamAuthUnavailable } from '../../system/pam.js';
import { invalidCombination } from './faults.js';

/**
 * Turning EnableIAMDatabaseAuthentication on needs what the PAM route needs on this machine
 * (system/pam.ts): without it Create/ModifyDBInstance is refused, never accepted and left unverified.
 * Checked by the ops (a fact of the machine), not by the pure request plans.
 */
export function requireIamAuthAvailable(on: boolean | undefined): void {
  const why = on ? iamAuthUnavailable() : undefined;
  if (why) throw invalidCombination(`IAM database authentication cannot run on this machine: ${why}.`);
}
