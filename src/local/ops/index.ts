import type { OpRegistry } from '../server/types.js';
import type { OpsContext } from './context.js';
import { describeEvents } from './events-describe.js';
import { createDBInstance } from './instances-create.js';
import { describeDBInstances } from './instances-describe.js';
import { deleteDBInstance, rebootDBInstance, startDBInstance, stopDBInstance } from './instances-lifecycle.js';
import { modifyDBInstance } from './instances-modify.js';
import { getMetricData, getMetricStatistics, listMetrics } from './metrics-query.js';
import { putMetricData } from './metrics-put.js';
import { alarmActions, deleteAlarms, putMetricAlarm, setAlarmState } from './alarms-put.js';
import { describeAlarmHistory, describeAlarms, describeAlarmsForMetric } from './alarms-describe.js';
import { createDBInstanceReadReplica } from './replicas-create.js';
import { promoteReadReplica } from './replicas-promote.js';
import { describeDBEngineVersions, describeOrderableDBInstanceOptions } from './engine-catalog.js';
import { createOptionGroup, deleteOptionGroup, describeOptionGroupOptions, describeOptionGroups, modifyOptionGroup } from './option-groups.js';
import { createDBSubnetGroup, deleteDBSubnetGroup, describeDBSubnetGroups, modifyDBSubnetGroup } from './subnet-groups.js';
import { createDBSnapshot, deleteDBSnapshot, describeDBSnapshots } from './snapshots.js';
import { restoreDBInstanceFromDBSnapshot } from './snapshots-restore.js';
import { restoreDBInstanceToPointInTime } from './pitr.js';
import { describeDBInstanceAutomatedBackups } from './backups-describe.js';
import { createDBParameterGroup, deleteDBParameterGroup, describeDBParameterGroups, describeDBParameters, describeEngineDefaultParameters, modifyDBParameterGroup, resetDBParameterGroup } from './pg-groups.js';
import { describeDBLogFiles, downloadDBLogFilePortion } from './log-files.js';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './instances-tags.js';
import { describeSecret, getSecretValue, listSecrets } from './secrets-manager.js';
import { describeDBSnapshotAttributes } from './snapshots-attributes.js';
import { inspectDBInstanceSecurity } from './security-inspect.js';
import { attachRolePolicy, createRole, deleteRole, detachRolePolicy, getRole, listAttachedRolePolicies } from './iam-roles.js';
import { createPolicy, deletePolicy, getPolicy, getPolicyVersion } from './iam-policies.js';
import { attachUserPolicy, createAccessKey, createUser, detachUserPolicy, getUser, listAttachedUserPolicies } from './iam-users.js';
import { assumeRole, getCallerIdentity } from './sts.js';

/** Every operation the endpoint answers: one line per op (replicas, snapshots, CloudWatch … add theirs here). */
export function buildOpRegistry(ctx: OpsContext): OpRegistry {
  return {
    rds: {
      CreateDBInstance: createDBInstance(ctx),
      DescribeDBInstances: describeDBInstances(ctx),
      ModifyDBInstance: modifyDBInstance(ctx),
      RebootDBInstance: rebootDBInstance(ctx),
      StopDBInstance: stopDBInstance(ctx),
      StartDBInstance: startDBInstance(ctx),
      DeleteDBInstance: deleteDBInstance(ctx),
      CreateDBInstanceReadReplica: createDBInstanceReadReplica(ctx),
      PromoteReadReplica: promoteReadReplica(ctx),
      DescribeEvents: describeEvents(ctx),
      ListTagsForResource: listTagsForResource(ctx),
      AddTagsToResource: addTagsToResource(ctx),
      RemoveTagsFromResource: removeTagsFromResource(ctx),
      DescribeDBEngineVersions: describeDBEngineVersions(ctx),
      DescribeOrderableDBInstanceOptions: describeOrderableDBInstanceOptions(ctx),
      DescribeOptionGroups: describeOptionGroups(ctx),
      CreateOptionGroup: createOptionGroup(ctx),
      ModifyOptionGroup: modifyOptionGroup(ctx),
      DeleteOptionGroup: deleteOptionGroup(ctx),
      DescribeOptionGroupOptions: describeOptionGroupOptions(ctx),
      CreateDBSubnetGroup: createDBSubnetGroup(ctx),
      DescribeDBSubnetGroups: describeDBSubnetGroups(ctx),
      ModifyDBSubnetGroup: modifyDBSubnetGroup(ctx),
      DeleteDBSubnetGroup: deleteDBSubnetGroup(ctx),
      CreateDBSnapshot: createDBSnapshot(ctx),
      DescribeDBSnapshots: describeDBSnapshots(ctx),
      DeleteDBSnapshot: deleteDBSnapshot(ctx),
      RestoreDBInstanceFromDBSnapshot: restoreDBInstanceFromDBSnapshot(ctx),
      RestoreDBInstanceToPointInTime: restoreDBInstanceToPointInTime(ctx),
      DescribeDBInstanceAutomatedBackups: describeDBInstanceAutomatedBackups(ctx),
      CreateDBParameterGroup: createDBParameterGroup(ctx),
      DescribeDBParameterGroups: describeDBParameterGroups(ctx),
      DescribeDBParameters: describeDBParameters(ctx),
      ModifyDBParameterGroup: modifyDBParameterGroup(ctx),
      ResetDBParameterGroup: resetDBParameterGroup(ctx),
      DeleteDBParameterGroup: deleteDBParameterGroup(ctx),
      DescribeEngineDefaultParameters: describeEngineDefaultParameters(),
      DescribeDBLogFiles: describeDBLogFiles(ctx),
      DownloadDBLogFilePortion: downloadDBLogFilePortion(ctx),
      DescribeDBSnapshotAttributes: describeDBSnapshotAttributes(ctx),
      // rdsctl-only (JSON 1.0, target RdsctlLocal_20261201): what `rdsctl audit` checks on the real thing.
      InspectDBInstanceSecurity: inspectDBInstanceSecurity(ctx),
    },
    monitoring: {
      GetMetricData: getMetricData(ctx),
      GetMetricStatistics: getMetricStatistics(ctx),
      ListMetrics: listMetrics(ctx),
      PutMetricData: putMetricData(ctx),
      PutMetricAlarm: putMetricAlarm(ctx),
      DescribeAlarms: describeAlarms(ctx),
      DescribeAlarmsForMetric: describeAlarmsForMetric(ctx),
      DeleteAlarms: deleteAlarms(ctx),
      DescribeAlarmHistory: describeAlarmHistory(ctx),
      SetAlarmState: setAlarmState(ctx),
      EnableAlarmActions: alarmActions(ctx, true),
      DisableAlarmActions: alarmActions(ctx, false),
    },
    iam: {
      CreateRole: createRole(ctx),
      GetRole: getRole(ctx),
      DeleteRole: deleteRole(ctx),
      AttachRolePolicy: attachRolePolicy(ctx),
      DetachRolePolicy: detachRolePolicy(ctx),
      ListAttachedRolePolicies: listAttachedRolePolicies(ctx),
      CreatePolicy: createPolicy(ctx),
      GetPolicy: getPolicy(ctx),
      GetPolicyVersion: getPolicyVersion(ctx),
      DeletePolicy: deletePolicy(ctx),
      CreateUser: createUser(ctx),
      GetUser: getUser(ctx),
      CreateAccessKey: createAccessKey(ctx),
      AttachUserPolicy: attachUserPolicy(ctx),
      DetachUserPolicy: detachUserPolicy(ctx),
      ListAttachedUserPolicies: listAttachedUserPolicies(ctx),
    },
    sts: {
      AssumeRole: assumeRole(ctx),
      GetCallerIdentity: getCallerIdentity(),
    },
    secretsmanager: {
      GetSecretValue: getSecretValue(ctx),
      DescribeSecret: describeSecret(ctx),
      ListSecrets: listSecrets(ctx),
    },
  };
}
