// Slow-log digest throughput: rdsctl's workload loader vs pt-query-digest on the same generated log
// (≥ 500k entries) in one run. Checks both found the same classes with the same counts, then prints
// the speed ratio (target ≥ 10×) and peak RSS of each. Not a test. Needs `npm run build` first.
// BENCH_DIGEST_ENTRIES=n overrides the entry count; BENCH_DIGEST_KEEP=1 keeps the generated log.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSlowLog } from './digest-gen.mjs';
import { report, requireTools } from './result.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = Number(process.env.BENCH_DIGEST_ENTRIES ?? 500_000);
const loader = path.join(repo, 'dist', 'analyze', 'workload', 'index.js');
requireTools([['pt-query-digest', 'percona-toolkit']]);
if (!existsSync(loader)) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');

/** Runs a command, returns { ms, stdout, peakRssMb } (peak RSS from /proc VmHWM, polled until exit). */
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = ''; // pt-query-digest prints progress there; shown only if the command fails
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    let hwmKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
      } catch { /* exited */ }
    }, 50);
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${cmd} exited with ${code}: ${stderr.slice(-2000)}`));
      else resolve({ ms, stdout, peakRssMb: hwmKb / 1024 });
    });
  });
}

const OURS = `
const { loadWorkload } = await import(${JSON.stringify(loader)});
const t = performance.now();
const s = await loadWorkload({ kind: 'slow-log', file: process.argv[1] });
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, events: s.events, malformed: s.malformed, maxRssMb: process.resourceUsage().maxRSS / 1024, classes: s.classes.map((c) => [c.id, c.count]) }));
`;

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-digest-'));
  const log = path.join(dir, 'generated-slow.log');
  try {
    let t = performance.now();
    await writeSlowLog(log, { entries });
    console.log(`generated ${entries} entries, ${(statSync(log).size / 1e6).toFixed(0)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const ours = await measure(process.execPath, ['--input-type=module', '-e', OURS, log]);
    const o = JSON.parse(ours.stdout);
    const pt = await measure('pt-query-digest', ['--no-version-check', '--preserve-embedded-numbers', '--output', 'json', '--limit', '10000000', log]);
    const p = JSON.parse(pt.stdout);

    const ptCounts = new Map(p.classes.map((c) => [c.checksum.slice(-16), Number(c.query_count)]));
    const diff = o.classes.filter(([id, n]) => ptCounts.get(id) !== n);
    const same = o.classes.length === ptCounts.size && diff.length === 0;
    const ratio = pt.ms / ours.ms;
    const row = (name, ms, rss, classes, events) => `${name.padEnd(16)} ${(ms / 1000).toFixed(2).padStart(8)} s ${(events / (ms / 1000) / 1000).toFixed(0).padStart(6)} k entries/s ${rss.toFixed(0).padStart(6)} MB peak RSS ${String(classes).padStart(6)} classes`;
    console.log(row('pt-query-digest', pt.ms, pt.peakRssMb, ptCounts.size, Number(p.global.query_count)));
    console.log(row('rdsctl', ours.ms, Math.max(ours.peakRssMb, o.maxRssMb), o.classes.length, o.events));
    console.log(`rdsctl loader alone (in-process, without node start-up): ${(o.ms / 1000).toFixed(2)} s; malformed ${o.malformed}`);
    console.log(`same classes and counts per class: ${same ? 'yes' : `NO (${diff.length} classes differ, ${o.classes.length} vs ${ptCounts.size})`}`);
    console.log(`speed ratio: ${ratio.toFixed(1)}× pt-query-digest (target ≥ 10×) → ${ratio >= 10 ? 'met' : 'NOT met'}`);
    // The same log gzip'd (pt-query-digest cannot read .gz itself): our streaming gunzip path.
    const gz = `${log}.gz`;
    await pipeline(createReadStream(log), createGzip({ level: 1 }), createWriteStream(gz));
    const oursGz = await measure(process.execPath, ['--input-type=module', '-e', OURS, gz]);
    const g = JSON.parse(oursGz.stdout);
    console.log(row('rdsctl (.gz)', oursGz.ms, Math.max(oursGz.peakRssMb, g.maxRssMb), g.classes.length, g.events) + `  (${(statSync(gz).size / 1e6).toFixed(0)} MB compressed)`);
    report({ ratios: { speedVsPtQueryDigest: ratio }, goal: 'speed ≥ 10× pt-query-digest, same classes and counts', entries, sameClasses: same,
      rdsctlMs: ours.ms, ptQueryDigestMs: pt.ms, rdsctlPeakRssMb: Math.max(ours.peakRssMb, o.maxRssMb), ptQueryDigestPeakRssMb: pt.peakRssMb, rdsctlGzMs: oursGz.ms });
    if (!same || ratio < 10) process.exitCode = 1;
  } finally {
    if (process.env.BENCH_DIGEST_KEEP) console.log(`kept ${log}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
