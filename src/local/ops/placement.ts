import type { FlatParams } from '../server/types.js';
import type { OpsContext } from './context.js';
import { invalidCombination, invalidValue } from './faults.js';
import { takenPorts } from './instances-create.js';
import { bool, str } from './params.js';
import { claimPort, pickInstancePort } from './ports.js';

/** Placement members an instance made from another (replica, restore) may carry: only what 127.0.0.1 can honour. */
export function refusePlacement(flat: FlatParams, what: string): void {
  if (bool(flat, 'MultiAZ')) throw invalidCombination('Multi-AZ is not supported by the local endpoint yet; omit MultiAZ or set it to false.');
  if (bool(flat, 'PubliclyAccessible')) throw invalidCombination('The local endpoint listens on 127.0.0.1 only; PubliclyAccessible must be false.');
  const az = str(flat, 'AvailabilityZone');
  if (az && az !== 'us-east-1a') throw invalidValue(`Cannot create ${what} in Availability Zone ${az}: the local endpoint has us-east-1a only.`);
}

/** The endpoint port: the one asked for if free, else a free one (reserved until releaseReservation). */
export async function choosePort(ctx: OpsContext, wanted: number | undefined): Promise<number> {
  const taken = takenPorts(ctx);
  if (wanted === undefined) return pickInstancePort(taken);
  if (!(await claimPort(wanted, taken))) throw invalidValue(`Port ${wanted} is already in use on 127.0.0.1; choose another Port or omit it.`);
  return wanted;
}
