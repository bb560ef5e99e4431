import { describe, expect, it } from 'vitest';
import { executePacket, paramTypes, queryPacket, sameTypes, type Param } from '../../src/db/wire/commands.js';

const execute = (id: number, params: Param[], qa: boolean, sendTypes = true) => executePacket(id, params, paramTypes(params), sendTypes, qa);

// The command packets byte for byte, as the MySQL client/server protocol documents them
// (COM_QUERY, COM_STMT_EXECUTE, with and without CLIENT_QUERY_ATTRIBUTES). MariaDB, the only server
// here, never negotiates query attributes, so the MySQL 8 layout is checked against the document.
const hex = (b: Buffer) => b.toString('hex');

describe('wire command packets', () => {
  it('COM_STMT_EXECUTE: header, NULL bitmap, new-params-bound, types, values', () => {
    const p = execute(7, [5, null, 'ab', -2], false);
    expect(hex(p)).toBe([
      '270000', '00', // payload length 39 (10 + 1 + 1 + 8 + 19), sequence 0
      '17', '07000000', '00', '01000000', // COM_STMT_EXECUTE, statement 7, no cursor, 1 iteration
      '02', '01', // NULL bitmap (2nd parameter), new-params-bound
      '0800', '0600', 'fd00', '0800', // LONGLONG, NULL, VAR_STRING, LONGLONG
      '0500000000000000', '026162', 'feffffffffffffff',
    ].join(''));
  });

  it('COM_STMT_EXECUTE with query attributes: PARAMETER_COUNT_AVAILABLE, the count, an empty name per parameter', () => {
    const p = execute(7, [5, 18446744073709551615n], true);
    expect(hex(p)).toBe([
      '230000', '00', // payload length 35 (10 + 1 + 1 + 1 + 6 + 16)
      '17', '07000000', '08', '01000000', '02', // cursor flags PARAMETER_COUNT_AVAILABLE, parameter_count 2
      '00', '01', '080000', '088000', // bitmap, new-params-bound, LONGLONG + name "", unsigned LONGLONG + name ""
      '0500000000000000', 'ffffffffffffffff',
    ].join(''));
    expect(hex(execute(3, [], true))).toBe('0b000000' + '17030000000801000000' + '00');
    expect(hex(execute(3, [], false))).toBe('0a000000' + '17030000000001000000');
  });

  it('types already bound are not sent again (new-params-bound 0), the NULL bitmap and values are', () => {
    expect(hex(execute(7, [5, null], false, false))).toBe('140000' /* 10 + 1 + 1 + 8 */ + '00' + '17070000000001000000' + '02' + '00' + '0500000000000000');
    expect(hex(execute(7, [5, null], true, false))).toBe('150000' /* 10 + 1 + 1 + 1 + 8 */ + '00' + '17070000000801000000' + '02' + '02' + '00' + '0500000000000000');
    expect(sameTypes(paramTypes([1, 'a']), paramTypes([2, 'b']))).toBe(true);
    expect(sameTypes(paramTypes([1, 'a']), paramTypes([null, 'b']))).toBe(false); // NULL is a type of its own
    expect(sameTypes(paramTypes([1]), paramTypes([1.5]))).toBe(false);
    expect(sameTypes(paramTypes([1n]), paramTypes([-1n]))).toBe(false); // unsigned vs signed
    expect(sameTypes(undefined, paramTypes([1]))).toBe(false);
  });

  it('COM_QUERY: the text, after parameter_count 0 and parameter_set_count 1 with query attributes', () => {
    expect(hex(queryPacket('DO 1', false))).toBe('05000000' + '03' + Buffer.from('DO 1').toString('hex'));
    expect(hex(queryPacket('DO 1', true))).toBe('07000000' + '030001' + Buffer.from('DO 1').toString('hex'));
  });

  it('a payload of 16 MiB or more goes in packets of 2^24-1 bytes with rising sequence ids, an exact multiple ending empty', () => {
    const sql = 'x'.repeat(0xffffff - 1); // + the command byte = exactly one full packet
    const p = queryPacket(sql, false);
    expect(p.length).toBe(4 + 0xffffff + 4);
    expect(hex(p.subarray(0, 4))).toBe('ffffff00');
    expect(hex(p.subarray(4 + 0xffffff))).toBe('00000001');
    const q = queryPacket(sql + 'yz', false);
    expect(hex(q.subarray(0, 4))).toBe('ffffff00');
    expect(hex(q.subarray(4 + 0xffffff))).toBe('02000001' + '797a');
  });
});
