# The conformance configuration driven by test/integration/conformance-terraform.test.ts against the
# local endpoint: a subnet group, a parameter group, the engine version data source, and one DB instance.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

variable "endpoint" { type = string }
variable "instance_class" {
  type    = string
  default = "db.t4g.micro"
}

provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    rds = var.endpoint
  }
}

data "aws_rds_engine_version" "mariadb" {
  engine = "mariadb"
}

resource "aws_db_subnet_group" "shop" {
  name       = "shop-subnets"
  subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  tags       = { env = "conformance" }
}

resource "aws_db_parameter_group" "shop" {
  name   = "shop-params"
  family = data.aws_rds_engine_version.mariadb.parameter_group_family
  parameter {
    name  = "slow_query_log"
    value = "1"
  }
  parameter {
    name  = "long_query_time"
    value = "2"
  }
  parameter {
    name  = "innodb_lock_wait_timeout"
    value = "20"
  }
  tags = { env = "conformance" }
}

resource "aws_db_instance" "shop" {
  identifier             = "tf-shop"
  engine                 = data.aws_rds_engine_version.mariadb.engine
  engine_version         = data.aws_rds_engine_version.mariadb.version
  instance_class         = var.instance_class
  allocated_storage      = 20
  username               = "admin"
  password               = "Conformance-pw1"
  db_subnet_group_name   = aws_db_subnet_group.shop.name
  vpc_security_group_ids = ["sg-0123456789abcdef0"]
  availability_zone      = "us-east-1b"
  parameter_group_name   = aws_db_parameter_group.shop.name
  skip_final_snapshot    = true
  apply_immediately      = true
  tags                   = { env = "conformance" }
}

output "engine_version" { value = data.aws_rds_engine_version.mariadb.version }
output "family" { value = data.aws_rds_engine_version.mariadb.parameter_group_family }
output "address" { value = aws_db_instance.shop.address }
output "port" { value = aws_db_instance.shop.port }
