import type { AnalysisReport, QueryReport } from './types.js';

/** More than this share of the analysed statements failing makes the run a failure (exit 6), not a report. */
export const MAX_FAILED_SHARE = 0.5;

/**
 * When most analysed statements (those that are queries) could not be EXPLAINed or parsed, the report says
 * nothing about the workload: the reason is the most common error, with the flag that fixes a missing
 * default database. Pure: query reports in, failure (or undefined) out.
 */
export function analysisFailure(queries: QueryReport[]): AnalysisReport['failure'] {
  const analyzed = queries.filter((q) => !q.skipped);
  const failed = analyzed.filter((q) => q.explainError);
  if (!analyzed.length || failed.length <= MAX_FAILED_SHARE * analyzed.length) return undefined;
  const counts = new Map<string, { n: number; errno?: number }>();
  for (const q of failed) {
    const c = counts.get(q.explainError!.message) ?? { n: 0, errno: q.explainError!.errno };
    counts.set(q.explainError!.message, { ...c, n: c.n + 1 });
  }
  const [message, top] = [...counts].sort((a, b) => b[1].n - a[1].n)[0];
  const fix = top.errno === 1046 ? ' — pass --database <db>' : top.errno === 1064 ? ' — check the statements' : '';
  const hint = top.errno === 1046 ? "Pass --database <db> (or a database in the DSN); each statement's error is in the report."
    : "Each statement's error is in the report; fix the cause and run again.";
  return { failed: failed.length, analyzed: analyzed.length, reason: `${failed.length} of ${analyzed.length} statements failed: ${message}${fix}`, hint };
}
