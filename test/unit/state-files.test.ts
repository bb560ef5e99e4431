import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { readJson, writeJsonAtomic } from '../../src/local/state/atomic-file.js';
import { ensureHome } from '../../src/local/state/home.js';
import { loadOrCreateCredentials } from '../../src/local/state/credentials.js';
import { acquireLock, releaseLock } from '../../src/local/state/lock.js';
import { EventLog } from '../../src/local/state/events.js';
import { rotateLog } from '../../src/local/state/log.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsctl-state-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('state files', () => {
  it('writes JSON atomically with mode 0600 and leaves no temp files', () => {
    const d = tmp();
    const f = path.join(d, 'x.json');
    writeJsonAtomic(f, { a: 1 });
    writeJsonAtomic(f, { a: 2 });
    expect(readJson(f)).toEqual({ a: 2 });
    expect(mode(f)).toBe(0o600);
    expect(fs.readdirSync(d)).toEqual(['x.json']);
    expect(readJson(path.join(d, 'missing.json'))).toBeUndefined();
  });

  it('makes the home 0700 (tightening an existing one) and credentials 0600, stable across calls', () => {
    const home = path.join(tmp(), 'home');
    fs.mkdirSync(home, { mode: 0o755 });
    ensureHome(home);
    expect(mode(home)).toBe(0o700);
    const c1 = loadOrCreateCredentials(home);
    expect(c1.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(c1.secretAccessKey).toHaveLength(40);
    expect(loadOrCreateCredentials(home)).toEqual(c1);
    expect(mode(path.join(home, 'credentials.json'))).toBe(0o600);
  });

  it('the lock refuses a second live holder and replaces a stale one', async () => {
    const home = tmp();
    ensureHome(home);
    expect(acquireLock(home)).toEqual({ ok: true });
    // A live process named like a control plane holding the lock:
    const holder = spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 30000)', 'main.js']);
    try {
      releaseLock(home);
      fs.writeFileSync(path.join(home, 'control-plane.pid'), JSON.stringify({ pid: holder.pid, startedAt: '' }));
      expect(acquireLock(home)).toEqual({ ok: false, holder: holder.pid });
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
    expect(acquireLock(home)).toEqual({ ok: true }); // holder dead: stale file replaced
    releaseLock(home);
    expect(fs.existsSync(path.join(home, 'control-plane.pid'))).toBe(false);
  });

  it('the event log skips a torn last line', () => {
    const home = tmp();
    ensureHome(home);
    const log = new EventLog(home);
    log.append({ SourceIdentifier: 'a', Message: 'one', EventCategories: ['x'] });
    fs.appendFileSync(path.join(home, 'events.jsonl'), '{"Date":"2026');
    expect(log.read().map((e) => e.Message)).toEqual(['one']);
  });

  it('rotates the control-plane log past its size limit, keeping one generation', () => {
    const f = path.join(tmp(), 'control-plane.log');
    fs.writeFileSync(f, 'x'.repeat(100));
    rotateLog(f, 200);
    expect(fs.existsSync(`${f}.1`)).toBe(false);
    rotateLog(f, 50);
    expect(fs.readFileSync(`${f}.1`, 'utf8')).toHaveLength(100);
    expect(fs.existsSync(f)).toBe(false);
  });
});
