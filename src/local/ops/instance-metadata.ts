import type { FlatParams } from '../server/types.js';
import { AwsFault } from '../server/types.js';
import type { InstanceRecord } from '../state/registry.js';
import { invalidCombination, invalidValue } from './faults.js';
import { bool, list, str } from './params.js';
import { readMonitoring, type MonitoringSettings } from './monitoring.js';

/**
 * The metadata-only settings of a DB instance (security groups, subnet group, AZ, option group, log
 * exports, CA, lifecycle support): stored and returned exactly as sent, after AWS's checks of their shape.
 * Pure: the subnet group's existence is checked by the op (it needs the store).
 */

/** The one VPC of the local endpoint (subnet groups and instances name it). */
export const LOCAL_VPC_ID = 'vpc-0000000000000000a';
export const LOCAL_AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
export const LOG_TYPES = ['audit', 'error', 'general', 'slowquery'];
/** The CA identifiers RDS offers (metadata here: the home CA signs every local certificate). */
export const CA_IDENTIFIERS = ['rds-ca-rsa2048-g1', 'rds-ca-rsa4096-g1', 'rds-ca-ecc384-g1', 'rds-ca-2019'];
export const LIFECYCLE_SUPPORT = ['open-source-rds-extended-support', 'open-source-rds-extended-support-disabled'];

/** `10.11.6` → `mariadb10.11` (the DB parameter group family). */
export function engineFamily(engine: string, version: string): string {
  return `${engine}${version.split('.').slice(0, 2).join('.')}`;
}

export const defaultParameterGroup = (engine: string, version: string) => `default.${engineFamily(engine, version)}`;
/** `default:mariadb-10-11`. */
export const defaultOptionGroup = (engine: string, version: string) => `default:${engine}-${version.split('.').slice(0, 2).join('-')}`;

export type InstanceMetadata = Partial<Pick<InstanceRecord,
  'autoMinorVersionUpgrade' | 'vpcSecurityGroupIds' | 'dbSubnetGroupName' | 'optionGroupName' | 'caCertificateIdentifier'
  | 'cloudwatchLogsExports' | 'engineLifecycleSupport' | 'masterUserSecretKmsKeyId' | 'copyTagsToSnapshot' | 'availabilityZone'
  | 'parameterGroupName' | 'monitoringInterval' | 'monitoringRoleArn'>>;

const optionGroupNotFound = (name: string) => new AwsFault('OptionGroupNotFoundFault', `Specified OptionGroupName: ${name} not found.`, 404);
const certificateNotFound = (id: string) => new AwsFault('CertificateNotFound', `CACertificateIdentifier ${id} not found. Valid: ${CA_IDENTIFIERS.join(', ')}.`, 404);

function checkLogTypes(types: string[], engine: string, version: string): string[] {
  const bad = types.filter((t) => !LOG_TYPES.includes(t));
  if (bad.length > 0) {
    throw invalidCombination(`You cannot use the log types '${bad.join("', '")}' with engine version ${engine} ${version}. For supported log types, see the documentation: ${LOG_TYPES.join(', ')}.`);
  }
  return [...new Set(types)].sort();
}

function checkSecurityGroups(ids: string[]): string[] {
  for (const id of ids) if (!/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) throw invalidValue(`Invalid security group , groupId= ${id}, groupName=.`);
  if (ids.length > 5) throw invalidValue('A DB instance can have at most 5 VPC security groups.');
  return ids;
}

function oneOf(name: string, value: string | undefined, allowed: string[]): string | undefined {
  if (value !== undefined && !allowed.includes(value)) throw invalidValue(`Invalid value ${value} for ${name}. Valid values: ${allowed.join(', ')}.`);
  return value;
}

/** The metadata a Create/ModifyDBInstance request sets (absent members: undefined, the record keeps its value). */
/** `optionGroups`: the created option groups' names (the default group always exists). */
export function readMetadata(flat: FlatParams, rec: Pick<InstanceRecord, 'engine' | 'engineVersion' | 'cloudwatchLogsExports'> & MonitoringSettings, op: 'create' | 'modify', optionGroups: string[] = []): InstanceMetadata {
  const { engine, engineVersion: version } = rec;
  // Its existence is checked by the op (pg-groups.ts requireParameterGroup: it needs the store).
  const pg = str(flat, 'DBParameterGroupName')?.toLowerCase();
  const og = str(flat, 'OptionGroupName')?.toLowerCase();
  if (og !== undefined && og !== defaultOptionGroup(engine, version) && !optionGroups.includes(og)) throw optionGroupNotFound(str(flat, 'OptionGroupName')!);
  const ca = str(flat, 'CACertificateIdentifier');
  if (ca !== undefined && !CA_IDENTIFIERS.includes(ca)) throw certificateNotFound(ca);
  const sgs = list(flat, 'VpcSecurityGroupIds.VpcSecurityGroupId');
  const meta: InstanceMetadata = {
    autoMinorVersionUpgrade: bool(flat, 'AutoMinorVersionUpgrade'),
    copyTagsToSnapshot: bool(flat, 'CopyTagsToSnapshot'),
    vpcSecurityGroupIds: sgs.length > 0 ? checkSecurityGroups(sgs) : undefined,
    dbSubnetGroupName: str(flat, 'DBSubnetGroupName')?.toLowerCase(),
    optionGroupName: og,
    parameterGroupName: pg,
    caCertificateIdentifier: ca,
    engineLifecycleSupport: oneOf('EngineLifecycleSupport', str(flat, 'EngineLifecycleSupport'), LIFECYCLE_SUPPORT),
    masterUserSecretKmsKeyId: str(flat, 'MasterUserSecretKmsKeyId'),
    ...readMonitoring(flat, rec),
  };
  if (op === 'create') {
    meta.availabilityZone = oneOf('AvailabilityZone', str(flat, 'AvailabilityZone'), LOCAL_AZS);
    const logs = list(flat, 'EnableCloudwatchLogsExports.member');
    if (logs.length > 0) meta.cloudwatchLogsExports = checkLogTypes(logs, engine, version);
  } else {
    const enable = list(flat, 'CloudwatchLogsExportConfiguration.EnableLogTypes.member');
    const disable = list(flat, 'CloudwatchLogsExportConfiguration.DisableLogTypes.member');
    if (enable.length + disable.length > 0) {
      const both = enable.filter((t) => disable.includes(t));
      if (both.length > 0) throw invalidCombination(`You cannot enable and disable the same log type: ${both.join(', ')}.`);
      checkLogTypes([...enable, ...disable], engine, version);
      const now = new Set([...(rec.cloudwatchLogsExports ?? []), ...enable]);
      disable.forEach((t) => now.delete(t));
      meta.cloudwatchLogsExports = [...now].sort();
    }
  }
  for (const k of Object.keys(meta) as (keyof InstanceMetadata)[]) if (meta[k] === undefined && !(k === 'monitoringRoleArn' && meta.monitoringInterval === 0)) delete meta[k];
  return meta;
}
