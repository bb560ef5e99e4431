import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, REPO } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';
import { endTmuxServer, killTmux, startTmux, type TmuxSession } from '../helpers/tmux.js';

// The confirmations of scale-replicas (scaling down) and promote, at a real terminal (tmux, 80 columns),
// against documented AWS responses replayed over HTTP.
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });
const f = (name: string) => ({ file: `rds/${name}.xml` });
const SESSIONS = ['tty-scale-no', 'tty-scale-yes', 'tty-promote'];
const mutating = () => t.server.requests.map((r) => r.params.Action).filter((a) => !a.startsWith('Describe'));
const term = (name: string): Promise<TmuxSession> => startTmux(name, { env: { ...t.env, CI: undefined }, cwd: REPO, width: 80 });
const cmd = (args: string) => `${process.execPath} ${BIN} ${t.awsArgs().join(' ')} ${args}`;

afterAll(async () => {
  for (const s of SESSIONS) await killTmux(s);
  await endTmuxServer();
});

describe('scale-replicas and promote ask at a terminal', () => {
  it('scaling down asks; "n" deletes nothing (exit 2)', async () => {
    t.server.routes({ DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica')] });
    const s = await term('tty-scale-no');
    await s.run(cmd('scale-replicas myawsuser-dbi04 --count 0 --no-wait'));
    await s.waitFor(/\[y\/N\]/);
    expect((await s.joined()).replace(/\n/g, ' ')).toMatch(/Delete read replica\(s\) myawsuser-dbi04-replica of myawsuser-dbi04 \(no final snapshot\)\? \[y\/N\]/);
    // The plan is on the screen above the question (QA: it came only after the answer).
    const screen = await s.joined();
    expect(screen).toMatch(/myawsuser-dbi04: 1 → 0 read replica\(s\)\n\s+- delete myawsuser-dbi04-replica \(newest first; no final snapshot\)\n(.|\n)*Delete read replica/);
    await s.keys('n', 'Enter');
    expect(await s.exitCode()).toBe(2);
    expect(await s.joined()).toMatch(/error: Aborted: nothing was changed\./);
    expect(mutating()).toEqual([]);
  });

  it('"y" deletes the newest replica, without a final snapshot', async () => {
    t.server.routes({
      DescribeDBInstances: [f('describe-db-instances-dbi04-with-replica'), f('describe-db-instances-dbi04-replica'), f('describe-db-instances-dbi04')],
      DeleteDBInstance: f('delete-db-instance'),
    });
    const s = await term('tty-scale-yes');
    await s.run(cmd('scale-replicas myawsuser-dbi04 --count 0 --no-wait'));
    await s.waitFor(/\[y\/N\]/);
    await s.keys('y', 'Enter');
    expect(await s.exitCode()).toBe(0);
    expect(t.server.requests.find((r) => r.params.Action === 'DeleteDBInstance')?.params).toMatchObject({ DBInstanceIdentifier: 'myawsuser-dbi04-replica', SkipFinalSnapshot: 'true' });
    for (const line of (await s.screen()).split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('promote asks, naming the source; "y" promotes and waits until detached', async () => {
    t.server.routes({
      DescribeDBInstances: [f('describe-db-instances-dbi04-replica'), f('describe-db-instances-dbi04-replica-promoted')],
      PromoteReadReplica: f('promote-read-replica'),
    });
    const s = await term('tty-promote');
    await s.run(cmd('promote myawsuser-dbi04-replica'));
    await s.waitFor(/\[y\/N\]/);
    expect((await s.joined()).replace(/\n/g, ' ')).toMatch(/Promote myawsuser-dbi04-replica \(a read replica of myawsuser-dbi04\) to a standalone instance\? It stops replicating for good\. \[y\/N\]/);
    expect(mutating()).toEqual([]);
    await s.keys('y', 'Enter');
    expect(await s.exitCode()).toBe(0);
    expect((await s.joined()).replace(/\n */g, ' ')).toMatch(/Promoted myawsuser-dbi04-replica: standalone and writable, no longer replicating from myawsuser-dbi04\./);
    expect(mutating()).toEqual(['PromoteReadReplica']);
  });
});
