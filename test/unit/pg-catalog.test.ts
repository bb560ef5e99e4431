import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AwsFault } from '../../src/local/server/types.js';
import { CATALOG, catalogMarkdown, checkApplyMethod, checkValue, evaluate, paramDef } from '../../src/local/ops/pg-catalog.js';

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return err instanceof AwsFault ? err.code : String(err);
  }
};

describe('the mariadb10.11 parameter catalogue', () => {
  it('evaluates RDS formulas against the class memory, rounding down', () => {
    expect(evaluate('{DBInstanceClassMemory*3/4}', 'db.t4g.micro')).toBe(String(768 * 1024 * 1024));
    expect(evaluate('{DBInstanceClassMemory/12582880}', 'db.r6g.large')).toBe(String(Math.floor(16 * 1024 ** 3 / 12582880)));
    expect(evaluate('200', 'db.t4g.micro')).toBe('200');
  });

  it('checks values as RDS does', () => {
    expect(checkValue(paramDef('slow_query_log'), 'ON')).toBe('1');
    expect(checkValue(paramDef('long_query_time'), '0.25')).toBe('0.25');
    expect(checkValue(paramDef('innodb_buffer_pool_size'), '{DBInstanceClassMemory*3/4}')).toBe('{DBInstanceClassMemory*3/4}');
    expect(checkValue(paramDef('sql_mode'), 'strict_trans_tables,NO_ZERO_DATE')).toBe('strict_trans_tables,NO_ZERO_DATE');
    expect(checkValue(paramDef('time_zone'), '+02:00')).toBe('+02:00');
    expect(code(() => checkValue(paramDef('max_connections'), '100001'))).toBe('InvalidParameterValue');
    expect(code(() => checkValue(paramDef('binlog_format'), 'NONE'))).toBe('InvalidParameterValue');
    expect(code(() => checkValue(paramDef('sql_mode'), 'NOT_A_MODE'))).toBe('InvalidParameterValue');
    expect(code(() => checkValue(paramDef('time_zone'), "'; DROP"))).toBe('InvalidParameterValue');
    expect(code(() => checkValue(paramDef('ssl_key'), '/tmp/k'))).toBe('InvalidParameterValue');
    expect(code(() => paramDef('nope'))).toBe('InvalidParameterValue');
  });

  it('refuses immediate for static parameters and defaults them to pending-reboot', () => {
    expect(checkApplyMethod(paramDef('performance_schema'), undefined)).toBe('pending-reboot');
    expect(code(() => checkApplyMethod(paramDef('innodb_log_file_size'), 'immediate'))).toBe('InvalidParameterCombination');
    expect(checkApplyMethod(paramDef('wait_timeout'), undefined)).toBe('immediate');
    expect(code(() => checkApplyMethod(paramDef('wait_timeout'), 'later'))).toBe('InvalidParameterValue');
  });

  it('lists each parameter once, with the names the task asks for', () => {
    const names = CATALOG.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of ['innodb_buffer_pool_size', 'max_connections', 'log_slow_verbosity', 'binlog_format', 'query_cache_type', 'secure_file_priv', 'plugin_dir']) expect(names).toContain(n);
  });

  it('docs/PARAMETERS.md carries the generated table (UPDATE_DOCS=1 rewrites it)', () => {
    const file = 'docs/PARAMETERS.md';
    const doc = fs.readFileSync(file, 'utf8');
    const begin = '<!-- catalogue:begin -->';
    const end = '<!-- catalogue:end -->';
    const current = doc.slice(doc.indexOf(begin), doc.indexOf(end) + end.length);
    const want = `${begin}\n${catalogMarkdown()}\n${end}`;
    if (current !== want && process.env.UPDATE_DOCS === '1') fs.writeFileSync(file, doc.replace(current, want));
    expect(current).toBe(want);
  });
});
