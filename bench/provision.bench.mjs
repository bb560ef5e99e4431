// Provision to `available` through rdsctl vs the raw mariadb-install-db + mariadbd start on the same
// machine, in one run; and the CLI's cold start. Prints ratios; not a test.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './result.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'rdsctl.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => { const t = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t) / 1e6; };

function rawMariadb() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-raw-'));
  const cnf = path.join(dir, 'my.cnf');
  const root = process.getuid?.() === 0 ? 'user=root\n' : '';
  writeFileSync(cnf, `[mariadbd]\n${root}datadir=${dir}/data\nsocket=${dir}/s.sock\nport=0\nskip-networking\npid-file=${dir}/m.pid\nlog-error=${dir}/err.log\nperformance_schema=OFF\n`);
  let pid;
  const ms = time(() => {
    execFileSync('mariadb-install-db', [`--defaults-file=${cnf}`, '--skip-test-db', '--skip-name-resolve'], { stdio: 'ignore' });
    const child = spawn('mariadbd', [`--defaults-file=${cnf}`], { detached: true, stdio: 'ignore' });
    pid = child.pid;
    child.unref();
    for (;;) {
      try { execFileSync('mariadb-admin', [`--socket=${dir}/s.sock`, '-uroot', 'ping'], { stdio: 'ignore' }); break; } catch { /* not yet */ }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  });
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200; i++) { try { process.kill(pid, 0); } catch { break; } Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); }
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

function rdsctlProvision(encrypted) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'bench-home-'));
  const env = { ...process.env, RDSCTL_HOME: home, NO_COLOR: '1' };
  // Start the control plane first, so the timing is the provision itself (as on a running endpoint).
  execFileSync(process.execPath, [bin, 'local', 'start', '--json'], { env, stdio: 'ignore' });
  const args = [bin, 'provision', 'bench', '--manage-master-password', '--class', 'db.t4g.micro', '--quiet', ...(encrypted ? [] : ['--no-encrypted'])];
  const ms = time(() => execFileSync(process.execPath, args, { env, stdio: 'ignore' }));
  execFileSync(process.execPath, [bin, 'local', 'stop', '--json'], { env, stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
  return ms;
}

const runs = Number(process.env.BENCH_RUNS ?? 3);
const raw = [], plain = [], enc = [];
for (let i = 0; i < runs; i++) { raw.push(rawMariadb()); plain.push(rdsctlProvision(false)); enc.push(rdsctlProvision(true)); }
const help = Array.from({ length: 15 }, () => time(() => execFileSync(process.execPath, [bin, '--help'], { stdio: 'ignore' })));
const nodeBare = Array.from({ length: 15 }, () => time(() => execFileSync(process.execPath, ['-e', '0'], { stdio: 'ignore' })));
const result = {
  runs,
  rawInstallAndStartMs: median(raw),
  provisionUnencryptedMs: median(plain),
  provisionEncryptedMs: median(enc),
  ratioUnencryptedVsRaw: median(plain) / median(raw),
  ratioEncryptedVsRaw: median(enc) / median(raw),
  helpColdStartMs: median(help),
  nodeBareStartMs: median(nodeBare),
  ratioHelpVsBareNode: median(help) / median(nodeBare),
};
report({ ratios: { provisionVsRaw: result.ratioUnencryptedVsRaw, provisionEncryptedVsRaw: result.ratioEncryptedVsRaw, cliStartVsBareNode: result.ratioHelpVsBareNode }, ...result });
console.log(`provision (TLS, managed password, not encrypted) = ${result.ratioUnencryptedVsRaw.toFixed(2)}× raw mariadb-install-db+start (${result.provisionUnencryptedMs.toFixed(0)} vs ${result.rawInstallAndStartMs.toFixed(0)} ms)`);
console.log(`provision encrypted = ${result.ratioEncryptedVsRaw.toFixed(2)}× raw (${result.provisionEncryptedMs.toFixed(0)} ms)`);
console.log(`rdsctl --help cold start ${result.helpColdStartMs.toFixed(0)} ms = ${result.ratioHelpVsBareNode.toFixed(2)}× bare node (${result.nodeBareStartMs.toFixed(0)} ms)`);
