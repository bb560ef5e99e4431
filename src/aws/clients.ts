import type { RDSClient } from '@aws-sdk/client-rds';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TargetKind } from '../cli/context.js';

export interface TargetRequest {
  target: TargetKind;
  home: string;
  profile?: string;
  region?: string;
  endpointUrl?: string;
}

export interface TargetInfo {
  kind: TargetKind;
  region: string;
  /** Explicit endpoint (local endpoint URL or --endpoint-url); undefined = AWS's own. */
  endpoint?: string;
  /** For the human "target: …" line. */
  label: string;
  /** Things the user set that this target does not honour right now (printed as warnings). */
  warnings?: string[];
}

export interface Clients {
  target: TargetInfo;
  rds: RDSClient;
  cloudwatch(): Promise<CloudWatchClient>;
  iam(): Promise<IAMClient>;
  /** Secrets Manager, for the master password RDS manages (MasterUserSecret). */
  secrets(): Promise<SecretsManagerClient>;
}

interface SharedConfig {
  region: string;
  endpoint?: string;
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

/**
 * The one place SDK clients are built. Commands never know which target they run on:
 * local → the home's control plane (started if needed) and its generated credentials;
 * aws → the standard credential and region chain, --profile, AWS_ENDPOINT_URL*.
 */
export async function createClients(req: TargetRequest): Promise<Clients> {
  const { config, target } = await resolveConfig(req);
  const { RDSClient } = await import('@aws-sdk/client-rds');
  return {
    target,
    rds: new RDSClient(config),
    async cloudwatch() {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      return new CloudWatchClient(config);
    },
    async iam() {
      const { IAMClient } = await import('@aws-sdk/client-iam');
      return new IAMClient(config);
    },
    async secrets() {
      const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
      return new SecretsManagerClient(config);
    },
  };
}

async function resolveConfig(req: TargetRequest): Promise<{ config: SharedConfig; target: TargetInfo }> {
  const { requireEndpointUrl, requireRegion } = await import('../core/validation.js');
  if (req.endpointUrl !== undefined) requireEndpointUrl(req.endpointUrl);
  if (req.target === 'local') {
    const { ensureLocalEndpoint } = await import('../local/control/endpoint.js');
    const ep = await ensureLocalEndpoint(req.home);
    const endpoint = req.endpointUrl ?? ep.url;
    return {
      config: {
        region: ep.region,
        endpoint,
        credentials: { accessKeyId: ep.accessKeyId, secretAccessKey: ep.secretAccessKey },
        maxAttempts: 3,
      },
      target: { kind: 'local', region: ep.region, endpoint, label: `local (${endpoint})`, warnings: ep.warnings },
    };
  }
  const endpoint = req.endpointUrl; // else the SDK honours AWS_ENDPOINT_URL_RDS / AWS_ENDPOINT_URL itself
  // AWS_REGION comes first in the SDK's chain; checked here, since the chain turns a malformed one into "no region".
  const fromEnv = process.env.AWS_REGION ? requireRegion(process.env.AWS_REGION, 'AWS_REGION') : undefined;
  const region = req.region !== undefined ? requireRegion(req.region) : fromEnv ?? requireRegion(await regionFromChain(req.profile), 'The region of the AWS profile');
  return {
    config: { region, endpoint, profile: req.profile },
    target: { kind: 'aws', region, endpoint, label: `aws (${region}${req.profile ? `, profile ${req.profile}` : ''}${endpoint ? `, ${endpoint}` : ''})` },
  };
}

/** The SDK's own region chain (AWS_REGION, profile config); a clear error when there is none. */
async function regionFromChain(profile?: string): Promise<string> {
  const { RDSClient } = await import('@aws-sdk/client-rds');
  try {
    const region = await new RDSClient({ profile }).config.region();
    if (region) return region;
  } catch {
    // fall through to the error below
  }
  const { usageError } = await import('../core/errors.js');
  throw usageError('MISSING_REGION', 'No AWS region set for the aws target.', {
    hint: 'Pass --region us-east-1, set AWS_REGION, or set region in your AWS profile.',
  });
}
