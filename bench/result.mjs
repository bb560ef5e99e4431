// What a bench/*.bench.mjs hands to bench/run.js: one line `bench-result {json}` on its stdout (the
// runner collects it into `npm run bench -- --json`'s one document), and the rule for a missing anchor.
import { spawnSync } from 'node:child_process';

export const RESULT_PREFIX = 'bench-result ';

/** `ratios`: every rdsctl-vs-anchor ratio of the bench by name (what the runner lists); the rest is detail. */
export function report(result) {
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}

/**
 * Benches install nothing: an anchor tool that is not there ends the bench with how to install it
 * (`tools`: [command, Debian package] pairs), reported as skipped, exit 0.
 */
export function requireTools(tools) {
  const missing = tools.filter(([cmd]) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status !== 0);
  if (!missing.length) return;
  const how = `apt-get install ${[...new Set(missing.map(([, pkg]) => pkg))].join(' ')}`;
  const message = `${missing.map(([cmd]) => cmd).join(', ')} not installed: ${how} (Debian/Ubuntu), then rerun. Skipped.`;
  console.log(message);
  report({ skipped: message, install: how });
  process.exit(0);
}
