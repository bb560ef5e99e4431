import { describe, expect, it } from 'vitest';
import { notWorkload } from '../../src/analyze/workload/digest.js';
import { conflictError } from '../../src/core/errors.js';
import { digestHint } from '../../src/services/analyze-run.js';

// DIGEST_TEXT as MariaDB 10.11 recorded it after one analyze-queries run: the second run analyzed the
// first run's catalog reads and selectivity probes as if they were the shop's queries.
describe('--digest leaves out what is not the application workload', () => {
  it.each([
    'SELECT `TABLE_SCHEMA` , TABLE_NAME , `TABLE_ROWS` FROM `information_schema` . `TABLES` WHERE `TABLE_SCHEMA` IN (?) AND `TABLE_TYPE` = ?',
    'SELECT * FROM `information_schema` . `STATISTICS` WHERE `TABLE_SCHEMA` IN (?) ORDER BY `TABLE_SCHEMA` , TABLE_NAME , `INDEX_NAME` , `SEQ_IN_INDEX`',
    'SELECT COUNT ( * ) AS `n` , COUNT ( DISTINCTROW `created_at` ) AS `d0` , COUNT ( DISTINCTROW `status` ) AS `d1` FROM ( SELECT `created_at` , `status` FROM `shop` . `orders` LIMIT ? ) AS `s`',
    'SELECT COUNT ( * ) AS `n` , COUNT ( DISTINCT `email` ) AS `d0` FROM ( SELECT `email` FROM `shop` . `customers` LIMIT ? ) AS `s`',
    'SELECT `OBJECT_NAME` , `INDEX_NAME` FROM `performance_schema` . `table_io_waits_summary_by_index_usage` WHERE `INDEX_NAME` IS NOT NULL',
    'EXPLAIN FORMAT = JSON SELECT * FROM `orders` WHERE `id` = ?',
    'SHOW GLOBAL STATUS LIKE ?',
    'SET SESSION TRANSACTION READ ONLY',
    'SELECT VERSION ( ) AS `v`',
    'SELECT `VERSION` ( ) AS `v`',
    'SELECT @@GLOBAL . `performance_schema` AS `ps`',
  ])('skips %s', (t) => expect(notWorkload(t)).toBe(true));

  it.each([
    'SELECT ID , `customer_id` , `total` FROM `orders` WHERE STATUS = ? AND `created_at` >= ? ORDER BY `created_at`',
    'SELECT COUNT ( * ) AS `n` FROM `orders` WHERE `customer_id` = ?',
    'SELECT `p` . `category_id` , COUNT ( * ) AS `n` FROM `orders` `o` JOIN `order_items` `oi` ON `oi` . `order_id` = `o` . `id`',
    'UPDATE `inventory` SET `quantity` = `quantity` - ? WHERE `product_id` = ? AND `warehouse` = ?',
    'SELECT `id` FROM `mysql_users` WHERE `name` = ?',
  ])('keeps %s', (t) => expect(notWorkload(t)).toBe(false));
});

describe('performance_schema OFF: the hint fits where the server runs', () => {
  const off = conflictError('PERFORMANCE_SCHEMA_OFF', 'performance_schema is OFF on this server', { hint: 'Set performance_schema=ON (my.cnf) and restart.' });
  it('a local instance cannot turn it on: says so and names the sources that work', () => {
    expect(digestHint(off, 'local', true, 'shop')).toMatchObject({ code: 'PERFORMANCE_SCHEMA_OFF', exitCode: 5, hint: expect.stringMatching(/Local instances run with performance_schema OFF.*--slow-log/) });
  });
  it('RDS: the parameter-group change and the reboot', () => {
    expect((digestHint(off, 'aws', false, 'shop') as { hint: string }).hint).toMatch(/aws rds modify-db-parameter-group .*ParameterName=performance_schema,ParameterValue=1,ApplyMethod=pending-reboot, then rdsctl reboot shop/);
  });
  it('any other server (a DSN): the my.cnf hint; other errors pass through', () => {
    expect((digestHint(off, 'local', false) as { hint: string }).hint).toBe('Set performance_schema=ON (my.cnf) and restart.');
    const other = new Error('x');
    expect(digestHint(other, 'local', true)).toBe(other);
  });
});

// `--budget abc` (NaN), 0 or -1 silently recommended nothing at all; 1.5 was taken as is.
describe('--budget is checked like --top', () => {
  it.each([Number.NaN, 0, -1, 1.5])('%s is a usage error', async (budget) => {
    const { checkOptions } = await import('../../src/services/analyze-run.js');
    expect(() => checkOptions({ queries: 'w.sql', budget })).toThrow(/--budget must be a positive integer/);
  });
  it('3 is fine', async () => {
    const { checkOptions } = await import('../../src/services/analyze-run.js');
    expect(() => checkOptions({ queries: 'w.sql', budget: 3 })).not.toThrow();
  });
});

// A --ddl-out in a missing folder failed only after the whole analysis (validation copy included), as
// "Unexpected error … a bug in rdsctl" (exit 1).
describe('--ddl-out is checked before any work', () => {
  it('a missing folder or a folder given as the file is a usage error naming the path', async () => {
    const { checkWritable } = await import('../../src/services/analyze-run.js');
    await expect(checkWritable('/nonexistent/dir/x.sql')).rejects.toMatchObject({ code: 'DDL_OUT_UNWRITABLE', exitCode: 2, message: expect.stringMatching(/Cannot write --ddl-out \/nonexistent\/dir\/x\.sql/) });
    const os = await import('node:os');
    await expect(checkWritable(os.tmpdir())).rejects.toMatchObject({ code: 'DDL_OUT_UNWRITABLE', message: expect.stringMatching(/it is a folder/) });
    await expect(checkWritable(`${os.tmpdir()}/rdsctl-qa-not-created-${process.pid}.sql`)).resolves.toBeUndefined();
  });
});
