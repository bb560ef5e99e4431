import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { endTmuxServer, startTmux } from '../helpers/tmux.js';

/** `rdsctl metrics` and `rdsctl alarms` through the real CLI, the SDK's CloudWatch client and the local endpoint. */
let home: string;
const env = () => ({ RDSCTL_HOME: home, RDSCTL_METRICS_INTERVAL_MS: '1000', RDSCTL_ALARM_EVAL_MS: '1000', NO_COLOR: '1' });
const cli = (args: string[]) => runCli(args, { env: env(), timeoutMs: 240_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  home = await tempHome();
  const r = await cli(['provision', 'shop', '--manage-master-password', '--class', 'db.t4g.micro', '--json']);
  expect(r.code).toBe(0);
  await sleep(3500); // a few samples
}, 300_000);
afterAll(async () => {
  await endTmuxServer();
  expect(await cleanupHome(home)).toEqual([]);
});

describe('rdsctl metrics', () => {
  it('--json gives each series in CloudWatch units; the human view gives latest/average/max in a person\'s units with a sparkline', async () => {
    const r = await cli(['metrics', 'shop', '--since', '10m', '--period', '1', '--json']);
    expect(r.code).toBe(0);
    const series = r.json.data.Metrics as { name: string; unit: string; raw: number[]; timestamps: string[] }[];
    const conn = series.find((s) => s.name === 'DatabaseConnections')!;
    expect(conn.unit).toBe('Count');
    expect(conn.raw.length).toBeGreaterThanOrEqual(2);
    expect(conn.timestamps.length).toBe(conn.raw.length);
    const human = await cli(['metrics', 'shop', '--since', '10m', '--period', '1', '--metric', 'CPUUtilization,FreeableMemory,DatabaseConnections']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^CPUUtilization\s+[\d.]+%\s+[\d.]+%\s+[\d.]+%\s+[▁▂▃▄▅▆▇█]+$/m);
    expect(human.stdout).toMatch(/^FreeableMemory\s+[\d,.]+ MiB\s+[\d,.]+ MiB\s+[\d,.]+ MiB\s+[▁▂▃▄▅▆▇█]+$/m);
    expect(human.stdout).not.toContain('ReadLatency');
    expect(Math.max(...human.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('refuses bad input with a one-line error naming the flag, exit 2 (4 for an unknown instance)', async () => {
    const cases: [string[], number, string][] = [
      [['metrics', 'shop', '--period', '45'], 2, 'INVALID_PERIOD'],
      [['metrics', 'shop', '--since', '3x'], 2, 'INVALID_SINCE'],
      [['metrics', 'shop', '--metric', 'CPUUtilization,Bogus'], 2, 'UNKNOWN_METRIC'],
      [['metrics', 'nope'], 4, 'INSTANCE_NOT_FOUND'],
      [['alarms', 'list', 'nope'], 4, 'INSTANCE_NOT_FOUND'],
      [['alarms', 'history', 'nope'], 4, 'INSTANCE_NOT_FOUND'],
      [['alarms', 'apply', 'shop'], 2, 'ALARM_SET_NEEDED'],
      [['alarms', 'apply', 'shop', '--recommended', '--notify', 'pager'], 2, 'INVALID_TOPIC_ARN'],
    ];
    for (const [args, code, errorCode] of cases) {
      const r = await cli([...args, '--json']);
      expect({ args, code: r.code, errorCode: r.json?.error?.code }).toEqual({ args, code, errorCode });
      expect(r.json.error.message.split('\n')).toHaveLength(1);
    }
    expect((await cli(['alarms', 'list', '--json'])).json.data.MetricAlarms).toEqual([]); // nothing created
  });

  it('--watch redraws in place on a terminal; Ctrl-C ends it with 130', async () => {
    const t = await startTmux('watch', { env: { ...env(), PATH: process.env.PATH }, width: 80, height: 30 });
    await t.run(`node ${BIN} metrics shop --since 5m --period 1 --metric CPUUtilization,DatabaseConnections --watch`);
    await t.waitFor(/^DatabaseConnections\s+\S+/m, 30_000);
    await sleep(6000); // one more redraw
    const screen = await t.screen();
    expect(screen.match(/shop: AWS\/RDS metrics/g)).toHaveLength(1); // redrawn over itself, not appended
    await t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    await t.kill();
  }, 60_000);
});

describe('rdsctl alarms', () => {
  it('apply --recommended: --dry-run changes nothing, the first run creates the set, the second changes nothing and says so', async () => {
    const dry = await cli(['alarms', 'apply', 'shop', '--recommended', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: 6 of 6 alarms would be written; nothing was changed.');
    expect(dry.stdout).toMatch(/would create\s+shop-CPUUtilization: Average > 90 %, 5 of 5 × 60s/);
    expect((await cli(['alarms', 'list', 'shop', '--json'])).json.data.MetricAlarms).toEqual([]);

    const first = await cli(['alarms', 'apply', 'shop', '--recommended', '--notify', 'arn:aws:sns:us-east-1:000000000000:dba', '--json']);
    expect(first.code).toBe(0);
    expect(first.json.data.Changes.map((c: { action: string }) => c.action)).toEqual(Array(6).fill('create'));
    const second = await cli(['alarms', 'apply', 'shop', '--recommended', '--notify', 'arn:aws:sns:us-east-1:000000000000:dba']);
    expect(second.stdout).toContain('All 6 recommended alarms for shop are already in place: nothing changed.');

    const list = (await cli(['alarms', 'list', 'shop', '--json'])).json.data.MetricAlarms as { AlarmName: string; Threshold: number; StateValue: string; AlarmActions: string[] }[];
    const byName = Object.fromEntries(list.map((a) => [a.AlarmName, a]));
    expect(Object.keys(byName).sort()).toEqual(['shop-CPUUtilization', 'shop-DatabaseConnections', 'shop-FreeStorageSpace', 'shop-FreeableMemory', 'shop-ReadLatency', 'shop-WriteLatency']);
    expect(byName['shop-FreeableMemory'].Threshold).toBe(0.25 * 1024 ** 3); // a quarter of db.t4g.micro's 1 GiB
    expect(byName['shop-FreeStorageSpace'].Threshold).toBe(Math.round(0.1 * 20 * 1024 ** 3));
    expect(byName['shop-DatabaseConnections'].Threshold).toBe(Math.floor(Math.floor(1024 ** 3 / 12582880) * 0.9));
    expect(byName['shop-CPUUtilization'].AlarmActions).toEqual(['arn:aws:sns:us-east-1:000000000000:dba']);

    const human = await cli(['alarms', 'list', 'shop']);
    expect(human.stdout).toMatch(/shop-CPUUtilization\s+(INSUFFICIENT_DATA|OK)\s+CPUUtilization Average > 90 %/);
  });

  it('status: one screen with status, endpoint, pending changes, the last hour per metric, and the alarms in ALARM', async () => {
    // An alarm that is in ALARM for real (connections > 0: the sampler's own counts), made with the AWS CLI.
    const exports = Object.fromEntries([...(await cli(['local', 'env'])).stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
    const awsEnv = { ...process.env, ...exports, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const aws = (...a: string[]) => promisify(execFile)('aws', ['--endpoint-url', exports.AWS_ENDPOINT_URL, 'cloudwatch', ...a], { env: awsEnv });
    await aws('put-metric-alarm', '--alarm-name', 'shop-any-connection', '--namespace', 'AWS/RDS', '--metric-name', 'DatabaseConnections',
      '--dimensions', 'Name=DBInstanceIdentifier,Value=shop', '--statistic', 'Maximum', '--period', '60', '--evaluation-periods', '1',
      '--threshold', '0', '--comparison-operator', 'GreaterThanThreshold');
    try {
      // The evaluator reads the last *complete* 60 s period: up to two minute boundaries after the first sample.
      let screen = '';
      for (const until = Date.now() + 130_000; Date.now() < until && !screen.includes('alarms in ALARM (1)'); await sleep(500)) screen = (await cli(['status', 'shop'])).stdout;
      expect(screen).toMatch(/^shop {2}available {2}db\.t4g\.micro {2}mariadb [\d.]+ {2}20 GiB$/m);
      expect(screen).toMatch(/^endpoint {2}127\.0\.0\.1:\d+$/m);
      expect(screen).toMatch(/^pending {3}none$/m);
      expect(screen).toMatch(/^CPUUtilization\s+[\d.]+%\s+[▁▂▃▄▅▆▇█]+$/m);
      expect(screen).toMatch(/^FreeableMemory\s+[\d,.]+ MiB\s+[▁▂▃▄▅▆▇█]+$/m);
      expect(screen).toContain('alarms in ALARM (1)\n  shop-any-connection: DatabaseConnections Maximum > 0, 1 of 1 × 60s');
      expect(Math.max(...screen.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    } finally {
      await aws('delete-alarms', '--alarm-names', 'shop-any-connection');
    }
  }, 160_000);

  it('history lists state changes; delete --all removes the instance\'s alarms, an unknown name is exit 4', async () => {
    // As for status: a transition needs a complete 60 s period of data, up to two minute boundaries away.
    for (const until = Date.now() + 130_000; Date.now() < until; await sleep(1000)) {
      const h = (await cli(['alarms', 'history', 'shop', '--json'])).json.data.AlarmHistoryItems as { HistorySummary: string }[];
      if (h.some((x) => x.HistorySummary === 'Alarm updated from INSUFFICIENT_DATA to OK')) break;
    }
    const hist = await cli(['alarms', 'history', 'shop']);
    expect(hist.stdout).toMatch(/shop-DatabaseConnections: Alarm updated from INSUFFICIENT_DATA to OK/);
    const gone = await cli(['alarms', 'delete', 'shop-nope', '--json']);
    expect({ code: gone.code, error: gone.json.error.code }).toEqual({ code: 4, error: 'ALARM_NOT_FOUND' });
    const del = await cli(['alarms', 'delete', 'shop', '--all']);
    expect(del.stdout).toMatch(/^Deleted 6 alarms: /);
    expect((await cli(['alarms', 'list', '--json'])).json.data.MetricAlarms).toEqual([]);
  }, 160_000);
});
