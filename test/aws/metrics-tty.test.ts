import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, REPO } from '../helpers/cli-aws.js';
import { useReplayTarget } from '../helpers/cli-replay-server.js';
import { endTmuxServer, killTmux, startTmux } from '../helpers/tmux.js';

// `rdsctl metrics --watch` ends with Ctrl-C: at a real terminal (tmux, 80 columns) it just stops —
// exit 130, no "Interrupted … a request carries on" error (it requested nothing), the terminal sane.
// Documented CloudWatch responses replayed over HTTP (fixtures/aws/README.md).
const t = await useReplayTarget({ beforeAll, afterAll, beforeEach });

afterAll(async () => {
  await killTmux('tty-watch');
  await endTmuxServer();
});

describe('metrics --watch at a terminal', () => {
  it('Ctrl-C stops it: exit 130, no error or hint, the shell works as before', async () => {
    t.server.routes({ DescribeDBInstances: { file: 'rds/describe-db-instances-dbi04.xml' }, GetMetricData: { file: 'cloudwatch/get-metric-data-dbi04.json' } });
    const s = await startTmux('tty-watch', { env: { ...t.env, CI: undefined }, cwd: REPO, width: 80 });
    await s.run(`${process.execPath} ${BIN} ${t.awsArgs().join(' ')} metrics myawsuser-dbi04 --metric CPUUtilization,FreeStorageSpace --watch`);
    await s.waitFor(/^CPUUtilization\s+91\.0%/m);
    await s.keys('C-c');
    expect(await s.exitCode()).toBe(130);
    const screen = await s.history();
    expect(screen).not.toMatch(/Interrupted|error:|hint:|rdsctl list/);
    await s.clear();
    await s.run('stty -a');
    expect(await s.exitCode()).toBe(0);
    const stty = ` ${(await s.screen()).replace(/[\n;]/g, ' ')} `;
    for (const flag of ['icanon', 'echo', 'isig']) { // line editing, echo and Ctrl-C on: the terminal is as it was
      expect(stty).toContain(` ${flag} `);
      expect(stty).not.toContain(` -${flag} `);
    }
  }, 60_000);
});
