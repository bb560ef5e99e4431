import { randomFrom } from './credentials.js';
import { Store, storeDir } from './store.js';

/**
 * The local IAM and STS resources, one crash-safe store per kind (state/<kind>/<id>.json, 0600): roles,
 * managed policies, users, users' access keys and STS sessions. Secrets (secret access keys, session
 * keys) live in these 0600 records inside the 0700 home, like the endpoint's own key pair.
 */
export interface RoleRecord {
  id: string; // RoleName
  roleId: string;
  arn: string;
  path: string;
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  createDate: string;
  attached: string[]; // policy ARNs
}

export interface PolicyRecord {
  id: string; // PolicyName
  policyId: string;
  arn: string;
  path: string;
  document: string;
  description?: string;
  createDate: string;
}

export interface UserRecord {
  id: string; // UserName
  userId: string;
  arn: string;
  path: string;
  createDate: string;
  attached: string[];
}

export interface AccessKeyRecord {
  id: string; // AccessKeyId
  userName: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  createDate: string;
}

export interface SessionRecord {
  id: string; // the temporary AccessKeyId (ASIA…)
  secretAccessKey: string;
  sessionToken: string;
  roleName: string;
  sessionName: string;
  /** arn:aws:sts::<account>:assumed-role/<role>/<session> */
  arn: string;
  expiration: string;
}

export interface IamStores {
  roles: Store<RoleRecord>;
  policies: Store<PolicyRecord>;
  users: Store<UserRecord>;
  accessKeys: Store<AccessKeyRecord>;
  sessions: Store<SessionRecord>;
}

export function iamStores(home: string): IamStores {
  return {
    roles: new Store<RoleRecord>(storeDir(home, 'iam-roles')),
    policies: new Store<PolicyRecord>(storeDir(home, 'iam-policies')),
    users: new Store<UserRecord>(storeDir(home, 'iam-users')),
    accessKeys: new Store<AccessKeyRecord>(storeDir(home, 'iam-access-keys')),
    sessions: new Store<SessionRecord>(storeDir(home, 'sts-sessions')),
  };
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** AWS's unique-id prefixes: AROA role, ANPA policy, AIDA user, AKIA access key, ASIA temporary key. */
export const newId = (prefix: 'AROA' | 'ANPA' | 'AIDA' | 'AKIA' | 'ASIA') => `${prefix}${randomFrom(ID_ALPHABET, 16)}`;
export const newSecret = () => randomFrom(SECRET_ALPHABET, 40);
/**
 * A session token. Short on purpose (AWS's are ~700 characters): an IAM database token carries it in
 * X-Amz-Security-Token, and PAM hands the verifier at most 511 bytes of a password (pam_exec's
 * PAM_MAX_RESP_SIZE), so a local token with an AWS-sized session token would arrive cut.
 */
export const newSessionToken = () => `IQoJrdsctl${randomFrom(TOKEN_ALPHABET, 54)}`;
