import { describe, expect, it } from 'vitest';
import { retentionProblem } from '../../src/core/binlog-retention.js';

// `CALL mysql.rds_show_configuration` as the RDS User Guide shows it (name | value | description),
// and as mysql2 returns a CALL: [rows, OkPacket].
const rows = (value: string | null) => [[
  { name: 'binlog retention hours', value, description: 'binlog retention hours specifies the duration in hours before binary logs are automatically deleted.' },
  { name: 'source delay', value: '0', description: 'source delay specifies replication delay in seconds between current instance and its master.' },
], { affectedRows: 0 }];

describe('binlog retention on RDS', () => {
  it('NULL (the RDS default) or 0: says why not, naming the CALL that fixes it, in one line', () => {
    for (const v of [null, 'NULL', '0']) {
      const why = retentionProblem(rows(v), 'shop');
      expect(why).toBe("shop keeps no binlogs (binlog retention hours is not set): run CALL mysql.rds_set_configuration('binlog retention hours', 24) on it, then retry.");
    }
    expect(retentionProblem([[], {}], 'shop')).toMatch(/keeps no binlogs/);
  });
  it('a number of hours: the binlogs are there', () => {
    expect(retentionProblem(rows('24'), 'shop')).toBeUndefined();
  });
});
