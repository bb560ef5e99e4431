import { describe, expect, it } from 'vitest';
import { readMonitoring, sampleEveryMs, type MonitoringSettings } from '../../src/local/ops/monitoring.js';
import { planCreate } from '../../src/local/ops/instances-validate.js';
import { planModify } from '../../src/local/ops/modify-plan.js';
import { renderInstance } from '../../src/local/ops/instances-render.js';
import type { InstanceRecord } from '../../src/local/state/registry.js';
import { AwsFault } from '../../src/local/server/types.js';

const ROLE = 'arn:aws:iam::123456789012:role/rds-monitoring-role';

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AwsFault) return e.code;
    throw e;
  }
}

type Case = [Record<string, string>, MonitoringSettings, unknown];

describe('MonitoringInterval and MonitoringRoleArn (as RDS checks them)', () => {
  it.each<Case>([
    [{}, {}, {}],
    [{ MonitoringInterval: '0' }, {}, { monitoringInterval: 0, monitoringRoleArn: undefined }],
    ...[1, 5, 10, 15, 30, 60].map((n): Case => [{ MonitoringInterval: String(n), MonitoringRoleArn: ROLE }, {}, { monitoringInterval: n, monitoringRoleArn: ROLE }]),
    [{ MonitoringInterval: '7', MonitoringRoleArn: ROLE }, {}, 'InvalidParameterValue'],
    [{ MonitoringInterval: '120', MonitoringRoleArn: ROLE }, {}, 'InvalidParameterValue'],
    [{ MonitoringInterval: '5' }, {}, 'InvalidParameterCombination'], // > 0 needs the role
    [{ MonitoringRoleArn: ROLE }, {}, 'InvalidParameterCombination'], // a role with interval 0
    [{ MonitoringInterval: '0', MonitoringRoleArn: ROLE }, {}, 'InvalidParameterCombination'],
    [{ MonitoringInterval: '5', MonitoringRoleArn: 'rds-monitoring-role' }, {}, 'InvalidParameterValue'],
    // Modify: the role the instance has counts; interval 0 detaches it.
    [{ MonitoringInterval: '1' }, { monitoringInterval: 5, monitoringRoleArn: ROLE }, { monitoringInterval: 1, monitoringRoleArn: ROLE }],
    [{ MonitoringInterval: '0' }, { monitoringInterval: 5, monitoringRoleArn: ROLE }, { monitoringInterval: 0, monitoringRoleArn: undefined }],
  ])('%j on %j → %j', (flat, current, want) => {
    expect(outcome(() => readMonitoring(flat, current))).toEqual(want);
  });

  it('samples at the interval; 0 is basic monitoring (a minute, or the test knob)', () => {
    expect(sampleEveryMs({ monitoringInterval: 5 })).toBe(5000);
    expect(sampleEveryMs({ monitoringInterval: 0 })).toBe(60_000);
    expect(sampleEveryMs({}, 500)).toBe(500);
  });

  it('is stored by create and modify and returned by Describe', () => {
    const create = planCreate({ Action: 'CreateDBInstance', DBInstanceIdentifier: 'shop', DBInstanceClass: 'db.t4g.micro', Engine: 'mariadb', AllocatedStorage: '20',
      MasterUsername: 'admin', MasterUserPassword: 'Sup3r-secret!', MonitoringInterval: '10', MonitoringRoleArn: ROLE }, { mysqlAvailable: false, engineVersion: '10.11.6' });
    expect(create.metadata).toMatchObject({ monitoringInterval: 10, monitoringRoleArn: ROLE });
    const rec: InstanceRecord = {
      id: 'shop', dbiResourceId: 'db-ABC', engine: 'mariadb', engineVersion: '10.11.6', instanceClass: 'db.t4g.micro', masterUsername: 'admin',
      manageMasterUserPassword: false, port: 4000, nodes: [{ id: 'shop', role: 'primary', port: 4000, serverId: 1 }], allocatedStorage: 20, storageType: 'gp3',
      backupRetentionPeriod: 1, preferredBackupWindow: '03:00-03:30', preferredMaintenanceWindow: 'sun:05:00-sun:05:30', storageEncrypted: false,
      deletionProtection: false, createTime: '2026-01-01T00:00:00Z', status: 'available', desiredState: 'running', initCompleted: true, pending: {}, tags: [],
      availabilityZone: 'us-east-1a', ...create.metadata,
    };
    expect(renderInstance(rec)).toMatchObject({ MonitoringInterval: 10, MonitoringRoleArn: ROLE,
      EnhancedMonitoringResourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:RDSOSMetrics:log-stream:db-ABC' });
    const off = planModify({ Action: 'ModifyDBInstance', DBInstanceIdentifier: 'shop', MonitoringInterval: '0' }, rec);
    Object.assign(rec, off.now);
    expect(renderInstance(rec)).toMatchObject({ MonitoringInterval: 0 });
    expect(renderInstance(rec).MonitoringRoleArn).toBeUndefined();
    expect(renderInstance(rec).EnhancedMonitoringResourceArn).toBeUndefined();
  });
});
