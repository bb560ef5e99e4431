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
import { describeDBEngineVersions, describeOptionGroups, describeOrderableDBInstanceOptions } from './engine-catalog.js';
import { createDBSubnetGroup, deleteDBSubnetGroup, describeDBSubnetGroups, modifyDBSubnetGroup } from './subnet-groups.js';
import { createDBSnapshot, deleteDBSnapshot, describeDBSnapshots } from './snapshots.js';
import { restoreDBInstanceFromDBSnapshot } from './snapshots-restore.js';
import { restoreDBInstanceToPointInTime } from './pitr.js';
import { describeDBInstanceAutomatedBackups } from './backups-describe.js';
import { createDBParameterGroup, deleteDBParameterGroup, describeDBParameterGroups, describeDBParameters, describeEngineDefaultParameters, modifyDBParameterGroup, resetDBParameterGroup } from './pg-groups.js';
import { describeDBLogFiles, downloadDBLogFilePortion } from './log-files.js';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './instances-tags.js';

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
    iam: {},
  };
}
