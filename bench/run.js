// `npm run bench`: runs every bench/*.bench.js / *.bench.mjs one after the other (after the build), so a
// new benchmark joins by being there. `npm run bench -- loadtest digest` runs only the benches whose name
// contains one of the words. `--json`: the benches' own lines go to stderr and stdout gets ONE document
// with every bench's result and all their ratios (`npm run --silent bench -- --json` keeps npm's banner off).
// Each bench reports through bench/result.mjs (a `bench-result {json}` line on its stdout).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX } from './result.mjs';

const dir = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const filters = args.filter((a) => !a.startsWith('--'));
const all = readdirSync(dir).filter((f) => /\.bench\.m?js$/.test(f)).sort();
const nameOf = (f) => f.replace(/\.bench\.m?js$/, '');
const benches = all.filter((f) => filters.length === 0 || filters.some((x) => nameOf(f).includes(x)));
const say = (line) => (json ? process.stderr : process.stdout).write(`${line}\n`);
if (!benches.length) {
  console.error(`no benchmark matches ${filters.join(', ')}: the benchmarks are ${all.map(nameOf).join(', ')}`);
  process.exit(2);
}

/** Runs one bench: its lines pass through, its bench-result line is kept. */
function runBench(f) {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(process.execPath, [path.join(dir, f)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let result = null;
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length));
      else say(line);
    });
    child.on('close', (code, signal) => resolve({ exitCode: code ?? signal, seconds: Math.round((performance.now() - t) / 100) / 10, result }));
  });
}

const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)));
const doc = {
  machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model ?? ''}`.trim(),
  startedAt: new Date().toISOString(), loadavgBefore: loadavg(), benches: {}, ratios: {},
};
let failed = 0;
for (const f of benches) {
  const name = nameOf(f);
  say(`\n=== ${name} (${f}) ===`);
  const r = await runBench(f);
  doc.benches[name] = r;
  if (r.exitCode !== 0) {
    failed++;
    say(`${f} exited with ${r.exitCode}`);
  }
  for (const [k, v] of Object.entries(r.result?.ratios ?? {})) doc.ratios[`${name}.${k}`] = v;
}
doc.loadavgAfter = loadavg();
doc.ok = failed === 0;
if (json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
else {
  console.log(`\n=== ratios (load average ${doc.loadavgBefore.join(' ')} → ${doc.loadavgAfter.join(' ')}) ===`);
  for (const [k, v] of Object.entries(doc.ratios)) console.log(`${k.padEnd(40)} ${typeof v === 'number' ? v.toFixed(3) : v}`);
  for (const [k, b] of Object.entries(doc.benches)) if (b.result?.skipped) console.log(`${k.padEnd(40)} skipped: ${b.result.skipped}`);
}
process.exitCode = failed ? 1 : 0;
