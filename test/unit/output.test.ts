import { describe, expect, it } from 'vitest';
import { usageError } from '../../src/core/errors.js';
import { Output, type OutputOptions } from '../../src/cli/render/output.js';

function capture(opts: Partial<OutputOptions> = {}) {
  const streams = { stdout: '', stderr: '' };
  const out = new Output(
    { json: false, quiet: false, color: false, tty: false, ...opts },
    (t) => (streams.stdout += t),
    (t) => (streams.stderr += t),
  );
  out.command = 'describe';
  return { out, streams };
}

/** Every non-empty stdout must be exactly one JSON document. */
const onlyDoc = (stdout: string) => JSON.parse(stdout);

describe('Output --json', () => {
  it('a result is one JSON document on stdout; progress, steps and warnings print nothing', () => {
    const { out, streams } = capture({ json: true });
    out.target = { kind: 'aws', region: 'us-east-1' };
    out.progress('target: aws');
    out.step('shop: creating');
    out.warn('careful');
    out.result({ DBInstance: { DBInstanceIdentifier: 'shop' } }, () => 'human text');
    expect(onlyDoc(streams.stdout)).toEqual({
      ok: true,
      command: 'describe',
      target: { kind: 'aws', region: 'us-east-1' },
      data: { DBInstance: { DBInstanceIdentifier: 'shop' } },
    });
    expect(streams.stdout).not.toContain('human text');
    expect(streams.stderr).toBe('');
  });

  it('an error is the same envelope with ok: false', () => {
    const { out, streams } = capture({ json: true });
    out.error(usageError('INVALID_IDENTIFIER', 'Bad id.', { hint: 'Use letters.' }));
    expect(onlyDoc(streams.stdout)).toEqual({
      ok: false,
      command: 'describe',
      error: { code: 'INVALID_IDENTIFIER', exitCode: 2, message: 'Bad id.', hint: 'Use letters.' },
    });
    expect(streams.stderr).toBe('');
  });

  it('never a second document: an error after a result is not printed', () => {
    const { out, streams } = capture({ json: true });
    out.result({ a: 1 });
    out.error(usageError('LATE', 'late failure'));
    expect(onlyDoc(streams.stdout)).toMatchObject({ ok: true, data: { a: 1 } });
  });

  it('dates become ISO strings and bigints number strings', () => {
    const { out, streams } = capture({ json: true });
    out.result({ when: new Date('2014-04-25T18:07:51.508Z'), bytes: 123456789012345678901234567890n });
    expect(onlyDoc(streams.stdout).data).toEqual({ when: '2014-04-25T18:07:51.508Z', bytes: '123456789012345678901234567890' });
  });

  it('no target key when no client was built (e.g. a usage error before any call)', () => {
    const { out, streams } = capture({ json: true });
    out.result({});
    expect(Object.keys(onlyDoc(streams.stdout))).toEqual(['ok', 'command', 'data']);
  });
});

describe('Output for humans', () => {
  it('the result goes to stdout (newline-terminated), progress and warnings to stderr', () => {
    const { out, streams } = capture();
    out.progress('target: aws (us-east-1)');
    out.warn('storage is almost full');
    out.result({ x: 1 }, () => 'Identifier: shop');
    expect(streams.stdout).toBe('Identifier: shop\n');
    expect(streams.stderr).toBe('target: aws (us-east-1)\nwarning: storage is almost full\n');
  });

  it('steps show the elapsed seconds', () => {
    const { out, streams } = capture();
    out.step('shop: available');
    expect(streams.stderr).toMatch(/^\[\s*\d+\.\ds\] shop: available\n$/);
  });

  it('--quiet drops progress but keeps warnings and the result', () => {
    const { out, streams } = capture({ quiet: true });
    out.progress('p');
    out.step('s');
    out.warn('w');
    out.result({}, () => 'r');
    expect(streams).toEqual({ stdout: 'r\n', stderr: 'warning: w\n' });
  });

  it('an error is one line on stderr plus the hint; stdout stays empty', () => {
    const { out, streams } = capture();
    out.error(usageError('X', 'Storage cannot shrink.', { hint: 'Restore a snapshot into a smaller instance.' }));
    expect(streams.stdout).toBe('');
    expect(streams.stderr).toBe('error: Storage cannot shrink.\nhint: Restore a snapshot into a smaller instance.\n');
  });

  it('without colour there are no escape codes; with colour there are', () => {
    const plain = capture();
    plain.out.error(usageError('X', 'm'));
    expect(plain.streams.stderr).not.toMatch(/\u001b\[/);
    const coloured = capture({ color: true });
    coloured.out.error(usageError('X', 'm'));
    expect(coloured.streams.stderr).toMatch(/\u001b\[/);
  });
});
