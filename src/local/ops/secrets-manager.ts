import type { DescribeSecretResponse, GetSecretValueResponse, ListSecretsResponse, SecretListEntry } from '@aws-sdk/client-secrets-manager';
import { AwsFault, type OpHandler, type OpRequest } from '../server/types.js';
import type { InstanceRecord } from '../state/registry.js';
import { readSecret, writeSecret, type InstanceSecret, type ManagedSecret } from '../state/secrets.js';
import { instanceArn, secretKeyArn } from './arns.js';
import type { OpsContext } from './context.js';
import { newManagedSecret } from './master-secret.js';

/**
 * Secrets Manager (JSON 1.1, `X-Amz-Target: secretsmanager.<Action>`) for the secrets RDS manages: one
 * per instance with ManageMasterUserPassword, read-only as RDS-owned secrets are to their users
 * (rotation goes through ModifyDBInstance RotateMasterUserPassword). The password lives in the
 * instance's 0600 secret file (state/secrets.ts): it is served from there, never copied or logged.
 */
const notFound = (what = "Secrets Manager can't find the specified secret.") => new AwsFault('ResourceNotFoundException', what, 400);
const invalidParameter = (message: string) => new AwsFault('InvalidParameterException', message, 400);

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';

interface Found {
  rec: InstanceRecord;
  secret: InstanceSecret & { managedSecret: ManagedSecret };
}

/** Every managed secret of the home, with its instance (the instance goes, its secret goes: runDelete). */
function managedSecrets(ctx: OpsContext): Found[] {
  const out: Found[] = [];
  for (const rec of ctx.registry.list()) {
    if (!rec.manageMasterUserPassword) continue;
    const secret = readSecret(ctx.home, rec.id);
    if (secret?.managedSecret) out.push({ rec, secret: secret as Found['secret'] });
  }
  return out;
}

/** SecretId as AWS takes it: the name, the full ARN, or the ARN without its six-character suffix. */
function findSecret(ctx: OpsContext, input: Record<string, unknown>): Found {
  const id = stringParam(input, 'SecretId', true)!;
  if (id.length > 2048) throw invalidParameter('SecretId must be at most 2048 characters.');
  const found = managedSecrets(ctx).find(({ secret: { managedSecret: s } }) => s.name === id || s.arn === id || s.arn.slice(0, -7) === id);
  if (!found) throw notFound();
  return found;
}

function stringParam(input: Record<string, unknown>, name: string, required = false): string | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalidParameter(`You must provide a value for the ${name} parameter.`);
    return undefined;
  }
  if (typeof v !== 'string') throw invalidParameter(`${name} must be a string.`);
  return v;
}

function inputOf(req: OpRequest): Record<string, unknown> {
  return req.json ?? {};
}

/** VersionId → stages, as DescribeSecret and ListSecrets show them. */
function versionsToStages(s: ManagedSecret): Record<string, string[]> {
  return { [s.versionId]: [CURRENT], ...(s.previous ? { [s.previous.versionId]: [PREVIOUS] } : {}) };
}

/** What every description of the secret says; RDS tags its secrets with the instance and the owning service. */
function entry({ rec, secret: { managedSecret: s } }: Found): SecretListEntry {
  return {
    ARN: s.arn,
    Name: s.name,
    Description: `Secret associated with primary RDS DB instance: ${instanceArn(rec.id)}`,
    // As Secrets Manager: no KmsKeyId for the default aws/secretsmanager key.
    KmsKeyId: rec.masterUserSecretKmsKeyId === undefined ? undefined : secretKeyArn(rec.masterUserSecretKmsKeyId),
    // Honest: nothing rotates it on a schedule here; RotateMasterUserPassword rotates it on demand.
    RotationEnabled: false,
    LastChangedDate: new Date(s.versionCreatedAt),
    LastRotatedDate: s.rotatedAt ? new Date(s.rotatedAt) : undefined,
    Tags: [
      { Key: 'aws:rds:primaryDBInstanceArn', Value: instanceArn(rec.id) },
      { Key: 'aws:secretsmanager:owningService', Value: 'rds' },
    ],
    OwningService: 'rds',
    CreatedDate: new Date(s.createdAt),
  };
}

export function getSecretValue(ctx: OpsContext): OpHandler<GetSecretValueResponse> {
  return async (req) => {
    const input = inputOf(req);
    const found = findSecret(ctx, input);
    const s = found.secret.managedSecret;
    const versionId = stringParam(input, 'VersionId');
    const stage = stringParam(input, 'VersionStage');
    const versions = [
      { versionId: s.versionId, stage: CURRENT, password: found.secret.password, createdAt: s.versionCreatedAt },
      ...(s.previous ? [{ ...s.previous, stage: PREVIOUS }] : []),
    ];
    const v = versions.find((x) => (versionId === undefined || x.versionId === versionId) && x.stage === (stage ?? (versionId ? x.stage : CURRENT)));
    if (!v) {
      throw notFound(versionId !== undefined
        ? `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`
        : `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
    }
    return {
      ARN: s.arn,
      Name: s.name,
      VersionId: v.versionId,
      SecretString: JSON.stringify({ username: found.secret.username, password: v.password }),
      VersionStages: [v.stage],
      CreatedDate: new Date(v.createdAt),
    };
  };
}

export function describeSecret(ctx: OpsContext): OpHandler<DescribeSecretResponse> {
  return async (req) => {
    const found = findSecret(ctx, inputOf(req));
    return { ...entry(found), VersionIdsToStages: versionsToStages(found.secret.managedSecret) };
  };
}

type Filter = { Key: string; Values: string[] };
const FILTER_KEYS = new Set(['description', 'name', 'tag-key', 'tag-value', 'owning-service', 'primary-region', 'all']);

function readFilters(input: Record<string, unknown>): Filter[] {
  const raw = input.Filters;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidParameter('Filters must be a list.');
  return raw.map((f: { Key?: unknown; Values?: unknown }) => {
    if (typeof f?.Key !== 'string' || !FILTER_KEYS.has(f.Key)) throw invalidParameter(`Invalid filter key: ${String(f?.Key)}. Use one of ${[...FILTER_KEYS].join(', ')}.`);
    if (!Array.isArray(f.Values) || f.Values.length === 0) throw invalidParameter(`The filter ${f.Key} needs at least one value.`);
    return { Key: f.Key, Values: f.Values.map(String) };
  });
}

/** AWS matches filter values as prefixes; a value starting with `!` excludes. */
function matches(e: SecretListEntry, f: Filter): boolean {
  const fields: Record<string, string[]> = {
    name: [e.Name!], description: [e.Description ?? ''], 'owning-service': [e.OwningService ?? ''], 'primary-region': [],
    'tag-key': (e.Tags ?? []).map((t) => t.Key!), 'tag-value': (e.Tags ?? []).map((t) => t.Value!),
  };
  const values = f.Key === 'all' ? Object.values(fields).flat() : fields[f.Key];
  return f.Values.some((v) => (v.startsWith('!') ? !values.some((x) => x.startsWith(v.slice(1))) : values.some((x) => x.startsWith(v))));
}

export function listSecrets(ctx: OpsContext): OpHandler<ListSecretsResponse> {
  return async (req) => {
    const input = inputOf(req);
    const max = input.MaxResults === undefined ? 100 : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidParameter('MaxResults must be an integer from 1 to 100.');
    const order = stringParam(input, 'SortOrder') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw invalidParameter('SortOrder must be asc or desc.');
    const filters = readFilters(input);
    const token = stringParam(input, 'NextToken');
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw new AwsFault('InvalidNextTokenException', 'The NextToken value is invalid.', 400);
    const all = managedSecrets(ctx)
      .map((f) => ({ ...entry(f), SecretVersionsToStages: versionsToStages(f.secret.managedSecret) }))
      .filter((e) => filters.every((f) => matches(e, f)))
      .sort((a, b) => (a.CreatedDate!.getTime() - b.CreatedDate!.getTime()) * (order === 'asc' ? 1 : -1));
    const page = all.slice(start, start + max);
    const next = start + max < all.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
    return { SecretList: page, NextToken: next };
  };
}

/**
 * Homes from before the local Secrets Manager: a managed password had no secret of its own. At start,
 * such an instance gets one (its current password as AWSCURRENT); a read replica copied its source's
 * flag, which RDS never sets on a replica, so it loses it.
 */
export function adoptLegacySecrets(ctx: OpsContext): void {
  for (const rec of ctx.registry.list()) {
    if (!rec.manageMasterUserPassword || rec.masterUserSecretArn) continue;
    if (rec.source) {
      ctx.registry.update(rec.id, (r) => { r.manageMasterUserPassword = false; });
      continue;
    }
    const secret = readSecret(ctx.home, rec.id);
    if (!secret) continue;
    const managedSecret = secret.managedSecret ?? newManagedSecret();
    writeSecret(ctx.home, rec.id, { username: secret.username, password: secret.password, managed: true, managedSecret });
    ctx.registry.update(rec.id, (r) => { r.masterUserSecretArn = managedSecret.arn; });
  }
}
