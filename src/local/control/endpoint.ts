import type { LocalEndpointInfo } from './types.js';

/**
 * Starts (detached) or finds the home's control-plane process and returns how to reach it.
 * PLACEHOLDER until the control-plane work lands: see issue 2.
 */
export async function ensureLocalEndpoint(home: string): Promise<LocalEndpointInfo> {
  throw new Error(`local endpoint not implemented yet (home ${home})`);
}
