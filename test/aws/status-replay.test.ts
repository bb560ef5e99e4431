import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runRdsctl } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';

// `rdsctl status --target aws`: the latest restorable time comes from DescribeDBInstances'
// LatestRestorableTime (documented responses replayed, fixtures/aws/README.md); an instance with
// BackupRetentionPeriod 0 (a read replica as RDS creates it) says its automated backups are off.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });

describe('rdsctl status --target aws: latest restorable time', () => {
  it('shows LatestRestorableTime and the retention', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' }, GetMetricData: { file: 'cloudwatch/get-metric-data-dbi04.json' },
      DescribeAlarms: { file: 'cloudwatch/describe-alarms-empty.json' } });
    const r = await runRdsctl([...t.awsArgs(), 'status', 'myawsuser-dbi04'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backups\s+latest restorable 2014-04-25 19:25:00 UTC \(7 days kept\)$/m);
    const json = await runRdsctl([...t.awsArgs(), 'status', 'myawsuser-dbi04', '--json'], t.env);
    expect(JSON.parse(json.stdout).data.DBInstance.LatestRestorableTime).toBe('2014-04-25T19:25:00.000Z');
  });

  it('says "automated backups off" when BackupRetentionPeriod is 0', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04-replica.xml' }, GetMetricData: { file: 'cloudwatch/get-metric-data-dbi04.json' },
      DescribeAlarms: { file: 'cloudwatch/describe-alarms-empty.json' } });
    const r = await runRdsctl([...t.awsArgs(), 'status', 'myawsuser-dbi04-replica'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backups\s+automated backups off \(BackupRetentionPeriod 0\)$/m);
    expect(r.stdout).not.toContain('latest restorable');
  });
});
