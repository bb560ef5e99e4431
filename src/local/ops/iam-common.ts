import type { AttachedPolicy } from '@aws-sdk/client-iam';
import { parsePolicyDocument } from '../../core/iam-policy.js';
import { AwsFault } from '../server/types.js';
import type { FlatParams } from '../server/types.js';
import { LOCAL_ACCOUNT } from '../state/credentials.js';
import type { IamStores, PolicyRecord } from '../state/iam.js';
import type { Store } from '../state/store.js';
import { required, str } from './params.js';

/** IAM's errors (Query wire codes; the SDK names them NoSuchEntityException etc.). */
export const noSuchEntity = (message: string) => new AwsFault('NoSuchEntity', message, 404);
export const entityExists = (message: string) => new AwsFault('EntityAlreadyExists', message, 409);
export const deleteConflict = (message: string) => new AwsFault('DeleteConflict', message, 409);
export const validationError = (message: string) => new AwsFault('ValidationError', message, 400);

/** Role, user and policy names: IAM's pattern `[\w+=,.@-]+`, at most `max` characters. */
export function iamName(flat: FlatParams, member: string, max: number): string {
  const name = required(flat, member);
  if (name.length > max || !/^[\w+=,.@-]+$/.test(name)) {
    throw validationError(`1 validation error detected: Value '${name}' at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length at most ${max}`);
  }
  return name;
}

export function iamPath(flat: FlatParams): string {
  const path = str(flat, 'Path') ?? '/';
  if (!/^\/([\x21-\x7e]*\/)?$/.test(path) || path.length > 512) throw validationError(`The specified value for path is invalid: ${path}. It must begin and end with / and contain only printable ASCII characters.`);
  return path;
}

export const iamArn = (type: 'role' | 'user' | 'policy', path: string, name: string) => `arn:aws:iam::${LOCAL_ACCOUNT}:${type}${path}${name}`;

/** A document given in a request: valid JSON policy grammar or MalformedPolicyDocument. */
export function policyDocument(flat: FlatParams, member: string): string {
  const text = required(flat, member);
  const parsed = parsePolicyDocument(text);
  if ('problem' in parsed) throw new AwsFault('MalformedPolicyDocument', parsed.problem, 400);
  return text;
}

/** The managed policy an ARN names (this account's policies only). */
export function policyByArn(stores: IamStores, arn: string): PolicyRecord {
  const found = stores.policies.list().find((p) => p.arn === arn);
  if (!found) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return found;
}

export function attachedList(stores: IamStores, arns: string[]): AttachedPolicy[] {
  return arns.map((arn) => ({ PolicyArn: arn, PolicyName: stores.policies.list().find((p) => p.arn === arn)?.id ?? arn.split('/').pop() }));
}

/** How many roles and users a policy is attached to (DeletePolicy refuses while it is > 0). */
export function attachmentCount(stores: IamStores, arn: string): number {
  return [...stores.roles.list(), ...stores.users.list()].filter((e) => e.attached.includes(arn)).length;
}

type Holder = { id: string; attached: string[] };

/** AttachRolePolicy / AttachUserPolicy: the policy must exist; attaching twice is a no-op (as on AWS). */
export function attachPolicy<T extends Holder>(stores: IamStores, store: Store<T>, holder: T, flat: FlatParams): object {
  const policy = policyByArn(stores, required(flat, 'PolicyArn'));
  if (!holder.attached.includes(policy.arn)) store.save({ ...holder, attached: [...holder.attached, policy.arn] });
  return {};
}

/** DetachRolePolicy / DetachUserPolicy: NoSuchEntity when it is not attached. */
export function detachPolicy<T extends Holder>(store: Store<T>, holder: T, flat: FlatParams): object {
  const arn = required(flat, 'PolicyArn');
  if (!holder.attached.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  store.save({ ...holder, attached: holder.attached.filter((a) => a !== arn) });
  return {};
}
