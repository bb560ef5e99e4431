import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientEnv, run, type Run } from '../helpers/aws-clients.js';
import { REPO } from '../helpers/local-cli.js';
import { connect, describe1, startHarness, type Harness } from './endpoint-harness.js';

/**
 * Terraform + hashicorp/aws against the local endpoint: test/conformance/terraform/main.tf (a subnet group, a
 * parameter group, `data "aws_rds_engine_version"`, an aws_db_instance using both) is applied, planned (must be empty), applied with
 * another class, planned again, destroyed — once, in this one file, because the provider's own waiter
 * takes ~80 s per create/modify whatever the endpoint answers (a fixed 60 s delay, then three
 * `available` reads 10 s apart: docs/LOCAL-ENDPOINT.md). Terraform is on these machines' image and on
 * CI's: when it is missing this test FAILS and says why; it is never skipped.
 */
const TERRAFORM = process.env.RDSCTL_TERRAFORM ?? '/usr/local/bin/terraform';
const PLUGINS = '/opt/tf-plugins';
const PROVIDER = path.join(PLUGINS, 'registry.terraform.io/hashicorp/aws/5.100.0');

let h: Harness;
let dir: string;
let env: Record<string, string>;
const timings: [string, number][] = [];

function missingTooling(): string | undefined {
  if (!fs.existsSync(TERRAFORM)) return `terraform is not installed at ${TERRAFORM} (set RDSCTL_TERRAFORM to its path): the Terraform conformance test cannot run.`;
  if (!fs.existsSync(PROVIDER)) return `the hashicorp/aws 5.100.0 provider is not in ${PLUGINS} (filesystem_mirror): the Terraform conformance test cannot run.`;
  return undefined;
}

async function tf(step: string, args: string[], timeoutMs = 420_000): Promise<Run> {
  const flags = args[0] === 'output' ? [] : ['-input=false', '-no-color'];
  const r = await run(TERRAFORM, [...args, ...flags], { env, cwd: dir, timeoutMs });
  timings.push([step, r.ms]);
  return r;
}
const vars = (cls: string) => ['-var', `endpoint=${h.info.url}`, '-var', `instance_class=${cls}`];

beforeAll(async () => {
  const missing = missingTooling();
  if (missing) throw new Error(missing);
  h = await startHarness('terraform');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-tf-'));
  fs.copyFileSync(path.join(REPO, 'test/conformance/terraform/main.tf'), path.join(dir, 'main.tf'));
  fs.writeFileSync(path.join(dir, 'cli.tfrc'), [
    'provider_installation {',
    `  filesystem_mirror {\n    path    = "${PLUGINS}"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }`,
    '  direct { exclude = ["registry.terraform.io/hashicorp/*"] }',
    '}',
  ].join('\n'));
  env = { ...clientEnv(h.info), TF_CLI_CONFIG_FILE: path.join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
});

afterAll(async () => {
  if (timings.length > 0) console.log(`terraform conformance timings: ${timings.map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await h?.close();
});

it('aws_db_parameter_group + aws_db_subnet_group + aws_db_instance + data.aws_rds_engine_version: apply, empty plan, class change, destroy', async () => {
  const init = await tf('init', ['init']);
  expect(init.code, init.stdout + init.stderr).toBe(0);

  const apply = await tf('apply', ['apply', '-auto-approve', ...vars('db.t4g.micro')]);
  expect(apply.code, apply.stdout + apply.stderr).toBe(0);
  const outputs = JSON.parse((await tf('output', ['output', '-json'])).stdout);
  expect(outputs.family.value).toBe('mariadb10.11');
  const db = await describe1(h, 'tf-shop');
  expect(db).toMatchObject({
    DBInstanceStatus: 'available', DBInstanceClass: 'db.t4g.micro', EngineVersion: outputs.engine_version.value, AvailabilityZone: 'us-east-1b',
    AutoMinorVersionUpgrade: true, DBSubnetGroup: { DBSubnetGroupName: 'shop-subnets' }, VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0123456789abcdef0' }],
  });
  expect(outputs.port.value).toBe(db.Endpoint?.Port);
  expect(db.DBParameterGroups).toEqual([{ DBParameterGroupName: 'shop-params', ParameterApplyStatus: 'in-sync' }]);
  // The group's values reached the real server (dynamic parameters: no reboot).
  const c = await connect(h.home, 'tf-shop');
  try {
    const [rows] = (await c.query("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('slow_query_log', 'long_query_time', 'innodb_lock_wait_timeout')")) as unknown as [{ Variable_name: string; Value: string }[]];
    expect(Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]))).toEqual({ slow_query_log: 'ON', long_query_time: '2.000000', innodb_lock_wait_timeout: '20' });
  } finally {
    await c.end();
  }

  // -detailed-exitcode: 0 = no changes, 2 = changes (the plan was never empty before: AutoMinorVersionUpgrade).
  const plan = await tf('plan', ['plan', '-detailed-exitcode', ...vars('db.t4g.micro')]);
  expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  expect(plan.stdout).toContain('No changes.');

  const modify = await tf('apply (class)', ['apply', '-auto-approve', ...vars('db.t4g.small')]);
  expect(modify.code, modify.stdout + modify.stderr).toBe(0);
  expect(modify.stdout).toMatch(/instance_class\s+= "db\.t4g\.micro" -> "db\.t4g\.small"/);
  expect((await describe1(h, 'tf-shop')).DBInstanceClass).toBe('db.t4g.small');
  const plan2 = await tf('plan', ['plan', '-detailed-exitcode', ...vars('db.t4g.small')]);
  expect(plan2.code, plan2.stdout + plan2.stderr).toBe(0);

  const destroy = await tf('destroy', ['destroy', '-auto-approve', ...vars('db.t4g.small')]);
  expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
  await expect(describe1(h, 'tf-shop')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
  const { DescribeDBSubnetGroupsCommand } = await import('@aws-sdk/client-rds');
  expect((await h.rds.send(new DescribeDBSubnetGroupsCommand({}))).DBSubnetGroups).toEqual([]);
  const { DescribeDBParameterGroupsCommand } = await import('@aws-sdk/client-rds');
  const groups = (await h.rds.send(new DescribeDBParameterGroupsCommand({}))).DBParameterGroups ?? [];
  expect(groups.map((g) => g.DBParameterGroupName)).toEqual(['default.mariadb10.11']);
}, 900_000);
