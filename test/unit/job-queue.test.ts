import { describe, expect, it } from 'vitest';
import { JobQueue, lockKey } from '../../src/local/ops/job-queue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job that records when it starts and ends, and holds its locks for `ms`. */
function recorder() {
  const log: string[] = [];
  const job = (name: string, ms = 20) => async () => {
    log.push(`start ${name}`);
    await sleep(ms);
    log.push(`end ${name}`);
  };
  return { log, job };
}

describe('JobQueue', () => {
  it('runs jobs on one resource one after the other, in enqueue order', async () => {
    const q = new JobQueue(() => undefined);
    const { log, job } = recorder();
    void q.run('a', job('1'));
    void q.run(['a'], job('2', 1));
    await q.idle();
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('a job on two resources waits for the earlier jobs on each, and later jobs on either wait for it', async () => {
    const q = new JobQueue(() => undefined);
    const { log, job } = recorder();
    void q.run('source', job('on-source', 30));
    void q.run('replica', job('on-replica', 10));
    void q.run(['replica', 'source'], job('create-replica', 10));
    void q.run('source', job('after', 1));
    expect(q.busy('source') && q.busy('replica')).toBe(true);
    await q.idle();
    const at = (e: string) => log.indexOf(e);
    expect(at('start create-replica')).toBeGreaterThan(at('end on-source'));
    expect(at('start create-replica')).toBeGreaterThan(at('end on-replica'));
    expect(at('start after')).toBeGreaterThan(at('end create-replica'));
    expect(q.busy('source') || q.busy('replica')).toBe(false);
  });

  it('does not deadlock when two jobs name the same resources in opposite orders', async () => {
    const q = new JobQueue(() => undefined);
    const { log, job } = recorder();
    void q.run(['a', 'b'], job('ab'));
    void q.run(['b', 'a'], job('ba'));
    void q.run(['b', 'a', 'a'], job('baa'));
    const finished = await Promise.race([q.idle().then(() => 'idle'), sleep(2000).then(() => 'stuck')]);
    expect(finished).toBe('idle');
    expect(log).toEqual(['start ab', 'end ab', 'start ba', 'end ba', 'start baa', 'end baa']);
  });

  it('jobs on disjoint resources run in parallel', async () => {
    const q = new JobQueue(() => undefined);
    const { log, job } = recorder();
    void q.run('a', job('a', 30));
    void q.run(['b', lockKey('db-snapshot', 'a')], job('b', 1));
    await q.idle();
    expect(log).toEqual(['start a', 'start b', 'end b', 'end a']);
  });

  it('reports a failure against the first resource the job named, and the queue goes on', async () => {
    const failed: string[] = [];
    const q = new JobQueue((subject, err) => failed.push(`${subject}: ${(err as Error).message}`));
    const { log, job } = recorder();
    void q.run(['replica', 'source'], async () => {
      throw new Error('copy failed');
    });
    void q.run('source', job('next', 1));
    await q.idle();
    expect(failed).toEqual(['replica: copy failed']);
    expect(log).toEqual(['start next', 'end next']);
  });

  it('refuses a job that locks nothing', () => {
    expect(() => new JobQueue(() => undefined).run([], async () => undefined)).toThrow(/at least one/);
  });
});
