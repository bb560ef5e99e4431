import { AwsFault } from '../server/types.js';

/** AWS's own codes and statuses, so SDK err.name and waiters behave as against RDS. */
export const invalidValue = (message: string) => new AwsFault('InvalidParameterValue', message, 400);
export const invalidCombination = (message: string) => new AwsFault('InvalidParameterCombination', message, 400);
export const missingParameter = (name: string) =>
  new AwsFault('MissingParameter', `The request must contain the parameter ${name}.`, 400);
export const instanceNotFound = (id: string) => new AwsFault('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
export const instanceExists = (id: string) =>
  new AwsFault('DBInstanceAlreadyExists', `DB instance already exists: ${id}`, 400);
export const invalidState = (message: string) => new AwsFault('InvalidDBInstanceState', message, 400);
export const storageQuota = (message: string) => new AwsFault('StorageQuotaExceeded', message, 400);
export const instanceQuota = (message: string) => new AwsFault('InstanceQuotaExceeded', message, 400);
