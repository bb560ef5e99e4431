import { formatArn, rdsArn, rdsArnName, type RdsResourceType } from '../../core/arn.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../state/credentials.js';

/** ARNs of the local endpoint's resources: its region and account, spelled in one place. */
export function localRdsArn(type: RdsResourceType, name: string): string {
  return rdsArn(LOCAL_REGION, LOCAL_ACCOUNT, type, name);
}

export function localArn(service: string, resource: string): string {
  return formatArn({ service, region: LOCAL_REGION, account: LOCAL_ACCOUNT, resource });
}

export function instanceArn(id: string): string {
  return localRdsArn('db', id);
}

/** The name in one of this endpoint's RDS ARNs (its region and account only), or undefined. */
export function localRdsArnName(text: string, type: RdsResourceType): string | undefined {
  const parsed = rdsArnName(text, type);
  return parsed && parsed.region === LOCAL_REGION && parsed.account === LOCAL_ACCOUNT ? parsed.name : undefined;
}
