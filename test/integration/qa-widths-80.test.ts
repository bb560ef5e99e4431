import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanupHome, runCli, tempHome } from '../helpers/local-cli.js';
import { endTmuxServer, killTmux, startTmux, type TmuxSession } from '../helpers/tmux.js';

// The promotion-day story at a real 80-column terminal: no line may be cut mid-word by the terminal's edge.
const SESSIONS = ['w80-error', 'w80-promote', 'w80-load'];
let home: string;
const rdsctl = `${process.execPath} ${BIN}`;
const cli = (args: string[]) => runCli(args, { env: { RDSCTL_HOME: home } });
const termEnv = () => ({ RDSCTL_HOME: home, NO_COLOR: '1', CI: undefined });
/** rdsctl's lines longer than the terminal (it cut them at its edge); the typed command line aside. */
const overflow = (joined: string) => joined.split('\n').filter((l) => l.length > 80 && !l.startsWith('$ '));

beforeAll(async () => {
  home = await tempHome('rdsctl-w80-');
  const p = await cli(['provision', 'shop', '--manage-master-password', '--class', 'db.t4g.micro', '--json']);
  if (p.code !== 0) throw new Error(`provision failed: ${p.stderr}${p.stdout}`);
  const s = await cli(['scale-replicas', 'shop', '--count', '1', '--json']);
  if (s.code !== 0) throw new Error(`scale-replicas failed: ${s.stderr}${s.stdout}`);
}, 180_000);

afterAll(async () => {
  for (const s of SESSIONS) await killTmux(s);
  await endTmuxServer();
  if (home) expect(await cleanupHome(home)).toEqual([]);
});

describe('80 columns', () => {
  let t: TmuxSession;
  it('an error and its hint wrap between words', async () => {
    t = await startTmux('w80-error', { env: termEnv() });
    await t.run(`${rdsctl} delete shop`);
    expect(await t.exitCode()).toBe(2);
    expect(await t.screen()).toMatch(/--final-snapshot <name>:\s*\n\s+nothing was deleted\./);
    expect(overflow(await t.joined())).toEqual([]);
  }, 60_000);

  it('loadtest prepare, loadtest run --read-replicas and replicas verify fit', async () => {
    t = await startTmux('w80-load', { env: termEnv(), height: 60 });
    await t.run(`${rdsctl} loadtest prepare shop --scale 1 --quiet`);
    expect(await t.exitCode(120_000)).toBe(0);
    expect(overflow(await t.joined())).toEqual([]);
    await t.clear();
    await t.run(`${rdsctl} loadtest run shop --read-replicas --duration 2s --concurrency 2 --quiet`);
    expect(await t.exitCode(60_000)).toBe(0);
    const run = await t.joined();
    expect(run).toMatch(/correctness check: ok/);
    expect(run).toMatch(/type +ok +sold out +errors +p50 ms +p95 ms +p99 ms +p99\.9 ms +max ms/);
    expect(run).toMatch(/\(access not shown at 80 columns: --json has every column\)/);
    expect(overflow(run)).toEqual([]);
    await t.clear();
    await t.run(`${rdsctl} replicas verify shop --quiet`);
    expect(await t.exitCode(60_000)).toBe(0);
    const verify = await t.joined();
    expect(verify).toMatch(/shop-replica-1: same data/);
    expect(overflow(verify)).toEqual([]);
  }, 240_000);

  it('the promote question wraps between words, and the result line too', async () => {
    t = await startTmux('w80-promote', { env: termEnv() });
    await t.run(`${rdsctl} promote shop-replica-1`);
    await t.waitFor(/\[y\/N\]/);
    expect(await t.screen()).not.toMatch(/It sto\n/);
    expect(overflow(await t.joined())).toEqual([]);
    await t.keys('y', 'Enter');
    expect(await t.exitCode(60_000)).toBe(0);
    expect(await t.screen()).toMatch(/Promoted shop-replica-1/);
    expect(overflow(await t.joined())).toEqual([]);
  }, 90_000);
});
