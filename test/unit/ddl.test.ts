import { describe, expect, it } from 'vitest';
import { addIndexDdl, dropIndexDdl, hideIndexDdl, indexName, quoteIdent } from '../../src/analyze/advisor/ddl.js';

describe('DDL text: every identifier quoted', () => {
  it.each([
    ['plain', 'orders', '`orders`'],
    ['backtick doubled', 'we`ird', '`we``ird`'],
    ['injection attempt stays one identifier', 'x`; DROP TABLE t; --', '`x``; DROP TABLE t; --`'],
  ])('%s', (_n, name, want) => expect(quoteIdent(name)).toBe(want));

  it('ADD INDEX online, or INVISIBLE on a MySQL 8 what-if copy', () => {
    expect(addIndexDdl('my db', 'order items', 'ix_a', ['a', 'b c'])).toBe('ALTER TABLE `my db`.`order items` ADD INDEX `ix_a` (`a`,`b c`), ALGORITHM=INPLACE, LOCK=NONE;');
    expect(addIndexDdl('d', 't', 'i', ['a'], { invisible: true, online: false })).toBe('ALTER TABLE `d`.`t` ADD INDEX `i` (`a`) INVISIBLE;');
  });

  it('hide and drop', () => {
    expect(hideIndexDdl('d', 't', 'i', 'mariadb')).toBe('ALTER TABLE `d`.`t` ALTER INDEX `i` IGNORED;');
    expect(hideIndexDdl('d', 't', 'i', 'mysql8')).toBe('ALTER TABLE `d`.`t` ALTER INDEX `i` INVISIBLE;');
    expect(dropIndexDdl('d', 't', 'i')).toBe('ALTER TABLE `d`.`t` DROP INDEX `i`;');
  });

  it('index names: readable, ≤ 64 chars, unique against existing ones', () => {
    const taken = new Set(['ix_orders_status']);
    expect(indexName('orders', ['status'], taken)).toBe('ix_orders_status_2');
    const long = indexName('order_items_archive', ['a_very_long_column_name', 'another_long_column_name', 'third'], new Set());
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^ix_order_items_archive_a_very_long/);
    expect(indexName('t', ['we`ird'], new Set())).toBe('ix_t_we_ird');
  });
});
