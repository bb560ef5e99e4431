"""boto3 against the local endpoint, as a user would drive it (run by test/integration/conformance-clients.test.ts).

Reads AWS_ENDPOINT_URL, the access key pair and AWS_REGION from the environment (`rdsctl local env`).
Every check is an assert with a message; the script prints one line per step and `boto3 conformance: ok`.
"""
import os
import sys

import boto3
from botocore.exceptions import ClientError

FAST = {"Delay": 1, "MaxAttempts": 120}
rds = boto3.client("rds")
version = os.environ["EXPECT_ENGINE_VERSION"]


def step(msg):
    print(msg, flush=True)


def error_code(fn, **kwargs):
    try:
        fn(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"]
    raise AssertionError(f"{fn.__name__} {kwargs} was accepted")


# Catalogue calls Terraform's data sources make.
versions = rds.describe_db_engine_versions(Engine="mariadb", DefaultOnly=True)["DBEngineVersions"]
assert [v["EngineVersion"] for v in versions] == [version], versions
assert versions[0]["DBParameterGroupFamily"] == "mariadb10.11", versions[0]
assert rds.describe_db_engine_versions(Engine="mariadb", EngineVersion="10.11", IncludeAll=True)["DBEngineVersions"]
assert rds.describe_db_engine_versions(DBParameterGroupFamily="mariadb10.6")["DBEngineVersions"] == []
filtered = rds.describe_db_engine_versions(Filters=[{"Name": "engine-version", "Values": ["10.11"]}])["DBEngineVersions"]
assert [v["EngineVersion"] for v in filtered] == [version], filtered
step(f"describe_db_engine_versions: {version} (mariadb10.11)")

orderable = rds.get_paginator("describe_orderable_db_instance_options").paginate(Engine="mariadb", PaginationConfig={"PageSize": 20})
options = [o for page in orderable for o in page["OrderableDBInstanceOptions"]]
classes = {o["DBInstanceClass"] for o in options}
assert "db.t4g.micro" in classes and "db.r6g.large" in classes, classes
assert {o["StorageType"] for o in options} == {"gp2", "gp3", "io1", "io2", "standard"}
step(f"describe_orderable_db_instance_options: {len(options)} options over {len(classes)} classes (paginated by 20)")

groups = rds.describe_option_groups(EngineName="mariadb")["OptionGroupsList"]
assert [g["OptionGroupName"] for g in groups] == ["default:mariadb-10-11"], groups
assert error_code(rds.describe_option_groups, OptionGroupName="mine") == "OptionGroupNotFoundFault"
step("describe_option_groups: default:mariadb-10-11")

# Subnet groups.
sg = rds.create_db_subnet_group(DBSubnetGroupName="Py-Subnets", DBSubnetGroupDescription="boto3",
                                SubnetIds=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"])["DBSubnetGroup"]
assert sg["DBSubnetGroupName"] == "py-subnets" and len(sg["Subnets"]) == 2, sg
assert error_code(rds.create_db_subnet_group, DBSubnetGroupName="py-subnets", DBSubnetGroupDescription="x",
                  SubnetIds=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]) == "DBSubnetGroupAlreadyExists"
assert error_code(rds.create_db_subnet_group, DBSubnetGroupName="one", DBSubnetGroupDescription="x",
                  SubnetIds=["subnet-0123456789abcdef0"]) == "DBSubnetGroupDoesNotCoverEnoughAZs"
assert error_code(rds.describe_db_subnet_groups, DBSubnetGroupName="nope") == "DBSubnetGroupNotFoundFault"
step("create/describe_db_subnet_group(s): py-subnets, errors DBSubnetGroupAlreadyExists / DoesNotCoverEnoughAZs / NotFound")

# An instance with every metadata setting, created as Terraform does (AutoMinorVersionUpgrade true).
base = dict(DBInstanceClass="db.t4g.micro", Engine="mariadb", AllocatedStorage=20, MasterUsername="admin",
            MasterUserPassword="Boto3-conformance1")
assert error_code(rds.create_db_instance, DBInstanceIdentifier="py-bad", **base, DBParameterGroupName="mine") == "DBParameterGroupNotFound"
assert error_code(rds.create_db_instance, DBInstanceIdentifier="py-bad", **base, Tags=[{"Key": "aws:x", "Value": "y"}]) == "InvalidParameterValue"
assert error_code(rds.create_db_instance, DBInstanceIdentifier="py-bad", **base, EnablePerformanceInsights=True) == "InvalidParameterCombination"
assert error_code(rds.create_db_instance, DBInstanceIdentifier="py-bad", **base, DBSubnetGroupName="nope") == "DBSubnetGroupNotFoundFault"
assert error_code(rds.describe_db_instances, DBInstanceIdentifier="py-bad") == "DBInstanceNotFound"
step("create_db_instance refusals: DBParameterGroupNotFound, aws: tag, Performance Insights, unknown subnet group; nothing created")

rds.create_db_instance(DBInstanceIdentifier="py-shop", **base, AvailabilityZone="us-east-1b", AutoMinorVersionUpgrade=True,
                       VpcSecurityGroupIds=["sg-0123456789abcdef0"], DBSubnetGroupName="py-subnets",
                       OptionGroupName="default:mariadb-10-11", DBParameterGroupName="default.mariadb10.11",
                       EnableCloudwatchLogsExports=["error", "slowquery"], CACertificateIdentifier="rds-ca-rsa4096-g1",
                       CopyTagsToSnapshot=True, EngineVersion=version, Tags=[{"Key": "env", "Value": "conformance"}])
rds.get_waiter("db_instance_available").wait(DBInstanceIdentifier="py-shop", WaiterConfig=FAST)
db = rds.describe_db_instances(DBInstanceIdentifier="py-shop")["DBInstances"][0]
assert db["DBInstanceStatus"] == "available", db["DBInstanceStatus"]
assert db["AvailabilityZone"] == "us-east-1b", db["AvailabilityZone"]
assert db["AutoMinorVersionUpgrade"] is True
assert db["CopyTagsToSnapshot"] is True
assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == ["sg-0123456789abcdef0"]
assert db["DBSubnetGroup"]["DBSubnetGroupName"] == "py-subnets"
assert db["OptionGroupMemberships"][0]["OptionGroupName"] == "default:mariadb-10-11"
assert db["DBParameterGroups"][0]["DBParameterGroupName"] == "default.mariadb10.11"
assert db["EnabledCloudwatchLogsExports"] == ["error", "slowquery"]
assert db["CACertificateIdentifier"] == "rds-ca-rsa4096-g1"
step("db_instance_available waiter; describe returns AZ 1b, security group, subnet/option/parameter group, log exports, CA as sent")

assert error_code(rds.delete_db_subnet_group, DBSubnetGroupName="py-subnets") == "InvalidDBSubnetGroupStateFault"

# Filters and the paginator Terraform's and boto3's users rely on.
by_resource = rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [db["DbiResourceId"]]}])["DBInstances"]
assert [d["DBInstanceIdentifier"] for d in by_resource] == ["py-shop"]
assert rds.describe_db_instances(Filters=[{"Name": "engine", "Values": ["postgres"]}])["DBInstances"] == []
pages = list(rds.get_paginator("describe_db_instances").paginate(PaginationConfig={"PageSize": 20}))
assert [d["DBInstanceIdentifier"] for p in pages for d in p["DBInstances"]] == ["py-shop"]
step("describe_db_instances filters (dbi-resource-id, engine) and paginator")

mod = rds.modify_db_instance(DBInstanceIdentifier="py-shop", AutoMinorVersionUpgrade=False, VpcSecurityGroupIds=["sg-0123456789abcdef1"],
                             CloudwatchLogsExportConfiguration={"EnableLogTypes": ["audit"], "DisableLogTypes": ["slowquery"]},
                             CACertificateIdentifier="rds-ca-ecc384-g1", ApplyImmediately=True)["DBInstance"]
assert mod["AutoMinorVersionUpgrade"] is False and mod["EnabledCloudwatchLogsExports"] == ["audit", "error"], mod
assert [g["VpcSecurityGroupId"] for g in mod["VpcSecurityGroups"]] == ["sg-0123456789abcdef1"]
assert error_code(rds.modify_db_instance, DBInstanceIdentifier="py-shop", EngineVersion="10.6.14") == "InvalidParameterCombination"
assert error_code(rds.modify_db_instance, DBInstanceIdentifier="py-shop", DBParameterGroupName="tuned") == "DBParameterGroupNotFound"
step("modify_db_instance: metadata changed at once; other engine version and unknown parameter group refused")

# A read replica with its own Enhanced Monitoring interval (RDS accepts it on CreateDBInstanceReadReplica).
role = "arn:aws:iam::123456789012:role/rds-monitoring-role"
assert error_code(rds.create_db_instance_read_replica, DBInstanceIdentifier="py-replica", SourceDBInstanceIdentifier="py-shop",
                  MonitoringInterval=7, MonitoringRoleArn=role) == "InvalidParameterValue"
assert error_code(rds.create_db_instance_read_replica, DBInstanceIdentifier="py-replica", SourceDBInstanceIdentifier="py-shop",
                  MonitoringInterval=5) == "InvalidParameterCombination"
rep = rds.create_db_instance_read_replica(DBInstanceIdentifier="py-replica", SourceDBInstanceIdentifier="py-shop",
                                          MonitoringInterval=5, MonitoringRoleArn=role)["DBInstance"]
assert rep["MonitoringInterval"] == 5 and rep["MonitoringRoleArn"] == role, rep
rds.get_waiter("db_instance_available").wait(DBInstanceIdentifier="py-replica", WaiterConfig=FAST)
rep = rds.describe_db_instances(DBInstanceIdentifier="py-replica")["DBInstances"][0]
assert rep["ReadReplicaSourceDBInstanceIdentifier"] == "py-shop" and rep["MonitoringInterval"] == 5 and rep["MonitoringRoleArn"] == role, rep
rds.delete_db_instance(DBInstanceIdentifier="py-replica", SkipFinalSnapshot=True)
rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier="py-replica", WaiterConfig=FAST)
step("create_db_instance_read_replica with MonitoringInterval 5 + role; 7 and no role refused; replica deleted")

# Parameter groups and log files (issue 11 §1, §2), through boto3's own paginators.
pg = rds.create_db_parameter_group(DBParameterGroupName="py-tuned", DBParameterGroupFamily="mariadb10.11", Description="boto3")["DBParameterGroup"]
assert pg["DBParameterGroupName"] == "py-tuned" and pg["DBParameterGroupFamily"] == "mariadb10.11", pg
assert error_code(rds.create_db_parameter_group, DBParameterGroupName="py-tuned", DBParameterGroupFamily="mariadb10.11", Description="x") == "DBParameterGroupAlreadyExists"
assert error_code(rds.modify_db_parameter_group, DBParameterGroupName="py-tuned",
                  Parameters=[{"ParameterName": "performance_schema", "ParameterValue": "1", "ApplyMethod": "immediate"}]) == "InvalidParameterCombination"
assert error_code(rds.modify_db_parameter_group, DBParameterGroupName="py-tuned",
                  Parameters=[{"ParameterName": "datadir", "ParameterValue": "/tmp", "ApplyMethod": "pending-reboot"}]) == "InvalidParameterValue"
rds.modify_db_parameter_group(DBParameterGroupName="py-tuned", Parameters=[
    {"ParameterName": "slow_query_log", "ParameterValue": "1", "ApplyMethod": "immediate"},
    {"ParameterName": "long_query_time", "ParameterValue": "0", "ApplyMethod": "immediate"}])
params = [p for page in rds.get_paginator("describe_db_parameters").paginate(DBParameterGroupName="py-tuned", PaginationConfig={"PageSize": 20}) for p in page["Parameters"]]
user = {p["ParameterName"]: p["ParameterValue"] for p in params if p["Source"] == "user"}
assert user == {"long_query_time": "0", "slow_query_log": "1"}, user
assert len(params) > 40 and len({p["ParameterName"] for p in params}) == len(params)
names = [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]]
assert names == ["default.mariadb10.11", "py-tuned"], names
mod = rds.modify_db_instance(DBInstanceIdentifier="py-shop", DBParameterGroupName="py-tuned", ApplyImmediately=True)["DBInstance"]
assert mod["DBParameterGroups"] == [{"DBParameterGroupName": "py-tuned", "ParameterApplyStatus": "pending-reboot"}], mod["DBParameterGroups"]
assert error_code(rds.delete_db_parameter_group, DBParameterGroupName="py-tuned") == "InvalidDBParameterGroupState"
step("create/modify/describe_db_parameter(s) with the paginator; static+immediate and datadir refused; group in use not deleted")

logs = rds.describe_db_log_files(DBInstanceIdentifier="py-shop")["DescribeDBLogFiles"]
assert "error/mysql-error.log" in [f["LogFileName"] for f in logs], logs
portion = rds.download_db_log_file_portion(DBInstanceIdentifier="py-shop", LogFileName="error/mysql-error.log", Marker="0", NumberOfLines=5)
assert portion["LogFileData"] and "AdditionalDataPending" in portion, portion
assert error_code(rds.download_db_log_file_portion, DBInstanceIdentifier="py-shop", LogFileName="slowquery/none.log") == "DBLogFileNotFoundFault"
step("describe_db_log_files and download_db_log_file_portion (Marker 0, 5 lines)")

# A service the endpoint does not serve (KMS): a clear error, not a hang or a 500.
kms = boto3.client("kms")
try:
    kms.list_keys()
    raise AssertionError("kms call was accepted")
except ClientError as e:
    assert "signed for service kms" in e.response["Error"]["Message"], e.response
    step(f"kms list_keys: {e.response['Error']['Code']}: {e.response['Error']['Message']}")

rds.delete_db_instance(DBInstanceIdentifier="py-shop", SkipFinalSnapshot=True, DeleteAutomatedBackups=True)
rds.get_waiter("db_instance_deleted").wait(DBInstanceIdentifier="py-shop", WaiterConfig=FAST)
rds.delete_db_subnet_group(DBSubnetGroupName="py-subnets")
assert rds.describe_db_subnet_groups()["DBSubnetGroups"] == []
rds.delete_db_parameter_group(DBParameterGroupName="py-tuned")
step("delete_db_instance + db_instance_deleted waiter; delete_db_subnet_group")
print("boto3 conformance: ok")
sys.exit(0)
