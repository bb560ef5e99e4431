import type { DBEngineVersion, DBEngineVersionMessage, OrderableDBInstanceOptionsMessage, OrderableDBInstanceOption } from '@aws-sdk/client-rds';
import { INSTANCE_CLASSES } from '../../core/instance-classes.js';
import { iamAuthUnavailable } from '../../system/pam.js';
import type { OpHandler } from '../server/types.js';
import { AwsFault } from '../server/types.js';
import type { OpsContext } from './context.js';
import { invalidValue } from './faults.js';
import { CA_IDENTIFIERS, LOCAL_AZS, LOG_TYPES, engineFamily } from './instance-metadata.js';
import { checkMaxRecords } from './instances-describe.js';
import { STORAGE_LIMITS } from './instances-validate.js';
import { bool, filters, int, str, type Filter } from './params.js';

/**
 * What this machine can run, answered as RDS answers its catalogue: one engine version (the installed
 * mariadbd's) and the instance classes of src/core/instance-classes.ts (option groups: option-groups.ts).
 */

const ENGINE = 'mariadb';
const ENGINES = ['mariadb', 'mysql', 'postgres', 'oracle-ee', 'oracle-se2', 'sqlserver-ee', 'sqlserver-se', 'sqlserver-ex', 'sqlserver-web', 'aurora-mysql', 'aurora-postgresql', 'db2-se', 'db2-ae', 'custom-oracle-ee'];

function checkEngine(engine: string | undefined): void {
  if (engine !== undefined && !ENGINES.includes(engine)) throw invalidValue(`Invalid DB engine: ${engine}`);
}

/** `10.11` matches 10.11.19 (a major version), `10.11.19` only itself. */
const versionMatches = (version: string, asked: string) => version === asked || version.startsWith(`${asked}.`);

/** Filters as RDS names them; a value list matches when any value does. */
function matches(fields: Record<string, string>, fs: Filter[], allowed: string[]): boolean {
  for (const f of fs) if (!allowed.includes(f.Name)) throw invalidValue(`Unrecognized filter name: ${f.Name}. Supported: ${allowed.join(', ')}.`);
  return fs.every((f) => f.Values.some((v) => (f.Name === 'engine-version' ? versionMatches(fields[f.Name], v) : fields[f.Name] === v)));
}

function engineVersionOf(ctx: OpsContext, withCharsets: boolean): DBEngineVersion {
  const version = ctx.engineVersion;
  const family = engineFamily(ENGINE, version);
  return {
    Engine: ENGINE,
    EngineVersion: version,
    MajorEngineVersion: version.split('.').slice(0, 2).join('.'),
    DBParameterGroupFamily: family,
    DBEngineDescription: 'MariaDB Community Edition',
    DBEngineVersionDescription: `MariaDB ${version} (installed on this machine)`,
    DBEngineVersionArn: undefined,
    DefaultCharacterSet: withCharsets ? { CharacterSetName: 'utf8mb4', CharacterSetDescription: 'UTF-8 Unicode' } : undefined,
    SupportedCharacterSets: withCharsets ? [{ CharacterSetName: 'utf8mb4', CharacterSetDescription: 'UTF-8 Unicode' }, { CharacterSetName: 'latin1', CharacterSetDescription: 'cp1252 West European' }] : undefined,
    ValidUpgradeTarget: [],
    ExportableLogTypes: LOG_TYPES,
    SupportsLogExportsToCloudwatchLogs: true,
    SupportsReadReplica: true,
    SupportedEngineModes: ['provisioned'],
    SupportedFeatureNames: [],
    Status: 'available',
    SupportsParallelQuery: false,
    SupportsGlobalDatabases: false,
    SupportsBabelfish: false,
    SupportsLimitlessDatabase: false,
    SupportsCertificateRotationWithoutRestart: true,
    SupportedCACertificateIdentifiers: CA_IDENTIFIERS,
    SupportsLocalWriteForwarding: false,
    SupportsIntegrations: false,
  };
}

/** DescribeDBEngineVersions: the installed version; Engine, EngineVersion, DBParameterGroupFamily, DefaultOnly, IncludeAll, Filters. */
export function describeDBEngineVersions(ctx: OpsContext): OpHandler<DBEngineVersionMessage> {
  return async (req) => {
    const flat = req.flat;
    checkMaxRecords(int(flat, 'MaxRecords'));
    checkEngine(str(flat, 'Engine'));
    bool(flat, 'DefaultOnly'); // the one version is the default: DefaultOnly changes nothing, but must be a boolean
    bool(flat, 'IncludeAll'); // every version here is `available`, so IncludeAll adds none
    const v = engineVersionOf(ctx, bool(flat, 'ListSupportedCharacterSets') === true);
    const fields = { engine: ENGINE, 'engine-version': v.EngineVersion!, 'db-parameter-group-family': v.DBParameterGroupFamily!, 'engine-mode': 'provisioned', status: 'available' };
    const asked = { Engine: str(flat, 'Engine'), EngineVersion: str(flat, 'EngineVersion'), Family: str(flat, 'DBParameterGroupFamily') };
    const keep = (asked.Engine === undefined || asked.Engine === ENGINE)
      && (asked.EngineVersion === undefined || versionMatches(v.EngineVersion!, asked.EngineVersion))
      && (asked.Family === undefined || asked.Family === v.DBParameterGroupFamily)
      && matches(fields, filters(flat), Object.keys(fields));
    return { DBEngineVersions: keep ? [v] : [] };
  };
}

/** `iam`: whether this machine runs IAM database authentication (the PAM route, system/pam.ts). */
function orderable(ctx: OpsContext, cls: string, storageType: string, iam: boolean): OrderableDBInstanceOption {
  const [min, max] = STORAGE_LIMITS[storageType];
  const iops = storageType === 'io1' || storageType === 'io2';
  return {
    Engine: ENGINE, EngineVersion: ctx.engineVersion, DBInstanceClass: cls, LicenseModel: 'general-public-license',
    AvailabilityZoneGroup: 'us-east-1', AvailabilityZones: LOCAL_AZS.map((Name) => ({ Name })),
    MultiAZCapable: false, ReadReplicaCapable: true, Vpc: true, SupportsStorageEncryption: true, StorageType: storageType,
    SupportsIops: iops, SupportsStorageThroughput: false, SupportsEnhancedMonitoring: false, SupportsIAMDatabaseAuthentication: iam,
    SupportsPerformanceInsights: false, MinStorageSize: min, MaxStorageSize: max, SupportedEngineModes: ['provisioned'],
    SupportsStorageAutoscaling: true, SupportsKerberosAuthentication: false, OutpostCapable: false, SupportsGlobalDatabases: false,
    SupportedNetworkTypes: ['IPV4'], SupportsClusters: false, SupportsDedicatedLogVolume: false,
  };
}

/** DescribeOrderableDBInstanceOptions: every class this endpoint runs × the storage types, for mariadb. Marker is an offset. */
export function describeOrderableDBInstanceOptions(ctx: OpsContext): OpHandler<OrderableDBInstanceOptionsMessage> {
  return async (req) => {
    const flat = req.flat;
    const engine = str(flat, 'Engine');
    if (engine === undefined) throw new AwsFault('MissingParameter', 'The request must contain the parameter Engine.', 400);
    checkEngine(engine);
    const maxRecords = checkMaxRecords(int(flat, 'MaxRecords'));
    const version = str(flat, 'EngineVersion');
    const cls = str(flat, 'DBInstanceClass');
    const license = str(flat, 'LicenseModel');
    const vpc = bool(flat, 'Vpc');
    const fs = filters(flat);
    if (fs.length > 0) throw invalidValue('DescribeOrderableDBInstanceOptions takes no filters (Filters is reserved for future use).');
    const iam = iamAuthUnavailable() === undefined;
    const all = engine !== ENGINE || vpc === false || (license !== undefined && license !== 'general-public-license')
      || (version !== undefined && !versionMatches(ctx.engineVersion, version))
      ? []
      : INSTANCE_CLASSES.filter((c) => cls === undefined || c.name === cls)
        .flatMap((c) => Object.keys(STORAGE_LIMITS).map((t) => orderable(ctx, c.name, t, iam)));
    const marker = str(flat, 'Marker');
    const start = marker === undefined ? 0 : Number(marker);
    if (!Number.isInteger(start) || start < 0) throw invalidValue(`Invalid Marker: ${marker}`);
    const next = start + maxRecords < all.length ? String(start + maxRecords) : undefined;
    return { OrderableDBInstanceOptions: all.slice(start, start + maxRecords), Marker: next };
  };
}
