import { describe, expect, it } from 'vitest';
import { explainableText } from '../../src/services/analyze-explain.js';

// Slow logs keep the application's tag comments in front of the statement; the heaviest class of the
// MySQL 8 fixture (`/* dashboard:daily */ SELECT …`) used to be refused as "not an explainable statement".
describe('explainableText: leading comments', () => {
  it.each([
    ['/* dashboard:daily */ SELECT country FROM customers', 'SELECT country FROM customers'],
    ['/* a */ /* b */\n  select 1;', 'select 1'],
    ['-- tag\nSELECT 1', 'SELECT 1'],
    ['# tag\n  UPDATE t SET a = 1', 'UPDATE t SET a = 1'],
    ['/* multi\nline */ DELETE FROM t WHERE id = 1', 'DELETE FROM t WHERE id = 1'],
    // Executable comments are run by the server: never strip one to reach a SELECT behind it.
    ['/*!50000 DROP TABLE t */ SELECT 1', undefined],
    ['/*M!100100 DROP TABLE t */ SELECT 1', undefined],
    ['/* x */ DROP TABLE t', undefined],
    ['-- only a comment', undefined],
  ])('%j', (sql, want) => expect(explainableText(sql)).toBe(want));
});
